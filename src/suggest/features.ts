import * as tf from '@tensorflow/tfjs';
import { gatherImages } from '../data/batch.ts';
import type { ImageSet } from '../data/types.ts';
import type { LoadedRun } from '../run/types.ts';

/** The classifier's last hidden layer on the given rows of an image set, row-major n x d, in batches. */
export function featureSet(
  run: Pick<LoadedRun, 'features'>,
  set: ImageSet,
  indices: ArrayLike<number>,
  batch = 500,
): { features: Float32Array; d: number } {
  const parts: Float32Array[] = [];
  let d = 0;
  for (let s = 0; s < indices.length; s += batch) {
    const part = Array.prototype.slice.call(indices, s, Math.min(indices.length, s + batch)) as number[];
    const f = tf.tidy(() =>
      run.features(tf.tensor4d(gatherImages(set, part), [part.length, set.height, set.width, set.channels])),
    );
    d = f.shape[1];
    parts.push(f.dataSync() as Float32Array);
    f.dispose();
  }
  const features = new Float32Array(indices.length * d);
  let o = 0;
  for (const p of parts) {
    features.set(p, o);
    o += p.length;
  }
  return { features, d };
}
