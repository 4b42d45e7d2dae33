import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { weightedSupervisedLoss } from '../../src/losses/weighted.ts';
import { supervisedLoss } from '../../src/losses/kplus1.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { firstBiases, SHORT_BASELINE, syntheticFolder } from '../helpers/synthetic.ts';
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

test.serial('--synthetic-weight and --synthetic-from-step reach the training and are recorded', async (t) => {
  const aug = await syntheticFolder();
  const plain = tempDir();
  const late = tempDir();
  const w1 = tempDir();
  const w01 = tempDir();
  await train(makeConfig({ ...SHORT_BASELINE, runDir: plain }));
  // Synthetic examples joining after the last step: the run is the plain one, bit for bit.
  const r = await train(makeConfig({ ...SHORT_BASELINE, runDir: late, augmentWith: aug, syntheticFromStep: 12 }));
  t.deepEqual(firstBiases(late), firstBiases(plain));
  t.is(r.method, 'supervised+gan-aug-from12');
  await train(makeConfig({ ...SHORT_BASELINE, runDir: w1, augmentWith: aug }));
  const r01 = await train(makeConfig({ ...SHORT_BASELINE, runDir: w01, augmentWith: aug, syntheticWeight: 0.1 }));
  t.is(r01.method, 'supervised+gan-aug-w0.1');
  t.notDeepEqual(firstBiases(w01), firstBiases(w1));
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
  t.throws(() => makeConfig({ ...SHORT_BASELINE, runDir: tempDir(), syntheticWeight: 0.1 }), {
    message: '--synthetic-weight: weighs --augment-with examples; give --augment-with',
  });
  t.throws(() => makeConfig({ ...SHORT_BASELINE, runDir: tempDir(), syntheticFromStep: 5 }), {
    message: '--synthetic-from-step: delays --augment-with examples; give --augment-with',
  });
});
