import type { BackendInfo } from '../backend/select.ts';
import type { TrainConfig } from '../config/train-config.ts';
import type { Dataset, LabelSplit } from '../data/types.ts';
import type { Method } from '../methods/types.ts';
import type { MetricsRow } from '../run/types.ts';

/** Wall time of a run, across resumes: what a checkpoint stores as `wallSeconds`. */
export class Clock {
  private prior = 0;
  private startedAt: number | null = null;

  restore(seconds: number): void {
    this.prior = seconds;
  }
  start(): void {
    this.startedAt = performance.now();
  }
  stop(): void {
    this.prior = this.elapsed();
    this.startedAt = null;
  }
  elapsed(): number {
    return this.prior + (this.startedAt === null ? 0 : (performance.now() - this.startedAt) / 1000);
  }
}

/** What a step and a callback may read, and the few things they may change (step, row, stop). */
export interface TrainContext {
  readonly cfg: TrainConfig;
  readonly ds: Dataset;
  readonly split: LabelSplit;
  readonly method: Method;
  readonly backend: BackendInfo;
  readonly runDir: string;
  /** --resume was asked for and a checkpoint exists. */
  readonly resuming: boolean;
  readonly log: (msg: string) => void;
  readonly stepsPerEpoch: number;
  /** From --steps and --epochs (Infinity when only a wall-time budget bounds the run). */
  readonly maxSteps: number;
  readonly clock: Clock;
  readonly callbacks: readonly Callback[];
  /** Steps done. */
  step: number;
  /** Point values for the next metrics row (learning rate, test accuracy...), filled by callbacks. */
  row: Record<string, number | string | null>;
  /** The last row written to metrics.jsonl. */
  lastRow: MetricsRow | null;
  /** Why the run stopped, once it has: 'steps' | 'epochs' | 'budget' | 'nan'. */
  stoppedBy: string | null;
  /** The stop came mid-step (a diverged loss): the step is not to be recorded. */
  aborted: boolean;
  stop(reason: string, opts?: { abort?: boolean }): void;
  /** Learning rate at a step, from the schedule (src/train/schedule.ts). */
  lrAt(step: number): number;
}

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
