import type { Argv, CommandModule } from 'yargs';
import { isAbsolute, join, resolve } from 'node:path';
import { BACKENDS } from '../../backend/select.ts';
import { Queue } from 'bullmq';
import { keyCells, sweepKey } from '../../bench/identity.ts';
import { METHODS, parseLabelList, parseMethods, planCells, type SweepSpec } from '../../bench/plan.ts';
import { redisOptions } from '../../bench/queue/connection.ts';
import { type QueuedSweep, submitSweep } from '../../bench/queue/submit.ts';
import { describeStatus, followSweep, retryFailed, rowsOf, sweepStatus } from '../../bench/queue/track.ts';
import { runSweep } from '../../bench/sweep.ts';
import { type ResultRow, readResults, writeResults } from '../../bench/results.ts';
import { loadDataset } from '../../data/datasets.ts';
import { renderReport } from '../../report/render.ts';
import { DEFAULT_REPORTS_DIR, GAN_AUG_DEFAULTS, QUEUE_DEFAULTS, TRAIN_OPTIONS } from '../../config/defaults.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { imageArgs, imageFlags, intFlag, numberFlag, withDataset } from '../options.ts';

interface BenchArgs {
  dataset: string;
  'data-dir'?: string;
  'cache-dir'?: string;
  offline: boolean;
  labels: string;
  methods: string;
  seeds: number;
  arch: 'mlp' | 'dcgan';
  'budget-minutes'?: number;
  steps?: number;
  epochs?: number;
  workers: number;
  'gan-aug-count': number;
  'gan-aug-min-confidence': number;
  'batch-size'?: number;
  'lr-decay'?: 'linear' | 'none';
  'checkpoint-every'?: number;
  name?: string;
  'reports-dir': string;
  results?: string;
  backend: string;
  report: boolean;
  queue?: string;
  'queue-name': string;
  detach: boolean;
  status: boolean;
  'retry-failed': boolean;
  attempts: number;
  'backoff-seconds': number;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'sweep label budgets × methods × seeds, each run in its own folder, into reports/<name>/results.json',
  builder: (y) =>
    withDataset(y)
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
        default: GAN_AUG_DEFAULTS.count,
        coerce: intFlag('gan-aug-count', 1),
        describe: 'generated images added by the gan-aug cells, equally many of each class',
      })
      .option('gan-aug-min-confidence', {
        type: 'number',
        default: GAN_AUG_DEFAULTS.minConfidence,
        coerce: numberFlag('gan-aug-min-confidence', 0, 1),
        describe: "gan-aug cells keep a sample G(z, y) only where the GAN's classifier calls it y this confidently",
      })
      .option('batch-size', {
        type: 'number',
        coerce: intFlag('batch-size', 1, 10000),
        describe: 'batch size of each run',
      })
      .option('lr-decay', {
        choices: TRAIN_OPTIONS.lrDecay.choices,
        describe: "learning-rate schedule of each run (default: each run's own, linear)",
      })
      .option('checkpoint-every', {
        type: 'number',
        coerce: intFlag('checkpoint-every', 1),
        describe: 'steps between checkpoints of each run',
      })
      .option('name', { type: 'string', describe: 'report name (default: the dataset)' })
      .option('reports-dir', {
        type: 'string',
        default: DEFAULT_REPORTS_DIR,
        describe: 'where sweeps go: <reports-dir>/<name> (default: reports/ under the current folder)',
      })
      .option('results', { type: 'string', describe: 'the shared results folder (--queue); same as --reports-dir' })
      .option('backend', { choices: ['auto', ...BACKENDS] as const, default: 'auto' })
      .option('report', { type: 'boolean', default: true, describe: 'render the report when the sweep ends' })
      .option('queue', {
        type: 'string',
        describe: 'redis://host:port[/db]: run the cells on `ssgan worker`s through Redis',
      })
      .option('queue-name', { type: 'string', default: QUEUE_DEFAULTS.queueName })
      .option('detach', { type: 'boolean', default: false, describe: '--queue: enqueue the cells and exit' })
      .option('status', { type: 'boolean', default: false, describe: '--queue: show where the sweep stands and exit' })
      .option('retry-failed', {
        type: 'boolean',
        default: false,
        describe: "--queue: put the sweep's failed cells back",
      })
      .option('attempts', {
        type: 'number',
        default: QUEUE_DEFAULTS.attempts,
        coerce: intFlag('attempts', 1, 100),
        describe: '--queue: tries per cell',
      })
      .option('backoff-seconds', {
        type: 'number',
        default: QUEUE_DEFAULTS.backoffSeconds,
        coerce: numberFlag('backoff-seconds', 0, 1e6),
        describe: '--queue: delay before the first retry (doubling)',
      })
      .check((a) => {
        if (a.steps === undefined && a.epochs === undefined && a['budget-minutes'] === undefined)
          throw new Error('bound every run: give --steps, --epochs or --budget-minutes');
        for (const f of ['detach', 'status', 'retry-failed'])
          if (a[f] && !a.queue) throw new Error(`--${f}: only with --queue redis://host:port`);
        if (a.queue && !a.results)
          throw new Error('--queue: give --results <shared folder> (every worker reads and writes it)');
        // Run arguments travel to workers on other machines, in other folders.
        if (a.queue && a['cache-dir'])
          throw new Error('--cache-dir: not with --queue (each worker keeps its own decode cache)');
        const folder = String(a.dataset).startsWith('folder:') ? String(a.dataset).slice(7) : null;
        if (a.queue && folder && !isAbsolute(folder))
          throw new Error(`--dataset ${a.dataset}: with --queue, give the absolute path every worker reads it at`);
        if (a.queue && a['unlabelled-dir'] && !isAbsolute(String(a['unlabelled-dir'])))
          throw new Error('--unlabelled-dir: with --queue, give the absolute path every worker reads it at');
        if (a.results && a['reports-dir'] !== DEFAULT_REPORTS_DIR && a.results !== a['reports-dir'])
          throw new Error('--results and --reports-dir name the same folder: give one');
        return true;
      }) as unknown as Argv<BenchArgs>,
  handler: async (a) => {
    const name = a.name ?? a.dataset.replace(/[^A-Za-z0-9._-]+/g, '_');
    const bounds = [
      ...(a.steps !== undefined ? ['--steps', String(a.steps)] : []),
      ...(a.epochs !== undefined ? ['--epochs', String(a.epochs)] : []),
      ...(a['budget-minutes'] !== undefined ? ['--budget-minutes', String(a['budget-minutes'])] : []),
    ];
    const runFlags = [
      ...(a['batch-size'] !== undefined ? ['--batch-size', String(a['batch-size'])] : []),
      ...(a['checkpoint-every'] !== undefined ? ['--checkpoint-every', String(a['checkpoint-every'])] : []),
      ...(a['cache-dir'] ? ['--cache-dir', resolve(a['cache-dir'])] : []),
      ...(a.offline ? ['--offline'] : []),
      ...imageArgs(imageFlags(a)),
      ...(a['lr-decay'] !== undefined ? ['--lr-decay', a['lr-decay']] : []),
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
      runFlags,
      backend: a.backend,
      reportsDir: a.results ?? a['reports-dir'],
      ganAugCount: a['gan-aug-count'],
      ganAugMinConfidence: a['gan-aug-min-confidence'],
    };
    const command = `ssgan ${process.argv.slice(2).join(' ')}`;
    // The data checksum is part of every cell's identity: other bytes under the same name are another cell.
    const dataChecksum = (
      await loadDataset(spec.dataset, {
        dataDir: spec.dataDir,
        cacheDir: a['cache-dir'],
        offline: a.offline,
        ...imageFlags(a),
      })
    ).checksum;
    const cells = keyCells(spec, planCells(spec), dataChecksum);
    const dir = join(spec.reportsDir, name);
    const log = (m: string) => process.stderr.write(m + '\n');
    const rows = a.queue
      ? await queueSweep(
          { ...a, queue: a.queue },
          { spec, cells, sweep: sweepKey(spec, cells, dataChecksum), dataChecksum },
          command,
          log,
        )
      : await runSweep(spec, cells, { workers: a.workers, command, dataChecksum, log });
    if (!rows) return;
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

/** --queue: submit (or inspect, or retry) the sweep, follow it, and write results.json from the results folder. */
async function queueSweep(
  a: BenchArgs & { queue: string },
  q: QueuedSweep,
  command: string,
  log: (m: string) => void,
): Promise<ResultRow[] | null> {
  const connection = redisOptions(a.queue);
  const queue = new Queue(a['queue-name'], { connection });
  try {
    if (a.status) {
      process.stdout.write(describeStatus(await sweepStatus(queue, q)) + '\n');
      return null;
    }
    const dir = join(q.spec.reportsDir, q.spec.name);
    // The sweep's plan beside its runs: with the run folders, all a rebuild needs if Redis loses its data.
    writeJsonAtomic(join(dir, 'sweep.json'), {
      command,
      sweep: q.sweep,
      dataChecksum: q.dataChecksum,
      cells: q.cells.map(({ id, key, folder, method, labels, seed, runArgs, dependsOn }) => ({
        id,
        key,
        folder,
        method,
        labels,
        seed,
        runArgs,
        dependsOn,
      })),
    });
    if (a['retry-failed']) {
      const retried = await retryFailed(queue, q);
      log(
        `${retried.length} failed cell${retried.length === 1 ? '' : 's'} back in the queue${retried.length ? `: ${retried.join(', ')}` : ''}`,
      );
    } else {
      const { submitted, alreadyDone } = await submitSweep(connection, a['queue-name'], q, {
        attempts: a.attempts,
        backoffSeconds: a['backoff-seconds'],
      });
      log(`${q.cells.length} cells, ${alreadyDone} already finished, ${submitted} in queue ${a['queue-name']}`);
    }
    if (a.detach) return null;
    const status = await followSweep(connection, queue, q, log);
    const rows = rowsOf(q, status);
    writeResults(join(dir, 'results.json'), { name: q.spec.name, dataset: q.spec.dataset, command }, rows);
    return rows;
  } finally {
    await queue.close();
  }
}
