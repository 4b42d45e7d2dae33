import type { Method } from '../methods/types.ts';
import type { Callback } from './callback.ts';
import { loadNetInto, readState, restoreOptimizer } from './checkpoint.ts';
import type { Clock } from './context.ts';

/** What a checkpoint stores besides weights: the wall time and every callback's state, by name. */
export interface CheckpointExtra {
  wallSeconds: number;
  callbacks?: Record<string, Record<string, unknown>>;
}

export function checkpointExtra(clock: Clock, callbacks: readonly Callback[]): CheckpointExtra {
  const states = Object.fromEntries(callbacks.filter((c) => c.state).map((c) => [c.name, c.state!()]));
  return { wallSeconds: clock.elapsed(), callbacks: states };
}

/** Loads the method's networks from a checkpoint; returns the step it was taken at. */
export function restoreNets(ckptDir: string, method: Method): number {
  const { step } = readState(ckptDir);
  for (const [name, params] of Object.entries(method.nets())) loadNetInto(ckptDir, name, params);
  return step;
}

/**
 * Brings a run back to its checkpoint: networks, optimizer slots, wall time and callback
 * states, so it continues with the numbers an uninterrupted run gives.
 */
export async function restoreRun(
  ckptDir: string,
  method: Method,
  callbacks: readonly Callback[],
  clock: Clock,
): Promise<number> {
  const step = restoreNets(ckptDir, method);
  for (const [name, opt] of Object.entries(method.optimizers())) await restoreOptimizer(ckptDir, name, opt);
  const extra = readState(ckptDir).extra as Partial<CheckpointExtra>;
  clock.restore(Number(extra.wallSeconds ?? 0));
  for (const c of callbacks) {
    const s = extra.callbacks?.[c.name];
    if (s && c.restore) c.restore(s);
  }
  return step;
}
