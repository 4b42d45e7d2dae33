import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { selectBackend } from '../../src/backend/select.ts';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

// Backend state is process-wide, so these run in order.
test.serial('an explicit backend that is not installed names the install command', async (t) => {
  if (installed('@tensorflow/tfjs-node')) {
    t.log('@tensorflow/tfjs-node is installed here; nothing to refuse');
    t.pass();
    return;
  }
  const err = await t.throwsAsync(() => selectBackend({ backend: 'node' }));
  t.regex(err!.message, /^--backend node: .*Install it with: npm install @tensorflow\/tfjs-node/);
  t.false(err!.message.includes('\n'), 'one line');
});

test.serial('auto picks the first backend that starts, in the documented order', async (t) => {
  const info = await selectBackend({ backend: 'auto' });
  t.log(`auto chose: ${info.description}`);
  const expected = installed('@tensorflow/tfjs-node-gpu')
    ? 'node-gpu'
    : installed('@tensorflow/tfjs-node')
      ? 'node'
      : 'wasm';
  if (expected === 'wasm') {
    t.is(info.name, 'wasm');
    t.is(tf.getBackend(), 'wasm');
    t.truthy(info.native);
    t.true(info.description.startsWith('wasm'));
  } else {
    // A tfjs-node that is installed but cannot load falls through; either way auto must not pick cpu.
    t.not(info.name, 'cpu');
  }
});

test.serial('a named backend switches the engine, and computes the same numbers', async (t) => {
  const a = [
    [1, 2],
    [3, 4],
  ];
  const b = [
    [0.5, -1],
    [2, 0.25],
  ];
  await selectBackend({ backend: 'cpu' });
  t.is(tf.getBackend(), 'cpu');
  const onCpu = tf.matMul(a, b).arraySync();
  await selectBackend({ backend: 'wasm', native: 'off' });
  t.is(tf.getBackend(), 'wasm');
  const onWasm = tf.matMul(a, b).arraySync();
  t.deepEqual(onCpu, [
    [4.5, -0.5],
    [9.5, -2],
  ]);
  t.deepEqual(onWasm, onCpu);
});

test.serial('--native off and back on the same wasm backend swaps the kernels each time', async (t) => {
  const addonBuilt = existsSync(new URL('../../native/build/Release/ssgan_blas.node', import.meta.url));
  const on = await selectBackend({ backend: 'wasm', native: 'auto' });
  const nativeMatMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  t.is(on.native!.enabled, addonBuilt, on.native!.detail);
  const off = await selectBackend({ backend: 'wasm', native: 'off' });
  t.false(off.native!.enabled);
  t.regex(off.description, /disabled by --native off/);
  const plainMatMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  if (addonBuilt) t.not(plainMatMul, nativeMatMul, 'the plain wasm kernel is back');
  const again = await selectBackend({ backend: 'auto', native: 'auto' });
  t.is(again.native!.enabled, addonBuilt);
  if (addonBuilt) t.not(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, plainMatMul, 'native kernels again');
  t.deepEqual(tf.matMul([[1, 2]], [[3], [4]]).arraySync(), [[11]]);
});
