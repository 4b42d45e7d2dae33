import test from 'ava';
import * as tf from '@tensorflow/tfjs';
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
  const expected = installed('@tensorflow/tfjs-node-gpu') ? 'node-gpu' : installed('@tensorflow/tfjs-node') ? 'node' : 'wasm';
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
  const a = [[1, 2], [3, 4]];
  const b = [[0.5, -1], [2, 0.25]];
  await selectBackend({ backend: 'cpu' });
  t.is(tf.getBackend(), 'cpu');
  const onCpu = tf.matMul(a, b).arraySync();
  await selectBackend({ backend: 'wasm', native: 'off' });
  t.is(tf.getBackend(), 'wasm');
  const onWasm = tf.matMul(a, b).arraySync();
  t.deepEqual(onCpu, [[4.5, -0.5], [9.5, -2]]);
  t.deepEqual(onWasm, onCpu);
});
