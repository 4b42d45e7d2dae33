import * as tf from '@tensorflow/tfjs';
import { gatherImages } from '../data/batch.ts';
import type { ImageSet } from '../data/types.ts';
import type { LoadedRun } from '../run/types.ts';

export interface Scores {
  /** Row-major n x K class probabilities (softmax over the K real classes). */
  probs: Float32Array;
  /** The K+1 head's probability that each image is real data rather than generated. */
  pReal: Float32Array;
  numClasses: number;
}

/**
 * Class probabilities and realness of a batch (NHWC floats in [0,1]). p(real) = 1 - p(generated)
 * = sigmoid(lse(real logits) - generated logit): D(x) = Z/(Z+1) for the implicit head.
 */
export function scoreBatch(run: Pick<LoadedRun, 'discriminate'>, x: tf.Tensor4D): Scores {
  const [probs, pReal] = tf.tidy(() => {
    const { logits, fakeLogit } = run.discriminate(x);
    const lse = tf.logSumExp(logits, 1);
    return [tf.softmax(logits), tf.sigmoid(tf.sub(lse, fakeLogit))];
  });
  const out = {
    probs: probs.dataSync() as Float32Array,
    pReal: pReal.dataSync() as Float32Array,
    numClasses: probs.shape[1] as number,
  };
  probs.dispose();
  pReal.dispose();
  return out;
}

/** Scores the given rows of an image set, in batches. */
export function scoreSet(
  run: Pick<LoadedRun, 'discriminate'>,
  set: ImageSet,
  indices: ArrayLike<number>,
  batch = 500,
): Scores {
  let K = 0;
  const probs: Float32Array[] = [];
  const pReal = new Float32Array(indices.length);
  for (let s = 0; s < indices.length; s += batch) {
    const part = Array.prototype.slice.call(indices, s, Math.min(indices.length, s + batch)) as number[];
    const x = tf.tensor4d(gatherImages(set, part), [part.length, set.height, set.width, set.channels]);
    const sc = scoreBatch(run, x);
    x.dispose();
    K = sc.numClasses;
    probs.push(sc.probs);
    pReal.set(sc.pReal, s);
  }
  const all = new Float32Array(indices.length * K);
  let o = 0;
  for (const p of probs) {
    all.set(p, o);
    o += p.length;
  }
  return { probs: all, pReal, numClasses: K };
}

/** The k most probable classes of row i, best first. */
export function topK(probs: Float32Array, K: number, i: number, k: number): { cls: number; p: number }[] {
  const row = Array.from(probs.subarray(i * K, (i + 1) * K), (p, cls) => ({ cls, p }));
  return row.sort((a, b) => b.p - a.p || a.cls - b.cls).slice(0, k);
}

/** The value below which `pct` percent of `xs` fall (nearest rank). */
export function percentile(xs: ArrayLike<number>, pct: number): number {
  const sorted = Float64Array.from(xs).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((pct / 100) * sorted.length) - 1));
  return sorted[rank];
}
