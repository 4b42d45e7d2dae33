import * as tf from '@tensorflow/tfjs';
import { batchTensor, gatherImages } from '../../data/batch.ts';
import type { ImageSet } from '../../data/types.ts';

/** Augments a batch of real images in place (NHWC floats); `stream` tells labelled from unlabelled. */
export type Augment = (batch: Float32Array, n: number, step: number, stream: 'labelled' | 'unlabelled') => void;

/** The real images `idx` of `set` as a batch, augmented first where the method augments. */
export function realBatch(
  set: ImageSet,
  idx: Int32Array,
  step: number,
  stream: 'labelled' | 'unlabelled',
  augment?: Augment,
): tf.Tensor4D {
  if (!augment) return batchTensor(set, idx);
  const data = gatherImages(set, idx);
  augment(data, idx.length, step, stream);
  return tf.tensor4d(data, [idx.length, set.height, set.width, set.channels]);
}
