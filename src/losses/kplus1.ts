import * as tf from '@tensorflow/tfjs';

/**
 * Losses of the K+1-class discriminator. With K real-class logits l and a "generated" logit
 * l_fake (0 for the implicit head), p(real | x) = sigmoid(d) with d = lse(l) - l_fake, so
 *   -log p(real) = softplus(-d),   -log p(generated) = softplus(d).
 * Written over d, the implicit and explicit heads share every loss.
 */
export function realnessLogit(logits: tf.Tensor2D, fakeLogit: tf.Tensor1D): tf.Tensor1D {
  return tf.sub(logSumExpRows(logits), fakeLogit);
}

/**
 * Row-wise log-sum-exp whose gradient is written as softmax(x)·dy. tf.logSumExp differentiates
 * through max(), whose gradient uses Equal, which has no gradient itself: that breaks the
 * second-order gradients WGAN-GP needs. Softmax and mul differentiate again without trouble.
 */
export const logSumExpRows = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.logSumExp(x, 1),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.expandDims(dy, 1), tf.softmax(saved[0] as tf.Tensor2D)),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D) => tf.Tensor1D;

/** Cross-entropy over the K real classes: mean(lse(l) - l_y). */
export function supervisedLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const K = logits.shape[1];
  const picked = tf.sum(tf.mul(logits, tf.oneHot(tf.cast(labels, 'int32'), K)), 1);
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked));
}

/**
 * Unlabelled real data should look real, generated data generated. The 0.5 weights follow the
 * reference implementation (train_mnist_feature_matching.py). `smoothing` is one-sided label
 * smoothing: real targets become 1 - smoothing, generated targets stay 0.
 */
export function unsupervisedLoss(dReal: tf.Tensor1D, dGen: tf.Tensor1D, smoothing = 0): tf.Scalar {
  let realTerm = tf.mean(tf.softplus(tf.neg(dReal)));
  if (smoothing > 0) {
    realTerm = tf.add(tf.mul(1 - smoothing, realTerm), tf.mul(smoothing, tf.mean(tf.softplus(dReal))));
  }
  return tf.add(tf.mul(0.5, realTerm), tf.mul(0.5, tf.mean(tf.softplus(dGen))));
}
