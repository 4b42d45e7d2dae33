import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsRow } from '../../run/types.ts';
import { appendJsonl, writeFileAtomic } from '../../util/fs.ts';
import type { Callback, StepLogs } from '../callback.ts';
import type { TrainContext } from '../context.ts';

/**
 * metrics.jsonl: a row every `logEvery` steps and at every epoch end, with the mean of each of the
 * method's numbers since the last row, throughput, and the point values other callbacks put in
 * `ctx.row`. The running sums are part of the checkpoint, so a resumed run writes the same rows.
 */
export function metricsJsonl(logEvery: number): Callback {
  let sums: Record<string, number> = {};
  let n = 0;
  let lastTime = 0;
  let lastStep = 0;
  const write = (ctx: TrainContext) => {
    const now = performance.now();
    const means = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
    const ips = ((ctx.step - lastStep) * ctx.method.imagesPerStep) / ((now - lastTime) / 1000);
    const row: MetricsRow = {
      step: ctx.step,
      epoch: ctx.step / ctx.stepsPerEpoch,
      wallSeconds: ctx.clock.elapsed(),
      ...means,
      imagesPerSecond: ips,
      ...ctx.row,
    };
    appendJsonl(join(ctx.runDir, 'metrics.jsonl'), row);
    ctx.lastRow = row;
    ctx.row = {};
    sums = {};
    n = 0;
    lastTime = now;
    lastStep = ctx.step;
  };
  return {
    name: 'metrics',
    onTrainBegin(ctx) {
      if (ctx.resuming) truncateMetrics(join(ctx.runDir, 'metrics.jsonl'), ctx.step);
      lastTime = performance.now();
      lastStep = ctx.step;
    },
    onStepEnd(ctx, logs: StepLogs) {
      for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v;
      n++;
      if (ctx.step % logEvery === 0 && ctx.step % ctx.stepsPerEpoch !== 0) write(ctx);
    },
    onEpochEnd: write,
    // JSON has no NaN: such a sum comes back as null and is restored as NaN.
    state: () => ({ sums, n }),
    restore(s) {
      sums = Object.fromEntries(
        Object.entries((s.sums ?? {}) as Record<string, number | null>).map(([k, v]) => [k, v ?? NaN]),
      );
      n = Number(s.n ?? 0);
    },
  };
}

/** Drops metric rows written after the checkpoint a run resumes from, so none appear twice. */
function truncateMetrics(path: string, step: number): void {
  if (!existsSync(path)) return;
  const keep = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l && JSON.parse(l).step <= step);
  writeFileAtomic(path, keep.map((l) => l + '\n').join(''));
}
