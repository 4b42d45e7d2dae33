import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

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

/** tfjs-node installed and its binding built, as scripts/setup-tfjs-node.sh leaves it. */
function nodeLoads(): boolean {
  const r = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], {
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  return r.status === 0;
}

const cacheDir = tempDir();
const cacheFile = join(cacheDir, 'backend-speeds.json');

test.serial('auto measures node against wasm once, takes the faster and says why', async (t) => {
  process.env.SSGAN_CACHE_DIR = cacheDir;
  t.teardown(() => delete process.env.SSGAN_CACHE_DIR);
  const info = await selectBackend({ backend: 'auto' });
  t.log(`auto chose: ${info.description}`);
  t.true(info.description.endsWith(`; auto: ${info.reason}`));
  if (installed('@tensorflow/tfjs-node-gpu')) {
    // Not on this project's machines: a GPU would win outright, no GPU leaves node-gpu as 'node'.
    t.not(info.name, 'cpu');
    return;
  }
  if (!nodeLoads()) {
    t.is(info.name, 'wasm');
    t.is(tf.getBackend(), 'wasm');
    t.is(info.reason, 'the fastest CPU backend present');
    t.false(existsSync(cacheFile), 'nothing to measure without node');
    return;
  }
  const entries = Object.values(JSON.parse(readFileSync(cacheFile, 'utf8')).entries) as {
    speeds: Record<string, number>;
    parts: Record<string, string>;
  }[];
  t.is(entries.length, 1);
  const { speeds, parts } = entries[0];
  const wasm = info.native?.enabled || speeds['wasm+native'] ? 'wasm+native' : 'wasm';
  t.true(speeds.node > 0 && speeds[wasm] > 0, JSON.stringify(speeds));
  t.is(info.name, speeds.node > speeds[wasm] ? 'node' : 'wasm');
  t.is(tf.getBackend(), info.name === 'node' ? 'tensorflow' : 'wasm');
  t.regex(
    info.reason!,
    / present but (node|wasm \+ native|plain wasm) is \d+\.\dx faster here \(mlp K\+1 step: .*; measured now( under load [\d.]+ per core)?\)$/,
  );
  t.is(parts.threads, '1', 'keyed by the thread count the tests run with');
});

test.serial('a cached measurement is reused in a new process, so swapping its speeds swaps the choice', (t) => {
  if (!existsSync(cacheFile)) {
    t.log('tfjs-node does not load here: nothing was measured or cached');
    t.pass();
    return;
  }
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  const entry = Object.values(cache.entries)[0] as { speeds: Record<string, number>; load: number };
  // As if measured on quiet cores, so a quieter machine now does not measure again.
  entry.load = 0;
  const wasm = Object.keys(entry.speeds).find((k) => k !== 'node')!;
  // node twice as fast as the wasm variant, then half as fast: the choice follows the numbers.
  for (const [nodeIps, wasmIps, expected] of [
    [2000, 1000, /^backend: node \(libtensorflow, CPU\); auto: .* but node is 2\.0x faster here .*cached\)$/m],
    [1000, 3000, /^backend: wasm .*; auto: node present but wasm .* is 3\.0x faster here .*cached\)$/m],
  ] as const) {
    entry.speeds = { node: nodeIps, [wasm]: wasmIps };
    writeFileSync(cacheFile, JSON.stringify(cache));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'data', 'info', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, SSGAN_CACHE_DIR: cacheDir },
    });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stderr, expected);
    t.log(
      `${((performance.now() - t0) / 1000).toFixed(1)} s: ${r.stderr.split('\n').find((l) => l.startsWith('backend:'))}`,
    );
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
