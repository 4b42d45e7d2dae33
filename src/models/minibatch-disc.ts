import * as tf from '@tensorflow/tfjs';
import type { LayerCtx } from './layers.ts';

/**
 * Minibatch discrimination (Salimans et al. 2016, §3.2): each example's features are projected
 * to B kernels of C dimensions, M_b (B x C); for each kernel, o_b = Σ_{j≠b} exp(-||M_b - M_j||₁)
 * measures how many batch neighbours look alike. Appending o to the features lets D see a
 * collapsed batch, which pushes G to keep its samples apart.
 */
export function minibatchFeatures(
  x: tf.Tensor2D,
  T: tf.Tensor2D,
  kernels: number,
  dims: number,
  group = x.shape[0],
): tf.Tensor2D {
  const n = x.shape[0];
  // Examples are compared within groups: D sees labelled, unlabelled and generated batches
  // concatenated, and a generated batch must be judged against itself, not against real data.
  const g = n % group === 0 ? group : n;
  const m = tf.reshape(tf.matMul(x, T), [n / g, g, kernels, dims]);
  // Pairwise L1 distances per kernel within each group: [groups, g, g, kernels].
  const diff = tf.sub(tf.expandDims(m, 2), tf.expandDims(m, 1));
  const l1 = tf.sum(tf.abs(diff), 4);
  // exp(-0) = 1 for every example against itself: subtract it.
  const o = tf.reshape(tf.sub(tf.sum(tf.exp(tf.neg(l1)), 2), 1), [n, kernels]);
  return tf.concat([x, o as tf.Tensor2D], 1);
}

export function minibatchLayer(
  ctx: LayerCtx,
  name: string,
  x: tf.Tensor2D,
  group: number,
  kernels = 100,
  dims = 5,
  seed = 77,
): tf.Tensor2D {
  const T = ctx.p.get(`${name}/T`, () =>
    tf.randomNormal([x.shape[1], kernels * dims], 0, 0.05, 'float32', ctx.initSeed + seed),
  );
  return minibatchFeatures(x, T as tf.Tensor2D, kernels, dims, group);
}
