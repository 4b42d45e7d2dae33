import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { selectBackend } from '../../src/backend/select.ts';
import { FusedAdam } from '../../src/train/adam.ts';
import { createRng } from '../../src/util/random.ts';

const ADDON = new URL('../../native/build/Release/ssgan_blas.node', import.meta.url).pathname;

/** 20 Adam steps on a quadratic with uneven curvature; returns the final parameters. */
async function run(makeOpt: () => tf.Optimizer, restartAt?: number): Promise<Float32Array[]> {
  const rng = createRng(5, 'adam-test');
  const shapes = [[37, 11], [11], [1]];
  const vars = shapes.map((s, i) =>
    tf.tidy(() =>
      tf.variable(
        tf.tensor(
          Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()),
          s,
        ),
        true,
        `adam-test-${i}-${Math.random()}`,
      ),
    ),
  );
  const targets = shapes.map((s) =>
    tf.tensor(
      Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()),
      s,
    ),
  );
  let opt = makeOpt();
  for (let step = 0; step < 20; step++) {
    if (step === restartAt) {
      // A checkpoint round trip in the middle: the slots move to a fresh optimizer.
      const ws = await opt.getWeights();
      const copy = ws.map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
      opt.dispose();
      opt = makeOpt();
      await opt.setWeights(copy);
      tf.dispose(copy.map((c) => c.tensor));
    }
    tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => tf.addN(vars.map((v, i) => tf.sum(tf.mul(tf.square(tf.sub(v, targets[i])), i + 1)))) as tf.Scalar,
        vars,
      );
      opt.applyGradients(grads);
    });
  }
  const out = vars.map((v) => v.dataSync().slice() as Float32Array);
  tf.dispose([...vars, ...targets]);
  opt.dispose();
  return out;
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((x, i) => x.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j])))));
  return d;
}

test.serial('fused Adam: the same trajectory as tf.train.adam, with a checkpoint round trip on the way', async (t) => {
  const info = await selectBackend({ backend: 'wasm' });
  if (existsSync(ADDON)) t.true(info.native!.enabled, info.native!.detail);
  else t.falsy(process.env.CI, 'CI installs OpenBLAS, so the addon must build there');
  const make = () => new FusedAdam(0.01, 0.5, 0.999, 1e-4);
  const ref = await run(() => tf.train.adam(0.01, 0.5, 0.999, 1e-4));
  const fused = await run(make);
  const resumed = await run(make, 9);
  t.log(
    `max |fused - tfjs| ${maxDiff(fused, ref).toExponential(2)}, resumed vs straight ${maxDiff(resumed, fused).toExponential(2)}`,
  );
  t.true(maxDiff(fused, ref) < 1e-5);
  t.is(maxDiff(resumed, fused), 0);
  // The parameters moved: this is not comparing two untouched copies.
  const start = await run(() => tf.train.adam(0, 0.5, 0.999, 1e-4));
  t.true(maxDiff(ref, start) > 0.05);
});

test.serial('fused Adam leaks no tensors and falls back to tfjs ops without native kernels', async (t) => {
  await selectBackend({ backend: 'wasm', native: 'off' });
  const ref = await run(() => tf.train.adam(0.01, 0.5, 0.999, 1e-4));
  const before = tf.memory().numTensors;
  const plain = await run(() => new FusedAdam(0.01, 0.5, 0.999, 1e-4));
  t.is(tf.memory().numTensors, before);
  t.true(maxDiff(plain, ref) < 1e-5);
  await selectBackend({ backend: 'wasm' });
});

test.serial('the native Adam pass refuses operands outside the heap it is given', (t) => {
  if (!existsSync(ADDON)) {
    t.falsy(process.env.CI, 'CI installs OpenBLAS, so the addon must build there');
    return;
  }
  const addon = createRequire(import.meta.url)(ADDON);
  const heap = new Float32Array(64);
  heap.fill(1);
  t.throws(() => addon.adam(heap.buffer, new Float64Array([0, 16, 32, 60]), 8, 0.1, 0.5, 0.999, 1e-4, 0.5, 0.001), {
    message: /outside the heap/,
  });
  t.throws(() => addon.adam(heap.buffer, new Float64Array([0, 16, 32]), 8, 0.1, 0.5, 0.999, 1e-4, 0.5, 0.001), {
    message: /expected 4 float offsets/,
  });
  for (const bad of [NaN, Infinity, -1, 2 ** 70]) {
    t.throws(
      () => addon.adam(heap.buffer, new Float64Array([0, 16, 32, bad]), 8, 0.1, 0.5, 0.999, 1e-4, 0.5, 0.001),
      { message: /outside the heap/ },
      `offset ${bad}`,
    );
  }
  // Nothing was written by the refused calls.
  t.true(heap.every((v) => v === 1));
  addon.adam(heap.buffer, new Float64Array([0, 16, 32, 48]), 8, 0.1, 0.5, 0.999, 1e-4, 0.5, 0.001);
  t.not(heap[0], 1);
});
