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

/**
 * Judges `n` samples of a conditional generator, drawn in batches that cycle through the K
 * classes (G normalises with batch statistics, and trained on mixed batches); `classes` holds
 * each sample's conditioning class.
 */
export function judgeConditional(
  ref: LoadedRun,
  gen: NonNullable<LoadedRun['generator']>,
  n: number,
  seed: number,
): { judged: Judged; classes: Int32Array } {
  const K = ref.numClasses;
  const rng = createRng(seed, 'quality');
  const classes = Int32Array.from({ length: n }, (_, i) => i % K);
  const judged = judge(ref, n, (s, size) => {
    const m = Math.max(size, 100);
    const y = tf.tensor1d(
      Int32Array.from({ length: m }, (_, i) => (s + i) % K),
      'int32',
    );
    const x = gen.sample(gen.latent(m, rng.seedInt()), y);
    return size === m ? x : (tf.slice(x, 0, size) as tf.Tensor4D);
  });
  return { judged, classes };
}

/** The rows of `j` where `keep` holds. */
export function subset(j: Judged, keep: (i: number) => boolean): Judged {
  const rows = Array.from({ length: j.n }, (_, i) => i).filter(keep);
  const probs = new Float32Array(rows.length * j.K);
  const features = new Float32Array(rows.length * j.d);
  rows.forEach((r, i) => {
    probs.set(j.probs.subarray(r * j.K, (r + 1) * j.K), i * j.K);
    features.set(j.features.subarray(r * j.d, (r + 1) * j.d), i * j.d);
  });
  return { probs, features, n: rows.length, K: j.K, d: j.d };
}

export interface ClassQuality {
  class: number;
  count: number;
  /** Share of the class's samples the reference classifier calls that class. */
  agreement: number;
  /** Classifier score within the class: near 1 when every sample is confidently the same class. */
  classifierScore: number;
  /** Fréchet distance to the real test images of that class. */
  frechetDistance: number;
}

/** Per conditioning class: agreement with the reference, its classifier score, Fréchet distance to real images of the class. */
export function perClassQuality(
  fake: Judged,
  classes: Int32Array,
  real: Judged,
  realLabels: ArrayLike<number>,
): ClassQuality[] {
  return Array.from({ length: fake.K }, (_, k) => {
    const f = subset(fake, (i) => classes[i] === k);
    const r = subset(real, (i) => realLabels[i] === k);
    let agree = 0;
    for (let i = 0; i < f.n; i++) {
      const row = f.probs.subarray(i * f.K, (i + 1) * f.K);
      if (row.every((p) => p <= row[k])) agree++;
    }
    return {
      class: k,
      count: f.n,
      agreement: f.n ? agree / f.n : NaN,
      classifierScore: f.n ? scoreOf(f) : NaN,
      frechetDistance: f.n > 1 && r.n > 1 ? distance(r, f) : NaN,
    };
  });
}
