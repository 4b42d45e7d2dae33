import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { selectBackend } from '../../src/backend/select.ts';
import { setConvEngine } from '../../src/backend/native-kernels.ts';
import { compare, rand } from '../helpers/compare.ts';

const ADDON = new URL('../../native/build/Release/ssgan_blas.node', import.meta.url).pathname;

test.serial('native kernels are on where the addon is built', async (t) => {
  const info = await selectBackend({ backend: 'wasm' });
  t.log(info.description);
  if (!existsSync(ADDON)) {
    t.false(info.native!.enabled);
    t.regex(info.native!.detail, /not built/);
    return;
  }
  t.true(info.native!.enabled, info.native!.detail);
});

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [5, 1, 4],
  [3, 4, 1],
  [17, 33, 9],
  [100, 784, 64],
  [64, 250, 10],
];

for (const [M, K, N] of shapes) {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    test.serial(`matMul ${M}x${K}x${N} transposeA=${ta} transposeB=${tb}`, async (t) => {
      const a = rand(ta ? [K, M] : [M, K], M * 1000 + K);
      const b = rand(tb ? [N, K] : [K, N], N * 1000 + K + 1);
      const err = await compare((x, y) => tf.matMul(x, y, ta, tb), [a, b]);
      t.log(`max relative error ${err.toExponential(2)}`);
      t.true(err < 1e-5);
    });
  }
}

test.serial('batched matMul with a broadcast operand and with full batches', async (t) => {
  const e1 = await compare((x, y) => tf.matMul(x, y), [rand([3, 5, 4], 1), rand([4, 6], 2)]);
  const e2 = await compare((x, y) => tf.matMul(x, y, false, true), [rand([2, 3, 5, 4], 3), rand([2, 3, 6, 4], 4)]);
  const e3 = await compare((x, y) => tf.matMul(x, y, true, false), [rand([1, 4, 5], 5), rand([3, 4, 2], 6)]);
  // Mixed broadcasting goes to the plain wasm kernel and must still be right.
  const e4 = await compare((x, y) => tf.matMul(x, y), [rand([2, 1, 3, 4], 7), rand([1, 3, 4, 5], 8)]);
  t.log([e1, e2, e3, e4].map((e) => e.toExponential(2)).join(' '));
  for (const e of [e1, e2, e3, e4]) t.true(e < 1e-5);
});

for (const activation of ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'prelu', 'sigmoid'] as const) {
  test.serial(`fused matMul + bias + ${activation}`, async (t) => {
    const err = await compare(
      (x, y, bias, alpha) =>
        tf.fused.matMul({
          a: x,
          b: y,
          transposeB: true,
          bias,
          activation,
          preluActivationWeights: activation === 'prelu' ? alpha : undefined,
          leakyreluAlpha: 0.1,
        }),
      [rand([9, 13], 1), rand([7, 13], 2), rand([7], 3), rand([7], 4)],
    );
    t.log(`max relative error ${err.toExponential(2)}`);
    t.true(err < 1e-5);
  });
}

test.serial('gradients through native matMul match the cpu backend', async (t) => {
  const f = (x: tf.Tensor, w: tf.Tensor) =>
    tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(x, v as tf.Tensor2D)))))(w);
  const err = await compare(f, [rand([30, 20], 1), rand([20, 11], 2)]);
  t.true(err < 1e-5);
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const convCases: [number[], number[], number, Pad, number][] = [
  [[1, 5, 5, 1], [1, 1, 1, 1], 1, 'valid', 1],
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same', 1],
  [[2, 8, 8, 3], [3, 3, 3, 4], 2, 'same', 1],
  [[1, 9, 9, 2], [5, 5, 2, 3], 2, 'valid', 1],
  [[3, 10, 10, 1], [4, 4, 1, 2], 3, 'valid', 1],
  [[1, 11, 6, 2], [2, 3, 2, 5], 2, 'same', 1],
  [[2, 9, 9, 2], [3, 3, 2, 3], 1, 'same', 2],
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
    1,
  ],
  [[4, 6, 6, 8], [1, 1, 8, 16], 1, 'valid', 1],
  // The dcgan discriminator's kinds of layer: 3x3 'same', stride 1 and 2 on an even size.
  [[3, 14, 14, 32], [3, 3, 32, 64], 1, 'same', 1],
  [[3, 14, 14, 16], [3, 3, 16, 24], 2, 'same', 1],
];

// Both convolution engines of the addon: oneDNN where it was built with it, and im2col + GEMM.
for (const engine of ['onednn', 'im2col'] as const)
  for (const [xs, fs, stride, pad, dil] of convCases) {
    test.serial(
      `${engine}: conv2d, its input and filter gradients: x ${xs} filter ${fs} stride ${stride} pad ${JSON.stringify(pad)} dilation ${dil}`,
      async (t) => {
        const info = await selectBackend({ backend: 'wasm' });
        const using = setConvEngine(engine);
        if (info.native?.enabled && using !== engine) {
          // CI installs libdnnl-dev, so there the addon must have oneDNN built in.
          t.falsy(process.env.CI, `the addon has no ${engine} convolutions`);
          t.pass();
          return;
        }
        t.teardown(() => void setConvEngine('onednn'));
        const x = rand(xs, xs[1] * 7 + fs[0]);
        const f = rand(fs, fs[3] * 11 + 1);
        const fwd = (a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad, 'NHWC', dil);
        const e0 = await compare(fwd, [x, f]);
        // Gradients only exist for dilation 1 in tfjs.
        const e1 =
          dil === 1 ? await compare((a, b) => tf.grad((q: tf.Tensor) => tf.sum(tf.square(fwd(q, b))))(a), [x, f]) : 0;
        const e2 =
          dil === 1 ? await compare((a, b) => tf.grad((q: tf.Tensor) => tf.sum(tf.square(fwd(a, q))))(b), [x, f]) : 0;
        t.log(
          `max relative error: forward ${e0.toExponential(2)}, dx ${e1.toExponential(2)}, dW ${e2.toExponential(2)}`,
        );
        for (const e of [e0, e1, e2]) t.true(e < 1e-5);
      },
    );
  }

test.serial('transposed convolution (the generator) and fused conv + bias + relu match cpu', async (t) => {
  const e1 = await compare(
    (a, b) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 14, 14, 4], 2, 'same'),
    [rand([2, 7, 7, 8], 1), rand([5, 5, 4, 8], 2)],
  );
  const e2 = await compare(
    (a, b, c) =>
      tf.fused.conv2d({
        x: a as tf.Tensor4D,
        filter: b as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: c,
        activation: 'relu',
      }),
    [rand([2, 6, 6, 3], 3), rand([3, 3, 3, 5], 4), rand([5], 5)],
  );
  t.log(`${e1.toExponential(2)} ${e2.toExponential(2)}`);
  t.true(e1 < 1e-5 && e2 < 1e-5);
});
