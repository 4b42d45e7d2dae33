import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { selectBackend } from '../../src/backend/select.ts';
import { PER_CLASS_GRID } from '../../src/augment/generate.ts';
import { generatePerClass, type PerClassOptions } from '../../src/augment/per-class.ts';
import { readIdxPair } from '../../src/data/idx.ts';
import { loadRun } from '../../src/run/load.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
let condDir = '';
let plainDir = '';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
  condDir = tempDir();
  plainDir = tempDir();
  const small = { labels: 100, batchSize: 50, initBatch: 100, checkpointEvery: 1000, backend: 'wasm' as const };
  await train(makeConfig({ ...small, method: 'sslgan-cond', steps: 100, runDir: condDir }));
  await train(makeConfig({ ...small, kind: 'gan', steps: 3, runDir: plainDir }));
});

const opts = (out: string, extra: Partial<PerClassOptions> = {}): PerClassOptions => ({
  perClass: 6,
  out,
  format: 'idx',
  minConfidence: 0.5,
  maxGeneratedProb: 1,
  seed: 2,
  batch: 100,
  maxDrawFactor: 50,
  classNames: [],
  ...extra,
});

test('--per-class keeps N of each class, each one the classifier calls its conditioning class', async (t) => {
  const run = await loadRun(condDir);
  const out = join(tempDir(), 'gen');
  const m = generatePerClass(run, opts(out));
  t.deepEqual(m.classHistogram, new Array(10).fill(6));
  t.is(m.accepted, 60);
  t.is(m.shortfall, null);
  t.is(
    m.drawn,
    m.drawnPerClass.reduce((a, b) => a + b, 0),
  );
  t.is(m.drawnPerKept, m.drawn / 60);
  t.true(m.drawnPerKept >= 1);
  const { images, labels } = readIdxPair(join(out, 'images-idx3-ubyte'), join(out, 'labels-idx1-ubyte'));
  t.deepEqual(images.dims, [60, 28, 28]);
  const hist = new Array(10).fill(0);
  for (const y of labels.data) hist[y]++;
  t.deepEqual(hist, m.classHistogram);
  // The written images, read back and classified again, are what their labels say (pixels are
  // rounded to bytes on the way, so allow a stray disagreement).
  const agree = tf.tidy(() => {
    const x = tf.div(tf.tensor4d(Float32Array.from(images.data), [60, 28, 28, 1]), 255) as tf.Tensor4D;
    const pred = tf.argMax(run.classify(x), 1).dataSync();
    return Array.from(labels.data).filter((y, i) => pred[i] === y).length;
  });
  t.true(agree >= 58, `${agree} of 60 re-classified as labelled`);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.is(manifest.perClass, 6);
  t.is(manifest.drawnPerKept, m.drawnPerKept);
  // One row per class, 10 columns of 28 px with 1-px gaps.
  const grid = PNG.sync.read(readFileSync(join(out, PER_CLASS_GRID)));
  t.deepEqual([grid.width, grid.height], [10 * 29 + 1, 10 * 29 + 1]);
  t.log(`per class 6 at confidence 0.5: ${m.drawn} drawn, ${m.drawnPerKept.toFixed(2)} per kept`);
  run.dispose();
});

test('a stricter threshold draws more per kept sample; an impossible one writes nothing and says which classes fell short', async (t) => {
  const run = await loadRun(condDir);
  const loose = generatePerClass(run, opts(join(tempDir(), 'g'), { minConfidence: 0 }));
  const strict = generatePerClass(run, opts(join(tempDir(), 'g'), { minConfidence: 0.95 }));
  t.true(strict.drawnPerKept >= loose.drawnPerKept);
  const out = join(tempDir(), 'none');
  const none = generatePerClass(run, opts(out, { minConfidence: 1, maxGeneratedProb: 0, maxDrawFactor: 2 }));
  t.is(none.accepted, 0);
  t.deepEqual(none.drawnPerClass, new Array(10).fill(12));
  t.regex(none.shortfall!, /class 0: 0 of 6/);
  t.false(existsSync(out));
  run.dispose();
});

test('--per-class refuses an unconditional run; generate wants exactly one of --count and --per-class', async (t) => {
  const run = await loadRun(plainDir);
  t.throws(() => generatePerClass(run, opts(join(tempDir(), 'g'))), {
    message: /--per-class: the generator of .* \(a sslgan-mlp run\) is not class-conditional/,
  });
  run.dispose();
  const both = spawnSync(
    process.execPath,
    [BIN, 'generate', '--run', condDir, '--count', '5', '--per-class', '2', '--out', join(tempDir(), 'x')],
    { encoding: 'utf8' },
  );
  t.is(both.status, 1);
  t.regex(both.stderr, /^ssgan: --count or --per-class: expected exactly one of them$/m);
  const out = join(tempDir(), 'cli');
  const ok = spawnSync(
    process.execPath,
    [BIN, 'generate', '--run', condDir, '--per-class', '3', '--min-confidence', '0.5', '--out', out],
    { encoding: 'utf8' },
  );
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stdout, /: 30 images, [\d.]+ drawn per kept/);
  t.true(existsSync(join(out, PER_CLASS_GRID)));
});
