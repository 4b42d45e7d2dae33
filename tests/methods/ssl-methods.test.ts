import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { flipImages } from '../../src/data/augment.ts';
import { conditionalEntropy, consistencyLoss } from '../../src/losses/regularisers.ts';
import { readNetWeights } from '../../src/train/checkpoint.ts';
import { makeConfig, type TrainConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { createRng } from '../../src/util/random.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

test('consistency loss: mean over rows of the squared distance of the softmaxes, by hand', (t) => {
  const a = tf.tensor2d([
    [0, 0],
    [Math.log(3), 0],
  ]);
  const b = tf.tensor2d([
    [Math.log(3), 0],
    [Math.log(3), 0],
  ]);
  // Row 1: (0.5, 0.5) against (0.75, 0.25): 2 * 0.25^2; row 2: identical.
  t.true(Math.abs(consistencyLoss(a, b).dataSync()[0] - 0.0625) < 1e-6);
  tf.dispose([a, b]);
});

test('conditional entropy: log K for flat logits, near 0 for sure ones', (t) => {
  const flat = tf.zeros([3, 10]) as tf.Tensor2D;
  const sure = tf.tensor2d([[30, 0, 0]]);
  t.true(Math.abs(conditionalEntropy(flat).dataSync()[0] - Math.log(10)) < 1e-5);
  t.true(conditionalEntropy(sure).dataSync()[0] < 1e-9);
  tf.dispose([flat, sure]);
});

test('flips mirror whole images, about half of them', (t) => {
  const [n, h, w, c] = [64, 3, 4, 2];
  const orig = Float32Array.from({ length: n * h * w * c }, (_, i) => i);
  const batch = orig.slice();
  flipImages(batch, n, h, w, c, createRng(1, 'flip-test'));
  let flipped = 0;
  for (let b = 0; b < n; b++) {
    let same = true;
    let mirrored = true;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          const got = batch[((b * h + y) * w + x) * c + k];
          same &&= got === orig[((b * h + y) * w + x) * c + k];
          mirrored &&= got === orig[((b * h + y) * w + (w - 1 - x)) * c + k];
        }
    t.true(same || mirrored);
    if (mirrored) flipped++;
  }
  t.true(flipped > 16 && flipped < 48, `${flipped} of ${n} flipped`);
});

const small = (extra: Partial<TrainConfig>) =>
  makeConfig({
    labels: 20,
    batchSize: 20,
    initBatch: 100,
    steps: 8,
    logEvery: 4,
    backend: 'wasm',
    runDir: tempDir(),
    ...extra,
  } as Partial<TrainConfig> & { method: string });

async function dWeights(cfg: TrainConfig): Promise<Float32Array> {
  await train(cfg);
  const w = readNetWeights(join(cfg.runDir, 'checkpoint'), 'D');
  const out = w['dense0/b'].dataSync() as Float32Array;
  tf.dispose(Object.values(w));
  return out;
}

test.serial(
  'sslgan-ct: the consistency term is logged, reaches the weights, and at weight 0 is the plain game',
  async (t) => {
    const before = tf.memory().numTensors;
    const plain = await dWeights(small({ method: 'sslgan' }));
    const zero = await dWeights(small({ method: 'sslgan-ct', ctWeight: 0 }));
    const cfg = small({ method: 'sslgan-ct', ctWeight: 1, entropyWeight: 0.5 });
    const ct = await dWeights(cfg);
    t.is(tf.memory().numTensors, before);
    t.deepEqual(zero, plain);
    t.notDeepEqual(ct, plain);
    const rows = readFileSync(join(cfg.runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    t.true(rows.every((r) => r.lossConsistency > 0 && r.lossEntropy > 0));
    t.is(JSON.parse(readFileSync(join(cfg.runDir, 'result.json'), 'utf8')).method, 'sslgan-ct-mlp-ct1-ent');
  },
);

test.serial('sslgan-aug: no shift is the plain game; shifts change the weights', async (t) => {
  const plain = await dWeights(small({ method: 'sslgan' }));
  t.deepEqual(await dWeights(small({ method: 'sslgan-aug', augShift: 0 })), plain);
  const cfg = small({ method: 'sslgan-aug', augShift: 2 });
  t.notDeepEqual(await dWeights(cfg), plain);
  t.is(JSON.parse(readFileSync(join(cfg.runDir, 'result.json'), 'utf8')).method, 'sslgan-aug-mlp');
});

test.serial('sslgan-ct-aug: each term switched off is the other method, bit for bit; both on is neither', async (t) => {
  const before = tf.memory().numTensors;
  const ctOnly = await dWeights(small({ method: 'sslgan-ct', ctWeight: 0.5 }));
  const augOnly = await dWeights(small({ method: 'sslgan-aug', augShift: 2 }));
  t.deepEqual(await dWeights(small({ method: 'sslgan-ct-aug', ctWeight: 0.5, augShift: 0 })), ctOnly);
  t.deepEqual(await dWeights(small({ method: 'sslgan-ct-aug', ctWeight: 0, augShift: 2 })), augOnly);
  const cfg = small({ method: 'sslgan-ct-aug', ctWeight: 0.5, augShift: 2 });
  const both = await dWeights(cfg);
  t.notDeepEqual(both, ctOnly);
  t.notDeepEqual(both, augOnly);
  t.is(tf.memory().numTensors, before);
  const rows = readFileSync(join(cfg.runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.true(rows.every((r) => r.lossConsistency > 0));
  t.is(JSON.parse(readFileSync(join(cfg.runDir, 'result.json'), 'utf8')).method, 'sslgan-ct-aug-mlp-ct0.5');
});
