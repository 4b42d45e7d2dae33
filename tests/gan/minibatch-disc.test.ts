import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { minibatchFeatures } from '../../src/models/minibatch-disc.ts';

test('minibatch features by hand: one kernel of one dimension', async (t) => {
  await tf.setBackend('cpu');
  // T = [[1]] keeps x; rows 0, 1, 3: o_0 = e^-1 + e^-3, o_1 = e^-1 + e^-2, o_2 = e^-3 + e^-2.
  const x = tf.tensor2d([[0], [1], [3]]);
  const out = minibatchFeatures(x, tf.tensor2d([[1]]), 1, 1).arraySync();
  const e = Math.exp;
  const want = [
    [0, e(-1) + e(-3)],
    [1, e(-1) + e(-2)],
    [3, e(-3) + e(-2)],
  ];
  out.forEach((row, i) =>
    row.forEach((v, j) => t.true(Math.abs(v - want[i][j]) < 1e-6, `${i},${j}: ${v} vs ${want[i][j]}`)),
  );
});

test('a collapsed batch lights the minibatch features up, a spread one does not', async (t) => {
  await tf.setBackend('cpu');
  const T = tf.randomNormal([8, 2 * 3], 0, 1, 'float32', 1) as tf.Tensor2D;
  const same = tf.tile(tf.randomNormal([1, 8], 0, 1, 'float32', 2), [10, 1]) as tf.Tensor2D;
  const spread = tf.mul(tf.randomNormal([10, 8], 0, 1, 'float32', 3), 10) as tf.Tensor2D;
  const o = (x: tf.Tensor2D) => tf.mean(tf.slice(minibatchFeatures(x, T, 2, 3), [0, 8], [10, 2])).dataSync()[0];
  t.true(Math.abs(o(same) - 9) < 1e-4, 'nine identical neighbours each');
  t.true(o(spread) < 0.1);
});

test('groups are judged separately: a collapsed group next to a spread one', async (t) => {
  await tf.setBackend('cpu');
  const T = tf.randomNormal([8, 2 * 3], 0, 1, 'float32', 1) as tf.Tensor2D;
  const same = tf.tile(tf.randomNormal([1, 8], 0, 1, 'float32', 2), [10, 1]) as tf.Tensor2D;
  const spread = tf.mul(tf.randomNormal([10, 8], 0, 1, 'float32', 3), 10) as tf.Tensor2D;
  const out = minibatchFeatures(tf.concat([same, spread]) as tf.Tensor2D, T, 2, 3, 10);
  const o = (start: number) => tf.mean(tf.slice(out, [start, 8], [10, 2])).dataSync()[0];
  t.true(Math.abs(o(0) - 9) < 1e-4);
  t.true(o(10) < 0.1);
});
