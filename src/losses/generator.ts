import * as tf from '@tensorflow/tfjs';

/** Feature matching (Salimans et al. §3.1): squared distance between batch means of D's last hidden layer. */
export function featureMatchingLoss(realFeatures: tf.Tensor2D, genFeatures: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(genFeatures, 0))));
}

/** Non-saturating minimax loss: -log p(real | G(z)) = softplus(-d). */
export function minimaxGeneratorLoss(dGen: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(dGen)));
}
