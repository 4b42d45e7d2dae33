import test from 'ava';
import { selectBackend } from '../../src/backend/select.ts';
import { judgeConditional, judgeImages, perClassQuality } from '../../src/quality/measure.ts';
import { referenceClassifier } from '../../src/quality/reference.ts';
import { loadRun } from '../../src/run/load.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

const refOpts = { cacheDir: tempDir(), seed: 1, steps: 250, log: () => {} };

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

test.serial('per-class quality: right classes agree and sit near their class, wrong ones do not', async (t) => {
  const { run: ref, ds } = await referenceClassifier('mnist-10k', refOpts);
  const idx = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  const real = judgeImages(ref, ds.test, idx(0, 1000));
  const other = judgeImages(ref, ds.test, idx(1000, 1000));
  const labels = ds.test.labels.subarray(0, 1000);
  const truth = Int32Array.from(ds.test.labels.subarray(1000, 2000));
  // A "generator" that is real images with their own classes, and the same images with wrong ones.
  const right = perClassQuality(other, truth, real, labels);
  const wrong = perClassQuality(
    other,
    truth.map((y) => (y + 1) % 10),
    real,
    labels,
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const agreeR = mean(right.map((c) => c.agreement));
  const agreeW = mean(wrong.map((c) => c.agreement));
  const fdR = mean(right.map((c) => c.frechetDistance));
  const fdW = mean(wrong.map((c) => c.frechetDistance));
  t.log(
    `agreement right ${agreeR.toFixed(3)}, wrong ${agreeW.toFixed(3)}; mean per-class Fréchet right ${fdR.toFixed(2)}, wrong ${fdW.toFixed(2)}`,
  );
  t.true(agreeR > 0.8);
  t.true(agreeW < 0.1);
  t.true(fdW > 2 * fdR);
  t.is(
    right.reduce((a, c) => a + c.count, 0),
    1000,
  );
  ref.dispose();
});

test.serial('a conditional run is judged on a balanced draw, class by class', async (t) => {
  const dir = tempDir();
  await train(
    makeConfig({
      method: 'sslgan-cond',
      labels: 100,
      batchSize: 50,
      initBatch: 100,
      steps: 60,
      runDir: dir,
      backend: 'wasm',
    }),
  );
  const run = await loadRun(dir);
  const { run: ref, ds } = await referenceClassifier('mnist-10k', refOpts);
  const { judged, classes } = judgeConditional(ref, run.generator!, 250, 3);
  t.is(judged.n, 250);
  const real = judgeImages(
    ref,
    ds.test,
    Int32Array.from({ length: 500 }, (_, i) => i),
  );
  const q = perClassQuality(judged, classes, real, ds.test.labels.subarray(0, 500));
  t.deepEqual(
    q.map((c) => c.count),
    new Array(10).fill(25),
  );
  t.true(q.every((c) => Number.isFinite(c.frechetDistance) && c.agreement >= 0 && c.agreement <= 1));
  t.log(q.map((c) => `${c.class}: ${(100 * c.agreement).toFixed(0)}%`).join(', '));
  ref.dispose();
  run.dispose();
});
