import type * as tf from '@tensorflow/tfjs';
import type { OptionTable } from '../config/options.ts';
import type { LabelSplit } from '../data/types.ts';
import type { Dataset, ImageSet } from '../data/types.ts';
import type { ParamStore } from '../models/params.ts';
import type { ModelSpec } from '../models/types.ts';
import type { LoadedRun, RunKind } from '../run/types.ts';
import type { TrainConfig } from '../config/train-config.ts';

/** What a method is built from: the run's settings and its data, already split. */
export interface MethodSetup {
  cfg: TrainConfig;
  ds: Dataset;
  split: LabelSplit;
  log: (msg: string) => void;
}

/**
 * One training algorithm. It owns its networks and optimizers; the loop only asks it for a step.
 * `trainStep` returns a free-keyed record of numbers (losses start with `loss`); the metrics
 * callback averages each key over the rows it writes.
 */
export interface Method {
  readonly spec: ModelSpec;
  /** The labelled examples the method trains on (the split's, plus any it adds). */
  readonly labelled: ImageSet;
  /** Images through the networks per step, for throughput. */
  readonly imagesPerStep: number;
  /** Everything a checkpoint must hold to continue exactly, by name. */
  nets(): Record<string, ParamStore>;
  optimizers(): Record<string, tf.Optimizer>;
  /** Moves the method's batch streams to `step`, so a resumed run draws the batches it would have. */
  seek(step: number): void;
  setLearningRate(lr: number): void;
  trainStep(step: number): Record<string, number>;
  /** The evaluation-mode classifier: K real-class logits. */
  classify(x: tf.Tensor4D): tf.Tensor2D;
  /** Present where the method trains a generator. */
  readonly generator: LoadedRun['generator'];
  /** Extra fields for run.json (e.g. how many generated images joined the labels). */
  recordExtras(): Record<string, unknown>;
  /** One phrase for the start-of-run log line, e.g. "100 labelled, 8000 unlabelled". */
  describeData(): string;
  dispose(): void;
}

/** A registry entry: how a method is configured, named, and built. */
export interface MethodDefinition<T extends OptionTable = OptionTable> {
  id: string;
  /** What run folders record: 'gan' runs have a generator checkpoint, 'baseline' runs do not. */
  kind: RunKind;
  summary: string;
  options: T;
  /** The name bench and reports use for a run with these settings. */
  runName(cfg: TrainConfig): string;
  /** The part of the default run folder name after the architecture. */
  runTag(cfg: TrainConfig): string;
  /** Named settings a sweep can compare; each name must equal runName of its settings. */
  variants: Record<string, { settings: Record<string, unknown>; needsGenerator?: boolean }>;
  /** Adjusts settings the running backend cannot honour, saying so. */
  adapt?(cfg: TrainConfig, env: { log: (msg: string) => void; backend: string }): TrainConfig;
  /** Checks settings beyond their table (files that must exist...), with one line naming the flag. */
  validate?(cfg: TrainConfig): void;
  create(setup: MethodSetup): Method;
}
