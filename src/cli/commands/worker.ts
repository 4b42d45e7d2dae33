import type { Argv, CommandModule } from 'yargs';
import { QUEUE_DEFAULTS } from '../../config/defaults.ts';
import { redisOptions } from '../../bench/queue/connection.ts';
import { runWorker } from '../../bench/queue/worker.ts';
import { intFlag } from '../options.ts';

interface WorkerArgs {
  queue: string;
  'queue-name': string;
  results: string;
  'data-dir'?: string;
  concurrency: number;
  'lock-seconds': number;
  'stalled-seconds': number;
  'max-stalled': number;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'run the cells of `ssgan bench --queue` sweeps on this machine',
  builder: (y) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'redis://host:port[/db]' })
      .option('queue-name', { type: 'string', default: QUEUE_DEFAULTS.queueName })
      .option('results', { type: 'string', demandOption: true, describe: 'the shared results folder' })
      .option('data-dir', { type: 'string', default: process.env.SSGAN_DATA_DIR })
      .option('concurrency', {
        type: 'number',
        default: QUEUE_DEFAULTS.concurrency,
        coerce: intFlag('concurrency', 1, 64),
        describe: 'cells at a time (one per core)',
      })
      .option('lock-seconds', {
        type: 'number',
        default: QUEUE_DEFAULTS.lockSeconds,
        coerce: intFlag('lock-seconds', 1),
        describe: "a running cell's lock; a dead worker's cell is taken over after it lapses",
      })
      .option('stalled-seconds', {
        type: 'number',
        default: QUEUE_DEFAULTS.stalledSeconds,
        coerce: intFlag('stalled-seconds', 1),
        describe: 'how often to look for cells of dead workers',
      })
      .option('max-stalled', {
        type: 'number',
        default: QUEUE_DEFAULTS.maxStalledCount,
        coerce: intFlag('max-stalled', 1),
        describe: 'times a cell may be taken over from a dead worker before it fails',
      }) as unknown as Argv<WorkerArgs>,
  handler: async (a) => {
    redisOptions(a.queue); // a bad URL: one line, before anything connects
    await runWorker({
      url: a.queue,
      queueName: a['queue-name'],
      results: a.results,
      dataDir: a['data-dir'] || undefined,
      concurrency: a.concurrency,
      lockSeconds: a['lock-seconds'],
      stalledSeconds: a['stalled-seconds'],
      maxStalledCount: a['max-stalled'],
      log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
  },
};
