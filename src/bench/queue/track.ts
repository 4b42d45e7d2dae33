import { Queue, QueueEvents, type RedisOptions } from 'bullmq';
import cliProgress from 'cli-progress';
import { finishedResult } from '../cell-run.ts';
import type { KeyedCell } from '../plan.ts';
import { type ResultRow, failedRow, rowFromResult } from '../results.ts';
import { GAN_MISSING, jobIdOf, sweepPrefix } from './jobs.ts';
import type { QueuedSweep } from './submit.ts';

export type CellState = 'done' | 'running' | 'waiting' | 'failed' | 'missing';

export interface CellStatus {
  cell: KeyedCell;
  jobId: string;
  state: CellState;
  progress?: { step: number; epoch: number };
  failure?: string;
  attempts: number;
}

/** A job under the sweep's id prefix that is none of its cells (e.g. a malformed payload). */
export interface StrayJob {
  jobId: string;
  state: string;
  failure?: string;
  data: unknown;
}

export interface SweepStatus {
  cells: CellStatus[];
  strays: StrayJob[];
}

function stateOf(bull: string, hasResult: boolean): CellState {
  if (hasResult) return 'done';
  if (bull === 'active') return 'running';
  if (bull === 'failed') return 'failed';
  if (bull === 'completed') return 'failed'; // completed without a result in the folder: not a result
  if (bull === 'unknown') return 'missing';
  return 'waiting'; // waiting, delayed (backoff), waiting-children, prioritized
}

/** Where the sweep stands: the results folder first (the source of truth), Redis for the rest. */
export async function sweepStatus(queue: Queue, q: QueuedSweep): Promise<SweepStatus> {
  const cells: CellStatus[] = [];
  for (const cell of q.cells) {
    const jobId = jobIdOf(q.sweep, cell);
    const hasResult = !!finishedResult(cell.runDir, cell.key);
    // State first, then the job: its failure reason is then at least as new as the state.
    const bull = hasResult ? 'completed' : await queue.getJobState(jobId);
    const job = hasResult ? null : await queue.getJob(jobId);
    const p = job?.progress as { step?: number; epoch?: number } | undefined;
    cells.push({
      cell,
      jobId,
      state: stateOf(bull, hasResult),
      progress:
        p && typeof p === 'object' && typeof p.step === 'number' ? { step: p.step, epoch: p.epoch ?? 0 } : undefined,
      failure:
        bull === 'failed'
          ? job?.failedReason
          : bull === 'completed'
            ? `job completed but ${cell.runDir}/result.json is missing or of another cell`
            : undefined,
      attempts: job?.attemptsMade ?? 0,
    });
  }
  const known = new Set(cells.map((c) => c.jobId));
  const prefix = sweepPrefix(q.sweep);
  const strays: StrayJob[] = [];
  for (const listed of await queue.getJobs(['failed', 'active', 'waiting', 'delayed'])) {
    if (!listed?.id || known.has(listed.id) || !listed.id.startsWith(prefix + '.')) continue;
    const state = await queue.getJobState(listed.id);
    const job = (await queue.getJob(listed.id)) ?? listed;
    strays.push({ jobId: listed.id, state, failure: job.failedReason, data: job.data });
  }
  return { cells, strays };
}

export function isSettled(s: SweepStatus): boolean {
  return (
    s.cells.every((c) => c.state === 'done' || c.state === 'failed' || c.state === 'missing') &&
    s.strays.every((j) => j.state === 'failed' || j.state === 'completed')
  );
}

export function describeStatus(s: SweepStatus): string {
  const count = (st: CellState) => s.cells.filter((c) => c.state === st).length;
  const lines = [
    `${s.cells.length} cells: ${count('done')} done, ${count('running')} running, ${count('waiting')} waiting, ${count('failed')} failed${count('missing') ? `, ${count('missing')} not in the queue` : ''}`,
  ];
  for (const c of s.cells) {
    if (c.state === 'running')
      lines.push(
        `  running ${c.cell.id}${c.progress ? `: epoch ${c.progress.epoch.toFixed(2)}, step ${c.progress.step}` : ''}`,
      );
    if (c.state === 'failed') lines.push(`  failed  ${c.cell.id}: ${c.failure ?? 'no reason recorded'}`);
    if (c.state === 'missing') lines.push(`  missing ${c.cell.id}: no job and no result (submit the sweep again)`);
  }
  for (const j of s.strays) lines.push(`  ${j.state} ${j.jobId}: ${j.failure ?? ''}`);
  return lines.join('\n');
}

/**
 * Puts the sweep's failed cells back in the queue (a fresh set of attempts). A gan-aug cell whose
 * GAN has no result yet waits: `followSweep` retries it once its GAN is done.
 */
export async function retryFailed(
  queue: Queue,
  q: QueuedSweep,
  which: (c: CellStatus) => boolean = () => true,
): Promise<string[]> {
  const s = await sweepStatus(queue, q);
  const retried: string[] = [];
  const ganDone = (c: KeyedCell) => {
    const gan = q.cells.find((d) => d.id === c.dependsOn);
    return !gan || !!finishedResult(gan.runDir, gan.key);
  };
  for (const c of s.cells) {
    if (c.state !== 'failed' || !ganDone(c.cell) || !which(c)) continue;
    const job = await queue.getJob(c.jobId);
    if (job && (await job.getState()) === 'failed') {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      retried.push(c.cell.id);
    }
  }
  return retried;
}

/** Follows the sweep until every cell has ended; a progress bar on a terminal, a line per change otherwise. */
export async function followSweep(
  connection: RedisOptions,
  queue: Queue,
  q: QueuedSweep,
  log: (m: string) => void,
  pollMs = 2000,
): Promise<SweepStatus> {
  const events = new QueueEvents(queue.name, { connection });
  const tty = process.stderr.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format: 'cells {bar} {value}/{total} done | {running} running | {failed} failed | {detail}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(q.cells.length, 0, { running: 0, failed: 0, detail: '' });
  let wake: (() => void) | null = null;
  const poke = () => wake?.();
  events.on('progress', poke);
  events.on('completed', poke);
  events.on('failed', poke);
  events.on('active', poke);
  const seen = new Map<string, string>();
  let status: SweepStatus;
  try {
    for (;;) {
      status = await sweepStatus(queue, q);
      // A gan-aug cell that failed while its GAN had no result goes again once the GAN is done.
      const retried = await retryFailed(queue, q, (c) => !!c.failure?.startsWith(GAN_MISSING));
      if (retried.length) status = await sweepStatus(queue, q);
      const running = status.cells.filter((c) => c.state === 'running');
      const failed = status.cells.filter((c) => c.state === 'failed');
      const done = status.cells.filter((c) => c.state === 'done');
      const detail = running
        .map((c) => `${c.cell.id}${c.progress ? ` epoch ${c.progress.epoch.toFixed(2)}` : ''}`)
        .join(', ');
      bar?.update(done.length, { running: running.length, failed: failed.length, detail });
      for (const c of status.cells) {
        const line =
          c.state === 'running'
            ? `running${c.progress ? ` (step ${c.progress.step}, epoch ${c.progress.epoch.toFixed(2)})` : ''}`
            : c.state === 'failed'
              ? `FAILED: ${c.failure}`
              : c.state;
        if (!tty && seen.get(c.cell.id) !== line && c.state !== 'waiting')
          log(
            `[${done.length}/${q.cells.length} done, ${running.length} running, ${failed.length} failed] ${c.cell.id}: ${line}`,
          );
        seen.set(c.cell.id, line);
      }
      if (isSettled(status)) break;
      await new Promise<void>((r) => {
        const t = setTimeout(r, pollMs);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
      wake = null;
    }
  } finally {
    bar?.stop();
    await events.close();
  }
  return status!;
}

/** results.json rows from the results folder, with Redis' failure reasons for the cells that have none. */
export function rowsOf(q: QueuedSweep, s: SweepStatus): ResultRow[] {
  const rows: ResultRow[] = [];
  const byId = new Map(s.cells.map((c) => [c.cell.id, c]));
  for (const c of s.cells) {
    const r = finishedResult(c.cell.runDir, c.cell.key);
    if (r) {
      rows.push(rowFromResult(c.cell.id, c.cell.runDir, r, c.cell.key));
      continue;
    }
    const gan = c.cell.dependsOn ? byId.get(c.cell.dependsOn) : undefined;
    const why =
      gan && gan.state === 'failed'
        ? `its GAN cell ${gan.cell.id} failed: ${gan.failure ?? 'no reason recorded'}`
        : (c.failure ?? (c.state === 'missing' ? 'not in the queue (submit the sweep again)' : c.state));
    rows.push(failedRow(q.spec.dataset, c.cell, why));
  }
  for (const j of s.strays) {
    const d = (j.data ?? {}) as Record<string, unknown>;
    rows.push(
      failedRow(
        q.spec.dataset,
        {
          id: j.jobId,
          labels: typeof d.labels === 'number' || d.labels === 'all' ? d.labels : 'all',
          method: typeof d.method === 'string' ? d.method : 'unknown',
          seed: typeof d.seed === 'number' ? d.seed : 0,
          runDir: '',
        },
        j.failure ?? `job ${j.jobId} ${j.state}`,
      ),
    );
  }
  return rows;
}
