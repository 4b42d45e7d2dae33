import * as tf from '@tensorflow/tfjs';

/**
 * WGAN-GP differentiates a gradient. Checked on the running backend with a tiny net, so an
 * unsupported backend falls back to weight clipping with a message instead of failing mid-run.
 */
export function secondOrderGradientsWork(): boolean {
  try {
    return tf.tidy(() => {
      const w = tf.variable(
        tf.tensor2d([
          [0.5, -0.3],
          [0.2, 0.8],
        ]),
        true,
        `second-order-probe-${Date.now()}`,
      );
      try {
        const x = tf.tensor2d([[1, 2]]);
        const { grads } = tf.variableGrads(() => {
          const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(tf.matMul(xi as tf.Tensor2D, w))))(x);
          return tf.sum(tf.square(g));
        }, [w]);
        const gw = grads[w.name].dataSync();
        return Array.from(gw).every(Number.isFinite) && Array.from(gw).some((v) => v !== 0);
      } finally {
        w.dispose();
      }
    });
  } catch {
    return false;
  }
}
