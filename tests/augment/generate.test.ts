import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { generateLabelled, PER_CLASS_GRID, type GenerateOptions } from '../../src/augment/generate.ts';
import { selectSamples } from '../../src/augment/select.ts';
import { readIdxPair } from '../../src/data/idx.ts';
import { loadRun } from '../../src/run/load.ts';
import { hasNet } from '../../src/train/checkpoint.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { TEST_BACKEND } from '../helpers/backend.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
let ganDir = '';
let baselineDir = '';

test.before(async () => {
  await selectBackend({ backend: TEST_BACKEND });
  ganDir = tempDir();
  baselineDir = tempDir();
  await train(
    makeConfig({ kind: 'gan', labels: 100, steps: 60, batchSize: 50, runDir: ganDir, backend: TEST_BACKEND }),
  );
  await train(
    makeConfig({ kind: 'baseline', labels: 100, steps: 5, batchSize: 50, runDir: baselineDir, backend: TEST_BACKEND }),
  );
});

const opts = (out: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({
  count: 60,
  out,
  format: 'idx',
  minConfidence: 0,
  maxGeneratedProb: 1,
  balance: false,
  seed: 3,
  batch: 100,
  maxDrawFactor: 20,
  classNames: [],
  ...extra,
});

test('selection honours confidence, the generated-probability cap and class quotas', (t) => {
  // Three samples, K = 2: [0.95, 0.05] p_gen 0.1 → class 0; [0.6, 0.4] → too unsure; [0.02, 0.98] p_gen 0.7 → looks generated.
  const probs = new Float32Array([0.95, 0.05, 0.6, 0.4, 0.02, 0.98]);
  const pGen = new Float32Array([0.1, 0.1, 0.7]);
  t.deepEqual(
    selectSamples(probs, pGen, 2, { minConfidence: 0.9, maxGeneratedProb: 0.5, quota: Infinity }, [0, 0]).map((d) => [
      d.index,
      d.label,
    ]),
    [[0, 0]],
  );
  t.deepEqual(
    selectSamples(probs, pGen, 2, { minConfidence: 0.5, maxGeneratedProb: 1, quota: 1 }, [0, 0]).map((d) => [
      d.index,
      d.label,
    ]),
    [
      [0, 0],
      [2, 1],
    ],
  );
});

test('generate writes IDX any reader can load, with labels from the classifier and a manifest', async (t) => {
  const run = await loadRun(ganDir);
  const out = join(tempDir(), 'gen');
  const m = generateLabelled(run, opts(out));
  t.is(m.accepted, 60);
  t.is(m.acceptanceRate, 60 / 100);
  const { images, labels } = readIdxPair(join(out, 'images-idx3-ubyte'), join(out, 'labels-idx1-ubyte'));
  t.deepEqual(images.dims, [60, 28, 28]);
  t.true(Array.from(labels.data).every((y) => y < 10));
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.deepEqual(
    manifest.classHistogram.reduce((a: number, b: number) => a + b, 0),
    60,
  );
  // The same seed gives the same images: equal up to float rounding of a pixel level, which
  // BLAS kernels may introduce when tensors land at other heap alignments.
  const out2 = join(tempDir(), 'gen');
  generateLabelled(run, opts(out2));
  const a = readFileSync(join(out, 'images-idx3-ubyte'));
  const b = readFileSync(join(out2, 'images-idx3-ubyte'));
  let maxDiff = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    if (a[i] !== b[i]) differing++;
  }
  t.log(`pixels differing between two runs with the same seed: ${differing} of ${a.length}, by at most ${maxDiff}`);
  t.true(maxDiff <= 1 && differing < a.length / 1000);
  t.deepEqual(readFileSync(join(out2, 'labels-idx1-ubyte')), readFileSync(join(out, 'labels-idx1-ubyte')));
  run.dispose();
});

test('thresholds are honoured: an impossible confidence accepts nothing and says so; balance caps classes', async (t) => {
  const run = await loadRun(ganDir);
  const none = generateLabelled(run, opts(join(tempDir(), 'g'), { minConfidence: 1, maxDrawFactor: 2, count: 50 }));
  t.true(none.accepted < 50);
  t.truthy(none.shortfall);
  const bal = generateLabelled(run, opts(join(tempDir(), 'g'), { balance: true, count: 20, minConfidence: 0 }));
  t.true(bal.classHistogram.every((n) => n <= 2));
  run.dispose();
});

test('ranked selection keeps the most confident of all draws', async (t) => {
  const run = await loadRun(ganDir);
  const first = generateLabelled(run, opts(join(tempDir(), 'g'), { count: 30, maxDrawFactor: 10 }));
  const ranked = generateLabelled(run, opts(join(tempDir(), 'g'), { count: 30, maxDrawFactor: 10, rank: true }));
  t.is(ranked.accepted, 30);
  t.is(ranked.drawn, 300);
  t.true(ranked.rank);
  t.log(`mean confidence: first-come ${first.meanConfidence.toFixed(3)}, ranked ${ranked.meanConfidence.toFixed(3)}`);
  t.true(ranked.meanConfidence > first.meanConfidence);
  run.dispose();
});

test('baseline --augment-with trains on the labelled subset plus the generated images', async (t) => {
  const run = await loadRun(ganDir);
  const gen = join(tempDir(), 'gen');
  generateLabelled(run, opts(gen, { count: 100 }));
  run.dispose();
  const dir = tempDir();
  const r = await train(
    makeConfig({
      kind: 'baseline',
      labels: 100,
      steps: 5,
      batchSize: 50,
      runDir: dir,
      backend: TEST_BACKEND,
      augmentWith: gen,
    }),
  );
  t.is(r.method, 'supervised+gan-aug');
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  t.is(record.augmentCount, 100);
});

const bad: [string[], RegExp][] = [
  [['--count', '0'], /--count: expected an integer in \[1, ∞\]/],
  [['--count', '10', '--min-confidence', '1.5'], /--min-confidence: expected a number in \[0, 1\], got 1.5/],
  [['--count', '10', '--max-generated-prob', '-0.1'], /--max-generated-prob: expected a number in \[0, 1\]/],
];
for (const [args, re] of bad) {
  test(`generate rejects ${args.join(' ')}`, (t) => {
    const r = spawnSync(process.execPath, [BIN, 'generate', '--run', ganDir, '--out', join(tempDir(), 'x'), ...args], {
      encoding: 'utf8',
    });
    t.is(r.status, 1);
    t.regex(r.stderr, re);
  });
}

test('generate refuses a run without a generator, a non-empty --out, a file as --out and the run folder itself', (t) => {
  const r1 = spawnSync(
    process.execPath,
    [BIN, 'generate', '--run', baselineDir, '--count', '5', '--out', join(tempDir(), 'x')],
    { encoding: 'utf8' },
  );
  t.is(r1.status, 1);
  t.regex(r1.stderr, /has no generator \(a supervised run\)/);
  const full = tempDir();
  writeFileSync(join(full, 'keep.txt'), 'mine');
  const r2 = spawnSync(process.execPath, [BIN, 'generate', '--run', ganDir, '--count', '5', '--out', full], {
    encoding: 'utf8',
  });
  t.is(r2.status, 1);
  t.regex(r2.stderr, /^ssgan: --out .*: folder exists and is not empty \(pass --overwrite/m);
  t.is(readFileSync(join(full, 'keep.txt'), 'utf8'), 'mine');
  const r3 = spawnSync(
    process.execPath,
    [BIN, 'generate', '--run', ganDir, '--count', '5', '--out', join(ganDir, 'run.json')],
    { encoding: 'utf8' },
  );
  t.is(r3.status, 1);
  t.regex(r3.stderr, /^ssgan: --out .*run\.json: exists and is not a folder$/m);
  // --overwrite would swap the run folder for generated images: refused, the run stays whole.
  const r4 = spawnSync(
    process.execPath,
    [BIN, 'generate', '--run', ganDir, '--count', '5', '--out', ganDir, '--overwrite'],
    { encoding: 'utf8' },
  );
  t.is(r4.status, 1);
  t.regex(r4.stderr, /^ssgan: --out .*: would replace the run folder/m);
  t.true(hasNet(join(ganDir, 'checkpoint'), 'G'));
});

test('PNG output: one folder per class holding exactly the images and labels of the IDX output', async (t) => {
  const run = await loadRun(ganDir);
  const idxOut = join(tempDir(), 'idx');
  const pngOut = join(tempDir(), 'png');
  const mi = generateLabelled(run, opts(idxOut, { count: 40 }));
  const mp = generateLabelled(
    run,
    opts(pngOut, {
      count: 40,
      format: 'png',
      classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
    }),
  );
  run.dispose();
  t.deepEqual(mp.classHistogram, mi.classHistogram);
  t.is(mp.format, 'png');
  const { images, labels } = readIdxPair(join(idxOut, 'images-idx3-ubyte'), join(idxOut, 'labels-idx1-ubyte'));
  const folders = readdirSync(pngOut)
    .filter((f) => f !== 'manifest.json' && f !== PER_CLASS_GRID)
    .sort();
  t.deepEqual(
    folders,
    mp.classHistogram.flatMap((n, k) =>
      n
        ? [
            `${String(k).padStart(2, '0')}-${['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][k]}`,
          ]
        : [],
    ),
  );
  let seen = 0;
  let maxDiff = 0;
  for (const f of folders) {
    const k = Number(f.slice(0, 2));
    const files = readdirSync(join(pngOut, f));
    t.is(files.length, mp.classHistogram[k]);
    for (const file of files) {
      const i = Number(file.replace('.png', ''));
      t.is(labels.data[i], k, `image ${i} is in the folder of its label`);
      const png = PNG.sync.read(readFileSync(join(pngOut, f, file)));
      t.deepEqual([png.width, png.height], [28, 28]);
      for (let p = 0; p < 28 * 28; p++)
        maxDiff = Math.max(maxDiff, Math.abs(png.data[p * 4] - images.data[i * 784 + p]));
      seen++;
    }
  }
  t.is(seen, 40);
  t.true(maxDiff <= 1, `PNG pixels match the IDX bytes of the same seed (max difference ${maxDiff})`);
  // Both formats carry the per-class grid: one row per class, 10 columns.
  const grid = PNG.sync.read(readFileSync(join(pngOut, PER_CLASS_GRID)));
  t.deepEqual([grid.width, grid.height], [10 * 29 + 1, 10 * 29 + 1]);
  t.true(existsSync(join(idxOut, PER_CLASS_GRID)));
});

test('when nothing passes the thresholds nothing is written, and the command says which flag to change', async (t) => {
  const run = await loadRun(ganDir);
  const out = join(tempDir(), 'none');
  const m = generateLabelled(run, opts(out, { minConfidence: 1, maxGeneratedProb: 0, maxDrawFactor: 1, count: 50 }));
  run.dispose();
  t.is(m.accepted, 0);
  t.false(existsSync(out));
  const cliOut = join(tempDir(), 'none');
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      'generate',
      '--run',
      ganDir,
      '--count',
      '50',
      '--out',
      cliOut,
      '--min-confidence',
      '1',
      '--max-generated-prob',
      '0',
      '--max-draw-factor',
      '1',
    ],
    { encoding: 'utf8' },
  );
  t.is(r.status, 1);
  t.regex(r.stderr, /^ssgan: --min-confidence 1: no sample passed the thresholds in 100 draws, nothing written/m);
  t.false(existsSync(cliOut));
});

test('baseline --augment-with names the flag when the folder holds no IDX pair', (t) => {
  const pngLike = tempDir();
  mkdirSync(join(pngLike, '00-0'));
  const r = spawnSync(
    process.execPath,
    [BIN, 'baseline', '--steps', '1', '--augment-with', pngLike, '--run-dir', join(tempDir(), 'b')],
    { encoding: 'utf8' },
  );
  t.is(r.status, 1);
  t.regex(
    r.stderr,
    /^ssgan: --augment-with .*: no images-idx3-ubyte or labels-idx1-ubyte there \(write it with `ssgan generate --format idx`\)$/m,
  );
});
