import type { Argv, CommandModule } from 'yargs';
import { SMALL_TEST_SET } from '../../config/defaults.ts';
import { loadRunDataset } from '../../predict/run-data.ts';
import { accuracyText, wilsonInterval } from '../../report/stats.ts';
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
      const cfg = run.record.config as { labels: number | 'all'; seed: number };
      const ds = await loadRunDataset(run.record, { dataDir: a['data-dir'] });
      const ev = evaluate(run.classify, ds.test, ds.classNames);
      const small = ev.count < SMALL_TEST_SET;
      const interval = small ? wilsonInterval(Math.round(ev.accuracy * ev.count), ev.count) : null;
      const out = {
        run: a.run,
        method: run.record.method,
        dataset: ds.name,
        labels: cfg.labels,
        seed: cfg.seed,
        accuracy: ev.accuracy,
        error: ev.error,
        count: ev.count,
        /** 95% Wilson interval of the accuracy, for small test sets (a folder's hold-out). */
        accuracyInterval95: interval,
        testSet: run.record.data.provenance?.test ?? { kind: 'dataset' },
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
        `test accuracy ${accuracyText(ev.accuracy, ev.count, SMALL_TEST_SET)}  error ${pct(ev.error)}  (${ev.count} images)`,
        ...(out.testSet.kind === 'holdout' ? [`test set: ${out.testSet.note}`] : []),
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
