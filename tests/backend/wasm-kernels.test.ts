import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.ts';
import { wasmConv2DBackpropFilter } from '../../src/backend/wasm-kernels.ts';
import { createRng } from '../../src/util/random.ts';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

// These test the kernel registered in src/backend/wasm-kernels.ts, so the native BLAS kernels
// (which replace it where the addon is built) are kept off; tests/backend/native.test.ts covers those.
test.serial('with --native off the wasm backend runs the registered Conv2DBackpropFilter', async (t) => {
  const info = await selectBackend({ backend: 'wasm', native: 'off' });
  t.false(info.native!.enabled);
  t.is(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc, wasmConv2DBackpropFilter.kernelFunc);
});

/** dL/dW of sum(conv2d(x, W) * dy): what Conv2DBackpropFilter computes. */
function filterGrad(x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, stride: number, pad: Pad): Float32Array {
  return tf.tidy(
    () =>
      tf
        .grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, stride, pad), dy)))(w)
        .dataSync() as Float32Array,
  );
}

const cases: [number[], number[], number, Pad][] = [
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
  [[2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'],
  [[1, 9, 9, 2], [5, 5, 2, 3], 2, 'valid'],
  [[3, 10, 10, 1], [4, 4, 1, 2], 3, 'valid'],
  [[1, 11, 6, 2], [2, 3, 2, 5], 2, 'same'],
  [[2, 28, 28, 1], [3, 3, 1, 8], 2, 'same'],
  [
    [2, 8, 8, 3],
    [3, 3, 3, 4],
    2,
    [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  ],
];

for (const [xs, fs, stride, pad] of cases) {
  test.serial(
    `wasm Conv2DBackpropFilter matches cpu: x ${xs} filter ${fs} stride ${stride} pad ${JSON.stringify(pad)}`,
    async (t) => {
      const rng = createRng(xs.length * 100 + fs[0], 'conv');
      const xv = Float32Array.from({ length: xs.reduce((a, b) => a * b, 1) }, () => rng.normal());
      const wv = Float32Array.from({ length: fs.reduce((a, b) => a * b, 1) }, () => rng.normal());
      await selectBackend({ backend: 'cpu' });
      const outShape = tf.tidy(
        () => tf.conv2d(tf.tensor4d(xv, xs as any), tf.tensor4d(wv, fs as any), stride, pad).shape,
      );
      const dyv = Float32Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => rng.normal());
      const run = () =>
        filterGrad(
          tf.tensor4d(xv, xs as any),
          tf.tensor4d(wv, fs as any),
          tf.tensor4d(dyv, outShape as any),
          stride,
          pad,
        );
      const ref = run();
      await selectBackend({ backend: 'wasm', native: 'off' });
      const got = run();
      let diff = 0;
      for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(ref[i] - got[i]));
      t.log(`max abs diff ${diff.toExponential(2)}`);
      t.true(diff < 1e-4);
    },
  );
}

test.serial('a small conv net trains on wasm (gradients flow through the registered kernel)', async (t) => {
  await selectBackend({ backend: 'wasm', native: 'off' });
  const w = tf.variable(tf.randomNormal([3, 3, 1, 4], 0, 0.5, 'float32', 1));
  const x = tf.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 2);
  const target = tf.randomUniform([8, 3, 3, 4], 0, 1, 'float32', 3);
  const loss = () =>
    tf.mean(tf.square(tf.sub(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), target))) as tf.Scalar;
  const opt = tf.train.adam(0.05);
  const before = loss().dataSync()[0];
  for (let i = 0; i < 30; i++) opt.minimize(loss);
  const after = loss().dataSync()[0];
  t.log(`loss ${before.toFixed(4)} → ${after.toFixed(4)}`);
  t.true(after < before * 0.7);
});
