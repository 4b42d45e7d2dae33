import * as tf from '@tensorflow/tfjs';
import { supervisedLoss } from '../../losses/kplus1.ts';
import { weightedSupervisedLoss } from '../../losses/weighted.ts';
import type { Discriminator } from '../../models/types.ts';

/**
 * One update of the classifier on labelled images alone: cross-entropy over the K classes,
 * each example's term scaled by `weights` where given (synthetic examples weigh less).
 */
export function supervisedStep(
  D: Discriminator,
  opt: tf.Optimizer,
  xLab: tf.Tensor4D,
  yLab: tf.Tensor1D,
  noiseSeed: number,
  weights?: tf.Tensor1D,
): { lossLab: number; trainAccuracy: number } {
  return tf.tidy(() => {
    let acc: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const { logits } = D.apply(xLab, { training: true, seed: noiseSeed });
      acc = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(yLab, 'int32')), 'float32')) as tf.Scalar);
      return weights ? weightedSupervisedLoss(logits, yLab, weights) : supervisedLoss(logits, yLab);
    }, D.params.trainable());
    opt.applyGradients(grads);
    const trainAccuracy = acc!.dataSync()[0];
    acc!.dispose();
    return { lossLab: value.dataSync()[0], trainAccuracy };
  });
}
