import * as tf from '@tensorflow/tfjs';

/**
 * Cross-entropy over the K classes with a weight per example, averaged over the batch:
 * (1/n) Σ w_i (lse(l_i) - l_i[y_i]). Dividing by n rather than Σ w keeps a real example's pull
 * the same whatever share of the batch is synthetic; all weights 1 is the plain loss.
 */
export function weightedSupervisedLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor1D): tf.Scalar {
  const K = logits.shape[1];
  const picked = tf.sum(tf.mul(logits, tf.oneHot(tf.cast(labels, 'int32'), K)), 1);
  return tf.mean(tf.mul(weights, tf.sub(tf.logSumExp(logits, 1), picked)));
}
