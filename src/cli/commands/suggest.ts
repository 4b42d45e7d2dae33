import type { CommandModule } from 'yargs';
import { selectBackend } from '../../backend/select.ts';
import { SUGGEST_DEFAULTS } from '../../config/defaults.ts';
import { formatOf, TableWriter } from '../../predict/output.ts';
import { loadRun } from '../../run/load.ts';
import { suggestForRun } from '../../suggest/suggest.ts';
import { intFlag, withCommon } from '../options.ts';
import { SUGGEST_BY } from '../../suggest/select.ts';

const round = (x: number) => Number(x.toPrecision(6));

export const suggestCommand: CommandModule = {
  command: 'suggest',
  describe:
    "which unlabelled images to label next (the most typical of each cluster of the classifier's features that no label covers; or its most uncertain)",
  builder: (y) =>
    withCommon(y)
      .option('run', { type: 'string', demandOption: true, describe: 'run folder (runs/<name>)' })
      .option('count', { type: 'number', default: SUGGEST_DEFAULTS.count, coerce: intFlag('count', 1) })
      .option('by', {
        choices: SUGGEST_BY,
        default: SUGGEST_DEFAULTS.by,
        describe:
          "typical: the most typical image of each k-means cluster of the classifier's features that no label covers yet (TypiClust; best with few labels); entropy: highest predictive entropy; margin: smallest margin between the top two classes",
      })
      .option('out', { type: 'string', describe: 'list.csv or list.jsonl (default: CSV on stdout)' })
      .option('data-dir', {
        type: 'string',
        default: process.env.SSGAN_DATA_DIR,
        describe: "where the run's dataset files are, if not where the run found them",
      }),
  handler: async (a: any) => {
    formatOf(a.out);
    const log = (m: string) => process.stderr.write(m + '\n');
    const backend = await selectBackend({ backend: a.backend, native: a.native });
    log(`backend: ${backend.description}`);
    const run = await loadRun(a.run);
    try {
      const list = await suggestForRun(run, { count: a.count, by: a.by, dataDir: a['data-dir'], log });
      const w = new TableWriter(a.out, ['rank', 'file', 'index', 'predicted', 'probability', 'entropy', 'margin']);
      for (const s of list)
        w.row({ ...s, probability: round(s.probability), entropy: round(s.entropy), margin: round(s.margin) });
      w.close();
      log(`${list.length} images to label next${a.out ? ` in ${a.out}` : ''} (by ${a.by})`);
    } finally {
      run.dispose();
    }
  },
};
