import type { Argv, CommandModule } from 'yargs';
import { loadDataset } from '../../data/datasets.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { withCommon } from '../options.ts';
import { withRun, type RunArgs } from '../with-run.ts';

interface EvaluateArgs extends RunArgs {
  'data-dir'?: string;
  json: boolean;
}

export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: 'evaluate',
  describe: "test accuracy, per-class precision/recall and confusion matrix of a run's classifier",
  builder: (y) =>
    withCommon(y)
      .option('run', { type: 'string', demandOption: true, describe: 'run folder (runs/<name>)' })
      .option('data-dir', {
        type: 'string',
        default: process.env.SSGAN_DATA_DIR,
        describe: 'where the dataset files are, if not where the run found them',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print one JSON object',
      }) as unknown as Argv<EvaluateArgs>,
  handler: (a) =>
    withRun(a, async (run, backend) => {
      const cfg = run.record.config as { dataDir?: string; cacheDir?: string; labels: number | 'all'; seed: number };
      const ds = await loadDataset(run.record.data.name, {
        dataDir: a['data-dir'] ?? cfg.dataDir,
        cacheDir: cfg.cacheDir,
        offline: true,
      });
      if (ds.checksum !== run.record.data.checksum) {
        throw new Error(
          `${a.run}: the run was trained on data with checksum ${run.record.data.checksum.slice(0, 12)}…, the dataset loaded now has ${ds.checksum.slice(0, 12)}…`,
        );
      }
      const ev = evaluate(run.classify, ds.test, ds.classNames);
      const out = {
        run: a.run,
        method: run.record.method,
        dataset: ds.name,
        labels: cfg.labels,
        seed: cfg.seed,
        accuracy: ev.accuracy,
        error: ev.error,
        count: ev.count,
        backend: backend.description,
        perClass: ev.perClass,
        confusion: ev.confusion,
        classNames: ds.classNames,
      };
      if (a.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      const lines = [
        `${a.run} (${out.method}, ${ds.name}, ${out.labels} labels, seed ${out.seed}) on ${backend.description}`,
        `test accuracy ${pct(ev.accuracy)}  error ${pct(ev.error)}  (${ev.count} images)`,
        '',
        'class         precision  recall   support',
        ...ev.perClass.map(
          (c) =>
            `${c.label.padEnd(12)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(7)}  ${String(c.support).padStart(7)}`,
        ),
        '',
        'confusion (rows: true class, columns: predicted)',
        '      ' + ds.classNames.map((_, k) => String(k).padStart(5)).join(''),
        ...ev.confusion.map((row, k) => String(k).padStart(5) + ' ' + row.map((v) => String(v).padStart(5)).join('')),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }),
};
