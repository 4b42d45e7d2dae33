import type { Callback, TrainContext } from './context.ts';

export type { Callback, StepLogs } from './context.ts';

type Hook = 'onTrainBegin' | 'onStepBegin' | 'onStepEnd' | 'onEpochEnd' | 'onTrainEnd' | 'onException';

/**
 * Calls a hook on every callback in order. A callback that stops the run with `abort` (a diverged
 * step) ends the dispatch of that hook: nothing after it may record the step.
 */
export async function dispatch(
  callbacks: readonly Callback[],
  hook: Hook,
  ctx: TrainContext,
  arg?: unknown,
): Promise<void> {
  for (const c of callbacks) {
    const f = c[hook] as ((ctx: TrainContext, arg?: unknown) => void | Promise<void>) | undefined;
    if (f) await f.call(c, ctx, arg);
    if (ctx.aborted && hook !== 'onTrainEnd' && hook !== 'onException') return;
  }
}
