import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UnrecoverableError, WaitingError, type SandboxedJob } from 'bullmq';
import { runCell } from '../cell-run.ts';
import { GAN_MISSING, checkJobData, taskOfJob } from './jobs.ts';

/** What a completed cell job returns (kept in Redis: `--status` reads it). */
export interface CellJobResult {
  id: string;
  accuracy: number;
  steps: number;
  skipped: boolean;
}

export const RESULTS_ENV = 'SSGAN_QUEUE_RESULTS';
export const DATA_DIR_ENV = 'SSGAN_QUEUE_DATA_DIR';

/**
 * BullMQ's sandboxed processor: one cell in a child of `ssgan worker`, so an hour of training
 * never holds up the lock renewal in the worker's own process.
 */
export default async function processCell(
  job: SandboxedJob,
  token?: string,
  signal?: AbortSignal,
): Promise<CellJobResult> {
  let data;
  try {
    data = checkJobData(job.data);
  } catch (e) {
    // Retrying cannot mend a payload: fail it now, once.
    throw new UnrecoverableError(`job ${job.id}: ${(e as Error).message}`);
  }
  const root = process.env[RESULTS_ENV];
  if (!root) throw new UnrecoverableError(`job ${job.id}: the worker has no results folder (${RESULTS_ENV})`);
  const task = taskOfJob(data, root, process.env[DATA_DIR_ENV] || undefined);
  if (task.ganAug && !existsSync(join(task.ganAug.ganRunDir, 'result.json')))
    throw new UnrecoverableError(
      `${GAN_MISSING}${data.ganAug!.id} has no result (${join(task.ganAug.ganRunDir, 'result.json')})`,
    );
  const skipped = existsSync(join(task.runDir, 'result.json'));
  const out = await runCell(task, {
    signal,
    // Progress is for watching only: a lost update must not fail the cell.
    onProgress: (p) => void job.updateProgress({ id: data.id, step: p.step, epoch: p.epoch }).catch(() => {}),
  });
  if (out.status === 'stopped') {
    // The worker is shutting down: back to the queue without using an attempt; the next worker
    // to take it resumes from the checkpoint.
    await job.moveToWait(token);
    throw new WaitingError();
  }
  if (out.status === 'failed') throw new Error(out.failure);
  return { id: data.id, accuracy: out.result.accuracy, steps: out.result.steps, skipped };
}

// The worker died (kill -9): its IPC channel closes. Exit, and the training child's orphan guard
// ends it too, so nothing goes on writing into a run folder another worker will resume.
process.on('disconnect', () => process.exit(1));
