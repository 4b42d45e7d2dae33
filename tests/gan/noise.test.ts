import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { normalNoise } from '../../src/models/layers.ts';

test('normalNoise: mean 0, requested std, Gaussian tails, reproducible by seed', async (t) => {
  await tf.setBackend('cpu');
  const x = normalNoise([301, 333], 0.5, 42);
  t.deepEqual(x.shape, [301, 333]);
  const v = x.dataSync();
  const n = v.length;
  let m = 0;
  for (const a of v) m += a;
  m /= n;
  let s2 = 0;
  let beyond2 = 0;
  for (const a of v) {
    s2 += (a - m) ** 2;
    if (Math.abs(a) > 2 * 0.5) beyond2++;
  }
  const std = Math.sqrt(s2 / n);
  t.log(`mean ${m.toExponential(2)}, std ${std.toFixed(4)}, P(|z|>2σ) ${(beyond2 / n).toFixed(4)}`);
  t.true(Math.abs(m) < 0.005);
  t.true(Math.abs(std - 0.5) < 0.005);
  // A normal has 4.55% of its mass beyond 2σ; a uniform of the same std would have none.
  t.true(Math.abs(beyond2 / n - 0.0455) < 0.003);
  t.deepEqual(normalNoise([301, 333], 0.5, 42).dataSync(), v);
  t.notDeepEqual(normalNoise([301, 333], 0.5, 43).dataSync(), v);
});
