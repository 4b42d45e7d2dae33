import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from './types.ts';
import type { Rng } from '../util/random.ts';

/** Copies the images at `indices` into a float batch (NHWC, values in [0,1]). */
export function gatherImages(set: ImageSet, indices: ArrayLike<number>, out?: Float32Array): Float32Array {
  const size = set.height * set.width * set.channels;
  const dst = out ?? new Float32Array(indices.length * size);
  const src = set.images;
  for (let b = 0; b < indices.length; b++) {
    const from = indices[b] * size;
    const to = b * size;
    for (let j = 0; j < size; j++) dst[to + j] = src[from + j] * (1 / 255);
  }
  return dst;
}

export function gatherLabels(set: ImageSet, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let b = 0; b < indices.length; b++) out[b] = set.labels[indices[b]];
  return out;
}

/**
 * Endless batches of indices drawn from `pool`: each pass is a fresh seeded permutation, and a
 * batch that crosses the end of a pass continues into the next one, so a pool smaller than the
 * batch (10 labels per class, batch 100) still yields full batches, cycling as the paper does.
 * The state is one pass counter and one offset, so a resumed run can restore it exactly.
 */
export class IndexStream {
  private order: Int32Array;
  private offset = 0;
  passes = 0;

  constructor(private readonly pool: Int32Array, private readonly rng: Rng) {
    if (pool.length === 0) throw new Error('cannot draw batches from an empty pool');
    this.order = this.permute();
  }

  private permute(): Int32Array {
    return this.rng.shuffle(Int32Array.from(this.pool));
  }

  next(batchSize: number): Int32Array {
    const out = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      if (this.offset === this.order.length) {
        this.order = this.permute();
        this.offset = 0;
        this.passes++;
      }
      out[i] = this.order[this.offset++];
    }
    return out;
  }
}

/** The images at `idx` as one NHWC float tensor. */
export function batchTensor(set: ImageSet, idx: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(gatherImages(set, idx), [idx.length, set.height, set.width, set.channels]);
}
