import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { gatherImages } from '../../src/data/batch.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { buildDiscriminator } from '../../src/models/index.ts';
import { readNetWeights, readState } from '../../src/train/checkpoint.ts';
import { makeConfig, type TrainConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

/** A small but real run: the embedded digits, 20 labels, small batches. */
function smallConfig(extra: Partial<TrainConfig> = {}): TrainConfig {
  return makeConfig({
    kind: 'gan',
    dataset: 'mnist-10k',
    labels: 20,
    batchSize: 20,
    initBatch: 100,
    steps: 30,
    checkpointEvery: 1000,
    backend: 'wasm',
    runDir: tempDir(),
    ...extra,
  });
}

test.serial('weight-norm data-dependent init: first-layer pre-activations have zero mean, unit variance', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const D = buildDiscriminator({
    arch: 'mlp',
    head: 'implicit',
    imageShape: [28, 28, 1],
    numClasses: 10,
    latentDim: 100,
    initSeed: 3,
  });
  const x = tf.tensor4d(
    gatherImages(
      ds.train,
      Array.from({ length: 500 }, (_, i) => i * 13),
    ),
    [500, 28, 28, 1],
  );
  tf.tidy(() => {
    D.apply(x, { training: false, init: true, seed: 0 });
  });
  const [mean, std] = tf.tidy(() => {
    const v = D.params.vars.get('dense0/v')!;
    const pre = tf.add(
      tf.mul(
        tf.matMul(tf.reshape(x, [500, 784]), tf.div(v, tf.norm(v, 'euclidean', 0))),
        D.params.vars.get('dense0/g')!,
      ),
      D.params.vars.get('dense0/b')!,
    );
    const m = tf.moments(pre, 0);
    return [tf.mean(tf.abs(m.mean)).dataSync()[0], tf.mean(tf.sqrt(m.variance)).dataSync()[0]];
  });
  t.log(`mean |unit mean| ${mean.toExponential(2)}, mean unit std ${std.toFixed(4)}`);
  t.true(mean < 1e-3);
  t.true(Math.abs(std - 1) < 1e-2);
  x.dispose();
  D.params.dispose();
});

test.serial('no tensor leak: numTensors stays flat over 200 GAN training steps', async (t) => {
  const counts: number[] = [];
  await train(smallConfig({ steps: 200, batchSize: 10 }), {
    onStep: (step) => {
      if (step === 10 || step === 200) counts.push(tf.memory().numTensors);
    },
  });
  t.log(`numTensors at step 10: ${counts[0]}, at step 200: ${counts[1]}`);
  t.is(counts[1], counts[0]);
});

test.serial('whole runs leave no tensor behind, checkpoints and evaluation included', async (t) => {
  const before = tf.memory().numTensors;
  await train(smallConfig({ steps: 12, checkpointEvery: 5 }));
  await train(smallConfig({ kind: 'baseline', steps: 12, checkpointEvery: 5 }));
  t.is(tf.memory().numTensors, before);
});

test.serial('no tensor leak in the supervised baseline either', async (t) => {
  const counts: number[] = [];
  await train(smallConfig({ kind: 'baseline', steps: 200, batchSize: 10, augment: 'shift' }), {
    onStep: (step) => {
      if (step === 10 || step === 200) counts.push(tf.memory().numTensors);
    },
  });
  t.is(counts[1], counts[0]);
});

test.serial(
  'a run killed after a checkpoint and resumed ends with the same weights as an uninterrupted one',
  async (t) => {
    const straight = smallConfig({ steps: 24, checkpointEvery: 12, logEvery: 5 });
    const r1 = await train(straight);
    const interrupted = { ...straight, runDir: tempDir() };
    await t.throwsAsync(
      () =>
        train(interrupted, {
          onStep: (step) => {
            if (step === 15) throw new Error('killed');
          },
        }),
      { message: 'killed' },
    );
    t.is(readState(join(interrupted.runDir, 'checkpoint')).step, 12);
    const r2 = await train(interrupted, { resume: true });
    t.is(r2.steps, 24);
    t.is(r2.accuracy, r1.accuracy);
    for (const net of ['D', 'D-ema', 'G']) {
      const a = readNetWeights(join(straight.runDir, 'checkpoint'), net);
      const b = readNetWeights(join(interrupted.runDir, 'checkpoint'), net);
      for (const k of Object.keys(a)) t.deepEqual(b[k].dataSync(), a[k].dataSync(), `${net}/${k}`);
    }
    // Metrics rows after the checkpoint were dropped and rewritten once.
    const steps = readFileSync(join(interrupted.runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).step);
    t.deepEqual(
      steps,
      [...new Set(steps)].sort((a, b) => a - b),
    );
  },
);

test.serial('a diverging loss stops the run and keeps the last good checkpoint', async (t) => {
  const cfg = smallConfig({ steps: 10, checkpointEvery: 5 });
  await train(cfg);
  const before = readNetWeights(join(cfg.runDir, 'checkpoint'), 'D-ema');
  // Same run folder, resumed with a threshold every loss exceeds: step 10 "explodes".
  const r = await train({ ...cfg, steps: 20, explodeThreshold: 1e-12 }, { resume: true });
  t.is(r.stoppedBy, 'nan');
  t.is(r.steps, 10);
  t.is(readState(join(cfg.runDir, 'checkpoint')).step, 10);
  const after = readNetWeights(join(cfg.runDir, 'checkpoint'), 'D-ema');
  for (const k of Object.keys(before)) t.deepEqual(after[k].dataSync(), before[k].dataSync());
  const result = JSON.parse(readFileSync(join(cfg.runDir, 'result.json'), 'utf8'));
  t.is(result.stoppedBy, 'nan');
});

test.serial('a short real run learns: test accuracy far above chance, run folder complete', async (t) => {
  const cfg = smallConfig({ labels: 100, batchSize: 50, steps: 60 });
  const r = await train(cfg);
  t.log(`60 steps, 100 labels: test accuracy ${(r.accuracy * 100).toFixed(1)}%`);
  t.true(r.accuracy > 0.5);
  const record = JSON.parse(readFileSync(join(cfg.runDir, 'run.json'), 'utf8'));
  t.is(record.data.checksum, r.dataChecksum);
  t.is(record.split.labelledCount, 100);
  t.regex(record.split.labelledHash, /^[0-9a-f]{64}$/);
  t.truthy(record.environment.backend.description);
  // The code the run used: HEAD, marked when the working tree's sources differ from it.
  t.regex(record.environment.gitCommit, /^[0-9a-f]{40}(\+dirty)?$/);
  t.is(
    r.confusion.flat().reduce((a: number, b: number) => a + b, 0),
    2000,
  );
});
