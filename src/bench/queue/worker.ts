import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { redisOptions } from './connection.ts';
import { DATA_DIR_ENV, RESULTS_ENV } from './cell-job.ts';

export interface WorkerSettings {
  url: string;
  queueName: string;
  results: string;
  dataDir?: string;
  concurrency: number;
  lockSeconds: number;
  stalledSeconds: number;
  maxStalledCount: number;
  log: (msg: string) => void;
}

const PROCESSOR = fileURLToPath(new URL('./cell-job.ts', import.meta.url));
// The sandboxed child imports the TypeScript processor, so it needs the loader `bin/ssgan.js` registers.
const TSX = import.meta.resolve('tsx');

/**
 * Runs cells from the queue until SIGTERM/SIGINT. Then each running cell's training is stopped,
 * its job goes back to the queue without using an attempt, and the process exits.
 */
export async function runWorker(s: WorkerSettings): Promise<void> {
  process.env[RESULTS_ENV] = resolve(s.results);
  if (s.dataDir) process.env[DATA_DIR_ENV] = resolve(s.dataDir);
  const worker = new Worker(s.queueName, PROCESSOR, {
    connection: redisOptions(s.url),
    concurrency: s.concurrency,
    lockDuration: s.lockSeconds * 1000,
    stalledInterval: s.stalledSeconds * 1000,
    maxStalledCount: s.maxStalledCount,
    useWorkerThreads: false,
    workerForkOptions: { execArgv: ['--import', TSX] },
  });
  worker.on('active', (job) => s.log(`${job.id}: started (attempt ${job.attemptsMade + 1})`));
  worker.on('completed', (job) => s.log(`${job.id}: done`));
  worker.on('failed', (job, err) => s.log(`${job?.id}: failed: ${err.message}`));
  worker.on('error', (err) => s.log(`worker: ${err.message}`));
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) return;
      stopping = true;
      s.log(`${sig}: stopping the running cells and putting them back in the queue`);
      const closing = worker.close();
      worker.cancelAllJobs(sig);
      closing.then(done, (e: Error) => {
        s.log(`worker: ${e.message}`);
        done();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    s.log(`worker on queue ${s.queueName} (${s.url}), results in ${resolve(s.results)}, ${s.concurrency} at a time`);
  });
}
