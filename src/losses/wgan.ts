import * as tf from '@tensorflow/tfjs';

/** The critic's Wasserstein estimate: real scores up, generated scores down. */
export function criticLoss(scoreReal: tf.Tensor1D, scoreGen: tf.Tensor1D): tf.Scalar {
  return tf.sub(tf.mean(scoreGen), tf.mean(scoreReal)) as tf.Scalar;
}

export function wganGeneratorLoss(scoreGen: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean(scoreGen)) as tf.Scalar;
}

/**
 * Gradient penalty (Gulrajani et al. 2017): mean over interpolates x̂ of (||∇x̂ c(x̂)||₂ - 1)².
 * The gradient is taken inside the caller's tape, so training differentiates through it
 * (a second-order gradient).
 */
export function gradientPenalty(
  critic: (x: tf.Tensor4D) => tf.Tensor1D,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  eps: tf.Tensor,
): tf.Scalar {
  const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor4D;
  const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(mixed);
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), [1, 2, 3]), 1e-12));
  return tf.mean(tf.square(tf.sub(norms, 1)));
}
