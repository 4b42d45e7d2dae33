import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/datasets.ts';
import { readIdxPair } from '../../src/data/idx.ts';
import { splitLabels } from '../../src/data/split.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

function ssgan(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SSGAN_DATA_DIR: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('data export without --labels writes the whole split, test split included', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const out = join(tempDir(), 'test-split');
  const r = ssgan('data', 'export', '--dataset', 'mnist-10k', '--split', 'test', '--out', out);
  t.is(r.code, 0, r.err);
  t.regex(r.err, /^backend: /m, 'the backend line is printed');
  const back = readIdxPair(join(out, 'images-idx3-ubyte'), join(out, 'labels-idx1-ubyte'));
  t.deepEqual(back.images.dims, [2000, 28, 28]);
  t.deepEqual(back.images.data, ds.test.images);
  t.deepEqual(back.labels.data, ds.test.labels);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.is(manifest.labels, null);
  t.is(manifest.labelledHash, null);
});

test('data export --labels N is the subset training picks with the same seed', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const out = join(tempDir(), 'lab');
  const r = ssgan('data', 'export', '--dataset', 'mnist-10k', '--labels', '30', '--seed', '9', '--out', out, '--native', 'off', '--backend', 'wasm');
  t.is(r.code, 0, r.err);
  t.regex(r.err, /^backend: wasm \(plain kernels: disabled by --native off\)/m);
  const split = splitLabels(ds.train, 10, { labels: 30, seed: 9 });
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.is(manifest.labelledHash, split.labelledHash);
  t.deepEqual(manifest.indices, Array.from(split.labelled));
  const back = readIdxPair(join(out, 'images-idx3-ubyte'), join(out, 'labels-idx1-ubyte'));
  t.deepEqual(Array.from(back.labels.data), Array.from(split.labelled, (i) => ds.train.labels[i]));
  // A labelled subset of the test split does not exist: one line naming the flag.
  const bad = ssgan('data', 'export', '--split', 'test', '--labels', '100', '--out', join(tempDir(), 'x'));
  t.is(bad.code, 1);
  t.regex(bad.err, /^ssgan: --labels: labelled subsets are drawn from the train split/m);
});

test('data info takes --backend: a missing one names its install command, the chosen one is printed', (t) => {
  const ok = ssgan('data', 'info', '--backend', 'cpu', '--json');
  t.is(ok.code, 0, ok.err);
  t.regex(ok.err, /^backend: cpu/m);
  t.is(JSON.parse(ok.out).train.count, 8000, 'stdout stays pure JSON');
  let installed = true;
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
  } catch {
    installed = false;
  }
  if (installed) return t.pass();
  const r = ssgan('data', 'info', '--backend', 'node');
  t.is(r.code, 1);
  const lines = r.err.split('\n').filter(Boolean);
  t.is(lines.length, 1, r.err);
  t.regex(lines[0], /^ssgan: --backend node: .*Install it with: npm install @tensorflow\/tfjs-node/);
});
