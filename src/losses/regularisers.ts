import * as tf from '@tensorflow/tfjs';

/**
 * Consistency of two stochastic passes over the same images (CT-GAN, Wei et al. 2018): the mean
 * over rows of the squared distance between their class distributions.
 */
export function consistencyLoss(logitsA: tf.Tensor2D, logitsB: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sum(tf.squaredDifference(tf.softmax(logitsA), tf.softmax(logitsB)), 1));
}

/**
 * Conditional entropy of the class distribution on unlabelled images (as in Bad GAN's SVHN
 * code): low where the classifier is sure, so minimising it pushes boundaries into empty space.
 */
export function conditionalEntropy(logits: tf.Tensor2D): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logp), logp), 1))) as tf.Scalar;
}
