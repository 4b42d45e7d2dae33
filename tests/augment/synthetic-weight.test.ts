import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { writeIdx } from '../../src/data/idx.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { weightedSupervisedLoss } from '../../src/losses/weighted.ts';
import { supervisedLoss } from '../../src/losses/kplus1.ts';
import { readNetWeights } from '../../src/train/checkpoint.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

test('weighted cross-entropy by hand: (1/n) Σ w_i (lse(l_i) - l_i[y_i]); weights 1 give the plain loss', (t) => {
  const l = [
    [2, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ];
  const y = [0, 2, 1];
  const w = [1, 0.1, 0.5];
  const ce = l.map((row, i) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[y[i]]);
  const want = (w[0] * ce[0] + w[1] * ce[1] + w[2] * ce[2]) / 3;
  const [got, plain, ones] = tf.tidy(() => {
    const logits = tf.tensor2d(l);
    const labels = tf.tensor1d(y, 'int32');
    return [
      weightedSupervisedLoss(logits, labels, tf.tensor1d(w)).dataSync()[0],
      supervisedLoss(logits, labels).dataSync()[0],
      weightedSupervisedLoss(logits, labels, tf.ones([3])).dataSync()[0],
    ];
  });
  t.true(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
  t.true(Math.abs(ones - plain) < 1e-6);
});

/** A synthetic folder: 200 real training images past the labelled ones, with their labels. */
async function syntheticFolder(): Promise<string> {
  const ds = await loadDataset('mnist-10k');
  const dir = tempDir();
  const n = 200;
  writeIdx(join(dir, 'images-idx3-ubyte'), {
    dims: [n, 28, 28],
    data: ds.train.images.slice(5000 * 784, (5000 + n) * 784),
  });
  writeIdx(join(dir, 'labels-idx1-ubyte'), { dims: [n], data: ds.train.labels.slice(5000, 5000 + n) });
  return dir;
}

const base = {
  kind: 'baseline' as const,
  labels: 50,
  batchSize: 25,
  initBatch: 50,
  steps: 12,
  logEvery: 4,
  backend: 'wasm' as const,
};
const dWeights = (dir: string) => {
  const w = readNetWeights(join(dir, 'checkpoint'), 'D');
  const v = Array.from(w['dense0/b'].dataSync());
  tf.dispose(Object.values(w));
  return v;
};

test.serial('--synthetic-weight and --synthetic-from-step reach the training and are recorded', async (t) => {
  const aug = await syntheticFolder();
  const plain = tempDir();
  const late = tempDir();
  const w1 = tempDir();
  const w01 = tempDir();
  await train(makeConfig({ ...base, runDir: plain }));
  // Synthetic examples joining after the last step: the run is the plain one, bit for bit.
  const r = await train(makeConfig({ ...base, runDir: late, augmentWith: aug, syntheticFromStep: 12 }));
  t.deepEqual(dWeights(late), dWeights(plain));
  t.is(r.method, 'supervised+gan-aug-from12');
  await train(makeConfig({ ...base, runDir: w1, augmentWith: aug }));
  const r01 = await train(makeConfig({ ...base, runDir: w01, augmentWith: aug, syntheticWeight: 0.1 }));
  t.is(r01.method, 'supervised+gan-aug-w0.1');
  t.notDeepEqual(dWeights(w01), dWeights(w1));
  const record = JSON.parse(readFileSync(join(w01, 'run.json'), 'utf8'));
  t.is(record.config.syntheticWeight, 0.1);
  t.is(record.config.syntheticFromStep, 0);
  t.is(record.augmentCount, 200);
  // The logged loss is the weighted one: synthetic rows count a tenth, so it is below the plain loss's scale.
  const rows = (d: string) =>
    readFileSync(join(d, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  t.true(rows(w01).every((row) => Number.isFinite(row.lossLab)));
  t.true(rows(w01)[0].lossLab < rows(w1)[0].lossLab);
});

test('the synthetic flags without --augment-with are refused with one line', (t) => {
  t.throws(() => makeConfig({ ...base, runDir: tempDir(), syntheticWeight: 0.1 }), {
    message: '--synthetic-weight: weighs --augment-with examples; give --augment-with',
  });
  t.throws(() => makeConfig({ ...base, runDir: tempDir(), syntheticFromStep: 5 }), {
    message: '--synthetic-from-step: delays --augment-with examples; give --augment-with',
  });
});
