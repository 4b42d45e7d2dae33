import * as tf from '@tensorflow/tfjs';

/**
 * Weight norm folded into a plain kernel: W = g · v/||v|| (norm per output unit, with the same
 * 1e-6 the training layers add), so a standard Dense or Conv2D computes exactly x·W + b.
 */
export function foldDense(v: tf.Tensor, g: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.div(v, tf.sqrt(tf.add(tf.sum(tf.square(v), 0, true), 1e-6))), g) as tf.Tensor2D);
}

export function foldConv(v: tf.Tensor, g: tf.Tensor): tf.Tensor4D {
  return tf.tidy(
    () => tf.mul(tf.div(v, tf.sqrt(tf.add(tf.sum(tf.square(v), [0, 1, 2], true), 1e-6))), g) as tf.Tensor4D,
  );
}

/** The first `k` output columns (the K real classes of an explicit K+1 head). */
export function firstColumns(w: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.slice(w, [0, 0], [w.shape[0], k]);
}
