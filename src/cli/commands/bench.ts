import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { BACKENDS } from '../../backend/select.ts';
import { METHODS, parseLabelList, parseMethods, planCells, type SweepSpec } from '../../bench/plan.ts';
import { runSweep } from '../../bench/sweep.ts';
import { readResults } from '../../bench/results.ts';
import { renderReport } from '../../report/render.ts';
import { DEFAULT_REPORTS_DIR } from '../../config/defaults.ts';
import { intFlag, numberFlag } from '../options.ts';

export const benchCommand: CommandModule = {
  command: 'bench',
  describe: 'sweep label budgets × methods × seeds, each run in its own folder, into reports/<name>/results.json',
  builder: (y) =>
    y
      .option('dataset', { type: 'string', default: 'mnist-10k' })
      .option('data-dir', { type: 'string', default: process.env.SSGAN_DATA_DIR })
      .option('labels', {
        type: 'string',
        default: '20,50,100,1000,all',
        describe: "comma-separated budgets, 'all' for every label",
      })
      .option('methods', {
        type: 'string',
        default: 'sslgan-mlp,supervised,supervised-aug',
        describe: METHODS.join(', '),
      })
      .option('seeds', { type: 'number', default: 3, coerce: intFlag('seeds', 1, 100), describe: 'seeds 1..N' })
      .option('arch', {
        choices: ['mlp', 'dcgan'] as const,
        default: 'mlp',
        describe: 'architecture of the supervised baselines',
      })
      .option('budget-minutes', {
        type: 'number',
        coerce: numberFlag('budget-minutes', 0, 1e6, { openMin: true }),
        describe: 'wall-time bound of each run',
      })
      .option('steps', { type: 'number', coerce: intFlag('steps', 1), describe: 'step bound of each run' })
      .option('epochs', {
        type: 'number',
        coerce: numberFlag('epochs', 0, 1e6, { openMin: true }),
        describe: 'epoch bound of each run',
      })
      .option('workers', {
        type: 'number',
        default: 2,
        coerce: intFlag('workers', 1, 64),
        describe: 'runs in parallel (one per core)',
      })
      .option('gan-aug-count', {
        type: 'number',
        default: 1000,
        coerce: intFlag('gan-aug-count', 1),
        describe: 'generated images added by supervised+gan-aug',
      })
      .option('name', { type: 'string', describe: 'report name (default: the dataset)' })
      .option('reports-dir', { type: 'string', default: DEFAULT_REPORTS_DIR })
      .option('backend', { choices: ['auto', ...BACKENDS] as const, default: 'auto' })
      .option('report', { type: 'boolean', default: true, describe: 'render the report when the sweep ends' })
      .check((a) => {
        if (a.steps === undefined && a.epochs === undefined && a['budget-minutes'] === undefined)
          throw new Error('bound every run: give --steps, --epochs or --budget-minutes');
        return true;
      }),
  handler: async (a: any) => {
    const name = a.name ?? a.dataset.replace(/[^A-Za-z0-9._-]+/g, '_');
    const bounds = [
      ...(a.steps !== undefined ? ['--steps', String(a.steps)] : []),
      ...(a.epochs !== undefined ? ['--epochs', String(a.epochs)] : []),
      ...(a['budget-minutes'] !== undefined ? ['--budget-minutes', String(a['budget-minutes'])] : []),
    ];
    const spec: SweepSpec = {
      name,
      dataset: a.dataset,
      dataDir: a['data-dir'] || undefined,
      labels: parseLabelList(String(a.labels)),
      methods: parseMethods(String(a.methods)),
      seeds: Array.from({ length: a.seeds }, (_, i) => i + 1),
      arch: a.arch,
      bounds,
      backend: a.backend,
      reportsDir: a['reports-dir'],
    };
    const command = `ssgan ${process.argv.slice(2).join(' ')}`;
    const cells = planCells(spec);
    const rows = await runSweep(spec, cells, {
      workers: a.workers,
      ganAugCount: a['gan-aug-count'],
      command,
      log: (m) => process.stderr.write(m + '\n'),
    });
    const dir = join(spec.reportsDir, name);
    if (a.report) {
      renderReport(readResults(join(dir, 'results.json'))!, dir, {
        warn: (m) => process.stderr.write(`ssgan: warning: ${m}\n`),
      });
      process.stdout.write(`${dir}/report.md, ${dir}/report.html\n`);
    }
    const failed = rows.filter((r) => r.status !== 'ok');
    if (failed.length) {
      process.stderr.write(`ssgan: ${failed.length} of ${rows.length} runs failed (see ${dir}/results.json)\n`);
      process.exitCode = 1;
    }
  },
};
