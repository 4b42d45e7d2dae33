import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { conditionalGenerator, rowClasses } from '../../src/models/conditional.ts';
import { buildGenerator, sampleLatent } from '../../src/models/index.ts';
import type { ModelSpec } from '../../src/models/types.ts';
import { loadRun } from '../../src/run/load.ts';
import { readState } from '../../src/train/checkpoint.ts';
import { makeConfig, type TrainConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

function condConfig(extra: Partial<TrainConfig> = {}): TrainConfig {
  return makeConfig({
    method: 'sslgan-cond',
    dataset: 'mnist-10k',
    labels: 100,
    batchSize: 50,
    initBatch: 100,
    steps: 30,
    logEvery: 10,
    checkpointEvery: 1000,
    backend: 'wasm',
    runDir: tempDir(),
    ...extra,
  });
}

const spec: ModelSpec = {
  arch: 'mlp',
  head: 'implicit',
  imageShape: [28, 28, 1],
  numClasses: 10,
  latentDim: 100,
  initSeed: 5,
};

test('the conditional generator reads its class: same z, other class, other image; its first layer grows by K inputs', (t) => {
  for (const arch of ['mlp', 'dcgan'] as const) {
    const s = { ...spec, arch, conditional: true };
    const G = conditionalGenerator(s);
    const [diff, same] = tf.tidy(() => {
      const z = sampleLatent(arch, 20, 100, 1);
      const a = G.apply(z, rowClasses(20, 10), { training: true, seed: 0 });
      const b = G.apply(z, tf.tensor1d(new Int32Array(20).fill(3), 'int32'), { training: true, seed: 0 });
      const c = G.apply(z, rowClasses(20, 10), { training: true, seed: 0 });
      return [tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]];
    });
    t.true(diff > 1e-3, `${arch}: class changes the image (max diff ${diff})`);
    t.is(same, 0);
    t.deepEqual(G.params.vars.get('dense0/w')!.shape, [110, arch === 'mlp' ? 500 : 7 * 7 * 128]);
    // The unconditional generator of the same spec is untouched: 100 inputs.
    const U = buildGenerator(s);
    tf.tidy(() => U.apply(sampleLatent(arch, 4, 100, 1), { training: true, seed: 0 }));
    t.deepEqual(U.params.vars.get('dense0/w')!.shape, [100, arch === 'mlp' ? 500 : 7 * 7 * 128]);
    G.params.dispose();
    U.params.dispose();
  }
});

test('rowClasses gives each grid row one class', (t) => {
  const c = rowClasses(100, 10);
  const v = Array.from(c.dataSync());
  c.dispose();
  t.deepEqual(v.slice(0, 12), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  t.is(v[99], 9);
});

test.serial(
  'a conditional run trains without leaking tensors, is named by its arch, and loadRun rebuilds G(z, y)',
  async (t) => {
    const cfg = condConfig({ steps: 12, batchSize: 20, logEvery: 4 });
    const before = tf.memory().numTensors;
    const r = await train(cfg);
    t.is(tf.memory().numTensors, before, 'numTensors flat over a conditional training run');
    t.is(r.method, 'sslgan-cond-mlp');
    t.is(r.kind, 'gan');
    const rows = readFileSync(join(cfg.runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    t.true(rows.every((row) => Number.isFinite(row.lossAux) && Number.isFinite(row.lossGenAux)));
    t.true(readState(join(cfg.runDir, 'checkpoint')).spec.conditional === true);
    t.true(existsSync(join(cfg.runDir, 'samples.png')));
    const run = await loadRun(cfg.runDir);
    t.true(run.generator!.conditional);
    const n0 = tf.memory().numTensors;
    const [byClass, byDefault] = tf.tidy(() => {
      const z = run.generator!.latent(20, 4);
      const y = rowClasses(20, 10);
      return [run.generator!.sample(z, y).dataSync(), run.generator!.sample(z).dataSync()];
    });
    t.is(tf.memory().numTensors, n0);
    t.deepEqual(Array.from(byDefault), Array.from(byClass));
    run.dispose();
  },
);

test.serial(
  'the conditional generator really conditions: after a short run, the run classifier agrees with y above chance',
  async (t) => {
    const cfg = condConfig({ steps: 120, batchSize: 50 });
    const r = await train(cfg);
    const run = await loadRun(cfg.runDir);
    const K = 10;
    const n = 200;
    const agree = tf.tidy(() => {
      const y = rowClasses(n, K);
      const x = run.generator!.sample(run.generator!.latent(n, 9), y);
      return tf.mean(tf.cast(tf.equal(tf.argMax(run.classify(x), 1), y), 'float32')).dataSync()[0];
    });
    run.dispose();
    t.log(
      `${r.method}, 120 steps: test error ${(100 * r.error).toFixed(1)}%, classifier agrees with the class of G(z, y) for ${(100 * agree).toFixed(1)}% of ${n}`,
    );
    t.true(agree > 0.5, `agreement ${agree} well above chance (0.1)`);
  },
);

test.serial('the dcgan architecture trains conditionally too, and its run loads as G(z, y)', async (t) => {
  const cfg = condConfig({ arch: 'dcgan', steps: 4, batchSize: 10, initBatch: 20, logEvery: 2 });
  const before = tf.memory().numTensors;
  const r = await train(cfg);
  t.is(tf.memory().numTensors, before);
  t.is(r.method, 'sslgan-cond-dcgan');
  const run = await loadRun(cfg.runDir);
  const shape = tf.tidy(() => run.generator!.sample(run.generator!.latent(10, 1), rowClasses(10, 10)).shape);
  t.deepEqual(shape, [10, 28, 28, 1]);
  t.true(run.generator!.conditional);
  run.dispose();
});

test.serial('--aug-shift shifts the real batches of the conditional game: named, recorded, another run', async (t) => {
  const base = { steps: 6, batchSize: 20, logEvery: 2 };
  const plain = condConfig(base);
  const shifted = condConfig({ ...base, augShift: 2 } as Partial<TrainConfig>);
  const before = tf.memory().numTensors;
  const [a, b] = [await train(plain), await train(shifted)];
  t.is(tf.memory().numTensors, before, 'numTensors flat over shifted training');
  t.is(a.method, 'sslgan-cond-mlp');
  t.is(b.method, 'sslgan-cond-mlp-shift2');
  t.is(JSON.parse(readFileSync(join(shifted.runDir, 'run.json'), 'utf8')).config.augShift, 2);
  const lossLab = (dir: string) =>
    readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).lossLab as number);
  // Same seed, same batches, same init: only the shifts differ, so the labelled loss does.
  t.notDeepEqual(lossLab(plain.runDir), lossLab(shifted.runDir));
});
