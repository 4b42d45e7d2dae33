import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { fusedAddNormal, fusedDropout, fusedLeaky, fusedWnDense } from '../../src/backend/fused-layers.ts';
import { selectBackend } from '../../src/backend/select.ts';
import { weightNormDense } from '../../src/models/layers.ts';
import { dropoutScales } from '../../src/util/dropout.ts';
import { normalSamples } from '../../src/util/gaussian.ts';
import { compare, rand } from '../helpers/compare.ts';

const ADDON = new URL('../../native/build/Release/ssgan_blas.node', import.meta.url).pathname;

/** The layer's output and the gradients of a random weighting of it with respect to every input. */
const layerAndGradients = (relu: boolean) => (x: tf.Tensor, v: tf.Tensor, g: tf.Tensor, b: tf.Tensor, w: tf.Tensor) => {
  const f = (xi: tf.Tensor, vi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
    tf.sum(
      tf.mul(weightNormDense(xi as tf.Tensor2D, vi as tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D, relu), w),
    );
  const y = weightNormDense(x as tf.Tensor2D, v as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, relu);
  return tf.concat([y, ...tf.grads(f)([x, v, g, b])].map((t) => tf.reshape(t, [-1])));
};

// Batch 1, one input, one unit, odd sizes, and the paper's first layer.
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 3],
  [7, 1, 4],
  [6, 13, 1],
  [33, 17, 9],
  [100, 784, 100],
];
for (const [N, I, U] of shapes) {
  for (const relu of [false, true]) {
    test.serial(
      `fused weight-norm dense ${N}x${I}→${U}${relu ? ' + relu' : ''}: output and all four gradients match tfjs ops on cpu`,
      async (t) => {
        // Scales of mixed sign and a non-zero bias, so the ReLU mask cuts through every unit.
        const g = rand([U], 3 * N + U);
        const err = await compare(layerAndGradients(relu), [
          rand([N, I], N + I),
          rand([I, U], I * U),
          g,
          rand([U], 5 + U),
          rand([N, U], 11 + N),
        ]);
        t.log(`max relative error ${err.toExponential(2)}`);
        t.true(err < 2e-5);
      },
    );
  }
}

test.serial('the fused kernel runs on wasm with the addon, and only the gradient asked for is computed', async (t) => {
  const info = await selectBackend({ backend: 'wasm' });
  if (!info.native?.enabled) {
    t.falsy(process.env.CI, 'native addon not built');
    t.false(existsSync(ADDON));
    return;
  }
  const made = tf.tidy(
    () => fusedWnDense(tf.ones([4, 6]), tf.ones([6, 3]), tf.ones([3]), tf.zeros([3]), true) !== null,
  );
  t.true(made);
  // Mismatched shapes are left to tfjs ops, which name the problem.
  t.true(tf.tidy(() => fusedWnDense(tf.ones([4, 5]), tf.ones([6, 3]), tf.ones([3]), tf.zeros([3]), true) === null));
  t.true(tf.tidy(() => fusedWnDense(tf.ones([4, 6]), tf.ones([6, 3]), tf.ones([2]), tf.zeros([3]), true) === null));
  // The generator's update differentiates D's layers with respect to their input only.
  const prof = await tf.profile(() =>
    tf.grad((xi: tf.Tensor) =>
      tf.sum(
        weightNormDense(
          xi as tf.Tensor2D,
          tf.ones([6, 3]) as tf.Tensor2D,
          tf.ones([3]) as tf.Tensor1D,
          tf.zeros([3]) as tf.Tensor1D,
          false,
        ),
      ),
    )(tf.ones([4, 6])),
  );
  const names = prof.kernelNames;
  t.true(names.includes('SsganWnDenseCore') && names.includes('SsganWnDenseAct'), names.join(' '));
  t.true(names.includes('SsganWnDenseActBack'));
  t.false(names.includes('SsganWnDenseCoreGradV'), 'the direction gradient was computed though only dx was asked for');
});

test.serial('fused noise equals x plus the JavaScript stream, and passes the gradient through', async (t) => {
  const info = await selectBackend({ backend: 'wasm' });
  if (!info.native?.enabled) {
    t.falsy(process.env.CI, 'native addon not built');
    return;
  }
  const x = tf.randomUniform([7, 9], 0, 1, 'float32', 4);
  const noisy = fusedAddNormal(x, 0.3, 77)!;
  const expected = tf.add(x, tf.tensor(normalSamples(63, 0.3, 77), [7, 9]));
  t.deepEqual(Array.from(noisy.dataSync()), Array.from(expected.dataSync()));
  const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(fusedAddNormal(xi, 0.3, 77)!, 2)))(x);
  t.deepEqual(Array.from(dx.dataSync()), new Array(63).fill(2));
  tf.dispose([x, noisy, expected, dx]);
});

test.serial('leading-axis sums and means, keepDims and an int tensor, against cpu', async (t) => {
  const err = await compare(
    (x: tf.Tensor) =>
      tf.concat(
        [
          tf.sum(x, 0),
          tf.mean(x, 0),
          tf.reshape(tf.mean(x, [0, 1], true), [-1]),
          tf.mean(x, 2).reshape([-1]),
          tf.reshape(tf.sum(x, [0, 1], true), [-1]),
          tf.reshape(tf.sum(x, [1, 0]), [-1]),
          tf.sum(x, 2).reshape([-1]),
          tf.sum(x).reshape([-1]),
          tf.cast(tf.sum(tf.cast(x, 'int32'), 0), 'float32').reshape([-1]),
        ].map((s) => tf.reshape(s, [-1])),
      ),
    [rand([5, 3, 4], 9)],
  );
  t.log(`max relative error ${err.toExponential(2)}`);
  t.true(err < 1e-6);
});

test.serial('a clone or same-type cast shares its buffer but outlives the original', async (t) => {
  await selectBackend({ backend: 'wasm' });
  const a = tf.tensor([1, 2, 3]);
  const c = tf.clone(a);
  const d = tf.cast(a, 'float32');
  a.dispose();
  t.deepEqual(Array.from(c.dataSync()), [1, 2, 3]);
  t.deepEqual(Array.from(d.dataSync()), [1, 2, 3]);
  t.deepEqual(Array.from(tf.cast(c, 'int32').dataSync()), [1, 2, 3]);
  tf.dispose([c, d]);
});

test.serial('native softplus across its cut-offs (e^x, log1p, x) matches cpu', async (t) => {
  const values = Float32Array.from({ length: 601 }, (_, i) => -30 + i * 0.1);
  const err = await compare((x: tf.Tensor) => tf.softplus(x), [{ shape: [601], values }]);
  // Relative to each value, not the largest: e^-30 must be right too.
  await selectBackend({ backend: 'cpu' });
  const ref = tf.softplus(tf.tensor(values)).dataSync();
  await selectBackend({ backend: 'wasm' });
  const got = tf.softplus(tf.tensor(values)).dataSync();
  let worst = 0;
  for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]) / ref[i]);
  t.log(`max error relative to the largest value ${err.toExponential(2)}, to each value ${worst.toExponential(2)}`);
  t.true(worst < 1e-5);
});

test.serial(
  'native dropout keeps the JavaScript mask bit for bit, drops the asked fraction, and its gradient uses the same mask',
  async (t) => {
    const info = await selectBackend({ backend: 'wasm' });
    const rate = 0.3;
    const n = 100_000;
    const scales = dropoutScales(n, 4242, rate);
    const dropped = scales.reduce((k, v) => k + (v === 0 ? 1 : 0), 0) / n;
    t.log(`dropped ${(100 * dropped).toFixed(2)}% for rate 30%`);
    t.true(Math.abs(dropped - rate) < 0.005);
    t.true(scales.every((v) => v === 0 || v === Math.fround(1 / Math.fround(1 - rate))));
    t.throws(() => dropoutScales(10, 1, 1), { message: /rate must be in \[0, 1\)/ });
    t.throws(() => dropoutScales(10, 1, NaN), { message: /rate must be in/ });
    if (!info.native?.enabled) {
      t.falsy(process.env.CI, 'native addon not built');
      return;
    }
    const x = tf.randomNormal([n], 0, 1, 'float32', 8);
    const y = fusedDropout(x, rate, 4242)!;
    t.deepEqual(Array.from(y.dataSync()), Array.from(tf.mul(x, tf.tensor(scales)).dataSync()));
    const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(fusedDropout(xi, rate, 4242)!, 3)))(x);
    t.deepEqual(
      Array.from(dx.dataSync()),
      Array.from(scales, (s) => Math.fround(3 * s)),
    );
    tf.dispose([x, y, dx]);
  },
);

test.serial('native leaky ReLU and its gradient match cpu', async (t) => {
  const err = await compare(
    (x: tf.Tensor) => {
      const leaky = (xi: tf.Tensor) => fusedLeaky(xi, 0.2) ?? tf.leakyRelu(xi, 0.2);
      return tf.concat([leaky(x), tf.grad((xi: tf.Tensor) => tf.sum(tf.square(leaky(xi))))(x)]);
    },
    [rand([257], 12)],
  );
  t.log(`max relative error ${err.toExponential(2)}`);
  t.true(err < 1e-6);
});
