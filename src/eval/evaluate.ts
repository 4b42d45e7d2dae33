import * as tf from '@tensorflow/tfjs';
import { ConfusionMatrix } from 'ml-confusion-matrix';
import { gatherImages } from '../data/batch.ts';
import type { ImageSet } from '../data/types.ts';

/** Predicted classes for the given rows of `set` (all rows by default), in batches. */
export function predict(
  classify: (x: tf.Tensor4D) => tf.Tensor2D,
  set: ImageSet,
  indices?: ArrayLike<number>,
  batch = 500,
): Int32Array {
  const idx = indices ?? Int32Array.from({ length: set.count }, (_, i) => i);
  const out = new Int32Array(idx.length);
  for (let s = 0; s < idx.length; s += batch) {
    const part = Array.prototype.slice.call(idx, s, Math.min(idx.length, s + batch)) as number[];
    const pred = tf.tidy(() => {
      const x = tf.tensor4d(gatherImages(set, part), [part.length, set.height, set.width, set.channels]);
      return tf.argMax(classify(x), 1);
    });
    out.set(pred.dataSync() as Int32Array, s);
    pred.dispose();
  }
  return out;
}

export function accuracyOf(pred: Int32Array, set: ImageSet, indices?: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === set.labels[indices ? indices[i] : i]) right++;
  return pred.length ? right / pred.length : NaN;
}

export interface Evaluation {
  accuracy: number;
  error: number;
  count: number;
  confusion: number[][];
  perClass: { label: string; precision: number; recall: number; support: number }[];
}

/** Accuracy, confusion matrix (rows true, columns predicted) and per-class precision/recall. */
export function evaluate(classify: (x: tf.Tensor4D) => tf.Tensor2D, set: ImageSet, classNames: string[]): Evaluation {
  const pred = predict(classify, set);
  const actual = Array.from(set.labels.subarray(0, set.count));
  const labels = classNames.map((_, k) => k);
  const cm = ConfusionMatrix.fromLabels(actual, Array.from(pred), { labels });
  const accuracy = cm.getAccuracy();
  return {
    accuracy,
    error: 1 - accuracy,
    count: set.count,
    confusion: cm.getMatrix(),
    perClass: labels.map((k) => ({
      label: classNames[k],
      precision: safe(cm.getPositivePredictiveValue(k)),
      recall: safe(cm.getTruePositiveRate(k)),
      support: cm.getMatrix()[k].reduce((a: number, b: number) => a + b, 0),
    })),
  };
}

function safe(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
