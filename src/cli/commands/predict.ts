import type { CommandModule } from 'yargs';
import { selectBackend } from '../../backend/select.ts';
import { PREDICT_DEFAULTS } from '../../config/defaults.ts';
import { formatOf } from '../../predict/output.ts';
import { collectInputs, predictFiles } from '../../predict/predict.ts';
import { loadRun } from '../../run/load.ts';
import { intFlag, withCommon } from '../options.ts';

export const predictCommand: CommandModule = {
  command: 'predict <inputs..>',
  describe: "classify image files or folders with a run's classifier (class, probability, top-k, p(real))",
  builder: (y) =>
    withCommon(y)
      .positional('inputs', {
        type: 'string',
        array: true,
        describe: 'image files and/or folders (searched recursively)',
      })
      .option('run', { type: 'string', demandOption: true, describe: 'run folder (runs/<name>)' })
      .option('out', { type: 'string', describe: 'predictions.csv or predictions.jsonl (default: CSV on stdout)' })
      .option('top', {
        type: 'number',
        default: PREDICT_DEFAULTS.top,
        coerce: intFlag('top', 1, 1000),
        describe: 'classes listed per image',
      })
      .option('batch-size', {
        type: 'number',
        default: PREDICT_DEFAULTS.batchSize,
        coerce: intFlag('batch-size', 1, 100000),
      })
      .option('data-dir', {
        type: 'string',
        default: process.env.SSGAN_DATA_DIR,
        describe: "where the run's dataset files are (for the realness threshold), if not where the run found them",
      }),
  handler: async (a: any) => {
    formatOf(a.out);
    const log = (m: string) => process.stderr.write(m + '\n');
    const backend = await selectBackend({ backend: a.backend, native: a.native });
    log(`backend: ${backend.description}`);
    const files = collectInputs(a.inputs, log);
    const run = await loadRun(a.run);
    try {
      const s = await predictFiles(run, files, {
        out: a.out,
        top: a.top,
        batchSize: a['batch-size'],
        dataDir: a['data-dir'],
        log,
        progress: true,
      });
      log(
        `${s.count} images classified${a.out ? ` into ${a.out}` : ''}${s.failed ? `, ${s.failed} unreadable skipped` : ''}${s.threshold !== null ? `; ${s.flagged} below the realness threshold ${s.threshold.toPrecision(4)} (unlike the run's data)` : ''}`,
      );
    } finally {
      run.dispose();
    }
  },
};
