import type { TrainContext } from './context.ts';

/** What a method's step returned: losses (keys starting with `loss`) and other numbers. */
export type StepLogs = Record<string, number>;

/**
 * Everything around the loop is a callback: checkpoints, metrics, evaluation, budgets. Every
 * hook is optional and may be async. A callback with state returns it from `state()`; the
 * checkpoint stores it and `restore()` gets it back on resume, so a resumed run carries on.
 */
export interface Callback {
  /** Key of this callback's state in checkpoints. */
  readonly name: string;
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onStepBegin?(ctx: TrainContext): void | Promise<void>;
  /** After `ctx.step` was counted up: `logs` are the step's own numbers. */
  onStepEnd?(ctx: TrainContext, logs: StepLogs): void | Promise<void>;
  /** After onStepEnd, when the step closes an epoch. */
  onEpochEnd?(ctx: TrainContext, logs: StepLogs): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
  onException?(ctx: TrainContext, error: unknown): void | Promise<void>;
  state?(): Record<string, unknown>;
  restore?(state: Record<string, unknown>): void;
}

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
