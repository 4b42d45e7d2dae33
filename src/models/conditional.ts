import * as tf from '@tensorflow/tfjs';
import { dcganGenerator } from './dcgan.ts';
import type { Mode } from './layers.ts';
import { mlpGenerator } from './mlp.ts';
import type { ParamStore } from './params.ts';
import { sampleLatent } from './index.ts';
import type { ModelSpec } from './types.ts';

/** G(z, y): a generator that draws an image of class y. */
export interface ConditionalGenerator {
  params: ParamStore;
  latentDim: number;
  numClasses: number;
  /** z: [n, latentDim], classes: [n] int32 → NHWC images in [0,1]. */
  apply(z: tf.Tensor2D, classes: tf.Tensor1D, mode: Mode): tf.Tensor4D;
}

/**
 * The unconditional generator of the architecture fed [z, one-hot(y)] (the conditioning of
 * Mirza & Osindero's cGAN): its first layer is dense, so the class reaches every later layer,
 * and the unconditional networks stay exactly as they were.
 */
export function conditionalGenerator(spec: ModelSpec): ConditionalGenerator {
  const inner = spec.arch === 'mlp' ? mlpGenerator(spec) : dcganGenerator(spec);
  const K = spec.numClasses;
  return {
    params: inner.params,
    latentDim: spec.latentDim,
    numClasses: K,
    apply: (z, classes, mode) =>
      tf.tidy(() => inner.apply(tf.concat([z, tf.oneHot(tf.cast(classes, 'int32'), K)], 1) as tf.Tensor2D, mode)),
  };
}

/** Classes for n rows when none are given: equal runs of 0..K-1, so a 10x10 grid has one class per row. */
export function rowClasses(n: number, K: number): tf.Tensor1D {
  return tf.tensor1d(
    Int32Array.from({ length: n }, (_, i) => Math.min(K - 1, Math.floor((i * K) / n))),
    'int32',
  );
}

/** A conditional generator as the rest of the toolkit samples it (batch statistics, as in training). */
export function conditionalView(G: ConditionalGenerator, spec: ModelSpec) {
  return {
    latentDim: spec.latentDim,
    conditional: true,
    sample: (z: tf.Tensor2D, classes?: tf.Tensor1D) =>
      tf.tidy(() => G.apply(z, classes ?? rowClasses(z.shape[0], spec.numClasses), { training: true, seed: 0 })),
    latent: (n: number, seed: number) => sampleLatent(spec.arch, n, spec.latentDim, seed),
  };
}
