import type * as tf from '@tensorflow/tfjs';
import type { Environment } from './record.ts';
import type { DataProvenance } from '../data/types.ts';

/**
 * The contract between training (which writes run folders) and everything that reads them
 * (evaluate, bench, report, generate, quality, explore).
 *
 * A run folder (`runs/<name>/`) holds:
 *   run.json        RunRecord: full config, environment, data checksum, labelled-index hash
 *   metrics.jsonl   one MetricsRow per line, appended as training goes
 *   result.json     RunResult, written (atomically) when the run ends
 *   checkpoint/     the newest checkpoints, one step-<N>/ folder each, latest.json naming the newest (src/train/checkpoint.ts)
 *   samples.png     a grid of generator samples (GAN runs)
 */
export type RunKind = 'gan' | 'baseline';

export interface RunRecord {
  kind: RunKind;
  /** Run name used by bench and report, e.g. 'sslgan-mlp', 'sslgan-dcgan-wgan-gp', 'supervised-aug'. */
  method: string;
  /** Every option the run used (defaults filled in). */
  config: Record<string, unknown> & { dataset: string; labels: number | 'all'; seed: number };
  environment: Environment;
  data: {
    name: string;
    checksum: string;
    source: string;
    numClasses: number;
    trainCount: number;
    testCount: number;
    /** Image files read (folder datasets, --unlabelled-dir): file-list hash, class order, preprocessing, test kind. */
    provenance?: DataProvenance;
  };
  split: { labelledCount: number; unlabelledCount: number; validationCount: number; labelledHash: string };
  startedAt: string;
}

export interface MetricsRow {
  step: number;
  epoch: number;
  wallSeconds: number;
  [metric: string]: number | string | null;
}

export interface RunResult {
  kind: RunKind;
  method: string;
  dataset: string;
  labels: number | 'all';
  seed: number;
  /** Test-set accuracy of the final (EMA, noise-off where applicable) classifier, in [0,1]. */
  accuracy: number;
  error: number;
  /** Validation accuracy when a validation split was asked for (what checkpoint choice may use). */
  validationAccuracy: number | null;
  steps: number;
  epochs: number;
  wallSeconds: number;
  /** Why training stopped: 'steps' | 'epochs' | 'budget' | 'nan'. */
  stoppedBy: string;
  backend: string;
  versions: { ssgan: string; tfjs: string; node: string };
  dataChecksum: string;
  /** Row-major K x K, rows = true class, columns = predicted. */
  confusion: number[][];
  classNames: string[];
  finishedAt: string;
}

/** A trained run brought back into memory. All image tensors are NHWC floats in [0, 1]. */
export interface LoadedRun {
  dir: string;
  record: RunRecord;
  result: RunResult | null;
  numClasses: number;
  imageShape: [number, number, number];
  /** The evaluation-mode classifier (EMA weights, noise off): K real-class logits. */
  classify(x: tf.Tensor4D): tf.Tensor2D;
  /** The classifier's last hidden layer (what feature matching and Fréchet distances use). */
  features(x: tf.Tensor4D): tf.Tensor2D;
  /** Same network, with the "generated" logit too (zeros for the implicit head). */
  discriminate(x: tf.Tensor4D): { logits: tf.Tensor2D; fakeLogit: tf.Tensor1D };
  /** Present for GAN runs only. */
  generator: {
    latentDim: number;
    /** Conditional generators take one class per row; unconditional ones ignore `classes`. */
    conditional: boolean;
    sample(z: tf.Tensor2D, classes?: tf.Tensor1D): tf.Tensor4D;
    /** Draws `n` latent vectors from the generator's prior with the given seed. */
    latent(n: number, seed: number): tf.Tensor2D;
  } | null;
  dispose(): void;
}
