import { FlowProducer, type FlowJob, type JobsOptions, type RedisOptions } from 'bullmq';
import { finishedResult } from '../cell-run.ts';
import type { KeyedCell, SweepSpec } from '../plan.ts';
import { jobDataOf, jobIdOf } from './jobs.ts';

/** A sweep as the queue sees it: its cells, their keys and job ids. */
export interface QueuedSweep {
  spec: SweepSpec;
  cells: KeyedCell[];
  sweep: string;
  dataChecksum: string;
}

export interface JobSettings {
  attempts: number;
  backoffSeconds: number;
}

export function jobOptions(jobId: string, s: JobSettings): JobsOptions {
  return {
    jobId,
    attempts: s.attempts,
    backoff: { type: 'exponential', delay: s.backoffSeconds * 1000 },
    // Never removed: a removed id could be added again by a later submission and run the cell twice.
    removeOnComplete: false,
    removeOnFail: false,
  };
}

/**
 * Adds every cell whose result is not yet in the results folder, each under its deterministic id
 * (a second submission, at once or later, adds nothing). A gan-aug cell is a flow: its GAN cell
 * is its child, so it waits for the generator; a failed GAN lets it start, and fail, naming the GAN.
 */
export async function submitSweep(
  connection: RedisOptions,
  queueName: string,
  q: QueuedSweep,
  s: JobSettings,
): Promise<{ submitted: number; alreadyDone: number }> {
  const byId = new Map(q.cells.map((c) => [c.id, c]));
  const done = new Set(q.cells.filter((c) => finishedResult(c.runDir, c.key)).map((c) => c.id));
  const leaf = (c: KeyedCell): FlowJob => ({
    name: c.id,
    queueName,
    data: jobDataOf(q.spec, q.sweep, q.dataChecksum, c, byId),
    opts: jobOptions(jobIdOf(q.sweep, c), s),
  });
  const asChild = new Set(q.cells.filter((c) => c.dependsOn && !done.has(c.id)).map((c) => c.dependsOn!));
  const flows: FlowJob[] = [];
  for (const c of q.cells) {
    if (done.has(c.id) || asChild.has(c.id)) continue; // finished, or added as a gan-aug cell's child
    const gan = c.dependsOn ? byId.get(c.dependsOn)! : undefined;
    if (gan && !done.has(gan.id))
      flows.push({
        ...leaf(c),
        children: [
          { ...leaf(gan), opts: { ...jobOptions(jobIdOf(q.sweep, gan), s), ignoreDependencyOnFailure: true } },
        ],
      });
    else flows.push(leaf(c));
  }
  const producer = new FlowProducer({ connection });
  try {
    if (flows.length) await producer.addBulk(flows);
  } finally {
    await producer.close();
  }
  return { submitted: q.cells.length - done.size, alreadyDone: done.size };
}
