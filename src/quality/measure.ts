import * as tf from '@tensorflow/tfjs';
import { gatherImages } from '../data/batch.ts';
import type { ImageSet } from '../data/types.ts';
import type { LoadedRun } from '../run/types.ts';
import { createRng } from '../util/random.ts';
import { classifierScore, fitGaussian, frechetDistance } from './scores.ts';

export interface Judged {
  probs: Float32Array;
  features: Float32Array;
  n: number;
  K: number;
  d: number;
}

/** Runs the reference classifier over images produced batch by batch. */
export function judge(
  ref: LoadedRun,
  n: number,
  batchOf: (start: number, size: number) => tf.Tensor4D,
  batch = 100,
): Judged {
  const K = ref.numClasses;
  let d = 0;
  const probs = new Float32Array(n * K);
  let features = new Float32Array(0);
  for (let s = 0; s < n; s += batch) {
    const size = Math.min(batch, n - s);
    const [p, f] = tf.tidy(() => {
      const x = batchOf(s, size);
      return [tf.softmax(ref.classify(x)).dataSync(), ref.features(x).dataSync()];
    });
    if (!d) {
      d = f.length / size;
      features = new Float32Array(n * d);
    }
    probs.set(p, s * K);
    features.set(f, s * d);
  }
  return { probs, features, n, K, d };
}

export function judgeImages(ref: LoadedRun, set: ImageSet, indices: ArrayLike<number>): Judged {
  return judge(ref, indices.length, (s, size) =>
    tf.tensor4d(gatherImages(set, Array.prototype.slice.call(indices, s, s + size)), [
      size,
      set.height,
      set.width,
      set.channels,
    ]),
  );
}

export function judgeGenerator(
  ref: LoadedRun,
  gen: NonNullable<LoadedRun['generator']>,
  n: number,
  seed: number,
): Judged {
  const rng = createRng(seed, 'quality');
  // Batches of 100: the generator normalises with batch statistics.
  return judge(ref, n, (_s, size) => {
    const x = gen.sample(gen.latent(Math.max(size, 100), rng.seedInt()));
    return size === x.shape[0] ? x : (tf.slice(x, 0, size) as tf.Tensor4D);
  });
}

/** Uniform noise images: the floor of both scores. */
export function judgeNoise(ref: LoadedRun, n: number, shape: [number, number, number], seed: number): Judged {
  return judge(ref, n, (s, size) => tf.randomUniform([size, ...shape], 0, 1, 'float32', seed + s) as tf.Tensor4D);
}

export function scoreOf(j: Judged): number {
  return classifierScore(j.probs, j.n, j.K);
}

export function distance(a: Judged, b: Judged): number {
  return frechetDistance(fitGaussian(a.features, a.n, a.d), fitGaussian(b.features, b.n, b.d));
}
