import test from 'ava';
import { spawnSync } from 'node:child_process';
import { selectBackend } from '../../src/backend/select.ts';
import * as tf from '@tensorflow/tfjs';
import { gatherImages } from '../../src/data/batch.ts';
import { distance, judge, judgeGenerator, judgeImages, judgeNoise, scoreOf } from '../../src/quality/measure.ts';
import { referenceClassifier } from '../../src/quality/reference.ts';
import { loadRun } from '../../src/run/load.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const cache = tempDir();
const refOpts = { cacheDir: cache, seed: 1, steps: 1000, log: () => {} };

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

test.serial('sanity of the scores on real data: real images near the top, noise near the floor', async (t) => {
  const { run: ref, ds, fresh } = await referenceClassifier('mnist-10k', refOpts);
  t.true(fresh);
  t.log(`reference classifier: ${(ref.result!.accuracy * 100).toFixed(1)}% test accuracy after 1000 steps`);
  const idx = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  const realA = judgeImages(ref, ds.test, idx(0, 1000));
  const realB = judgeImages(ref, ds.test, idx(1000, 1000));
  const noise = judgeNoise(ref, 1000, [28, 28, 1], 5);
  const sReal = scoreOf(realA);
  const sNoise = scoreOf(noise);
  const fdSame = distance(realA, realB);
  const fdNoise = distance(realA, noise);
  t.log(
    `score: real ${sReal.toFixed(2)}, noise ${sNoise.toFixed(2)}; Fréchet: real vs real ${fdSame.toFixed(2)}, real vs noise ${fdNoise.toFixed(2)}`,
  );
  t.true(sReal > 8, 'ten balanced, confidently classified classes score close to 10');
  t.true(sNoise < 2);
  t.true(fdNoise > 20 * fdSame);
  ref.dispose();
  // Cached: the second call does not train again.
  const again = await referenceClassifier('mnist-10k', refOpts);
  t.false(again.fresh);
  again.run.dispose();
});

test.serial(
  'the scores follow sample quality: real images blended toward noise score worse at every step',
  async (t) => {
    const { run: ref, ds } = await referenceClassifier('mnist-10k', refOpts);
    const idx = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    const real = judgeImages(ref, ds.test, Int32Array.from(idx(0, 1000)));
    // A different set of real images, blended with uniform noise by a: a = 0 is real, a = 1 noise.
    const blended = (a: number) =>
      judge(ref, 1000, (s, size) =>
        tf.tidy(() => {
          const x = tf.tensor4d(gatherImages(ds.test, idx(1000 + s, size)), [size, 28, 28, 1]);
          return tf.add(tf.mul(x, 1 - a), tf.mul(tf.randomUniform(x.shape, 0, 1, 'float32', 17 + s), a)) as tf.Tensor4D;
        }),
      );
    const levels = [0, 0.3, 0.6, 1];
    const judged = levels.map(blended);
    const scores = judged.map(scoreOf);
    const distances = judged.map((j) => distance(real, j));
    t.log(
      `blend ${levels.join(' / ')}: score ${scores.map((v) => v.toFixed(2)).join(' / ')}; Fréchet ${distances.map((v) => v.toFixed(1)).join(' / ')}`,
    );
    for (let i = 1; i < levels.length; i++) {
      t.true(scores[i] < scores[i - 1], `score at blend ${levels[i]}`);
      t.true(distances[i] > distances[i - 1], `Fréchet distance at blend ${levels[i]}`);
    }
    ref.dispose();
  },
);

test.serial('a generator is judged the same way twice for the same seed', async (t) => {
  const dir = tempDir();
  await train(makeConfig({ kind: 'gan', labels: 100, steps: 100, runDir: dir, backend: 'wasm' }));
  const run = await loadRun(dir);
  const { run: ref } = await referenceClassifier('mnist-10k', refOpts);
  const a = judgeGenerator(ref, run.generator!, 300, 3);
  const b = judgeGenerator(ref, run.generator!, 300, 3);
  t.deepEqual(a.features, b.features);
  t.is(scoreOf(a), scoreOf(b));
  // Another seed draws other samples.
  t.notDeepEqual(judgeGenerator(ref, run.generator!, 300, 4).features, a.features);
  ref.dispose();
  run.dispose();
});

test.serial('quality refuses runs without a generator and bad counts', async (t) => {
  const dir = tempDir();
  await train(makeConfig({ kind: 'baseline', labels: 100, steps: 3, runDir: dir, backend: 'wasm' }));
  const r1 = spawnSync(process.execPath, [BIN, 'quality', '--run', dir], { encoding: 'utf8' });
  t.is(r1.status, 1);
  t.regex(r1.stderr, /has no generator \(a supervised run\)/);
  const r2 = spawnSync(process.execPath, [BIN, 'quality', '--run', dir, '--count', '0'], { encoding: 'utf8' });
  t.is(r2.status, 1);
  t.regex(r2.stderr, /--count: expected an integer in \[2, ∞\]/);
  const err = await t.throwsAsync(() => referenceClassifier('imagenet', refOpts));
  t.regex(err!.message, /^reference classifier: --dataset: unknown dataset "imagenet"/);
});
