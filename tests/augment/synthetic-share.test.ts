import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { GAN_AUG_DEFAULTS } from '../../src/config/defaults.ts';
import { IndexStream } from '../../src/data/batch.ts';
import { batchDrawer } from '../../src/methods/supervised/batches.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { createRng } from '../../src/util/random.ts';
import { firstBiases, SHORT_BASELINE, syntheticFolder } from '../helpers/synthetic.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

const mix = { real: 100, synthetic: 4000, batchSize: 100, seed: 3, fromStep: 0 };
const realRows = (b: Int32Array) => Array.from(b).filter((i) => i < mix.real);

test('--synthetic-share 0.5: every batch is half real rows, and two batches cover the real ones once', (t) => {
  const next = batchDrawer({ ...mix, share: 0.5 });
  const seen = new Set<number>();
  for (let step = 0; step < 6; step++) {
    const b = next(step);
    t.is(b.length, 100);
    t.is(realRows(b).length, 50);
    t.true(Array.from(b).every((i) => i >= 0 && i < mix.real + mix.synthetic));
    if (step < 2) realRows(b).forEach((i) => seen.add(i));
  }
  t.is(seen.size, 100);
});

test('pooled draws (no share) leave the real rows their 100/4100 of the batches', (t) => {
  const next = batchDrawer(mix);
  let real = 0;
  for (let step = 0; step < 41; step++) real += realRows(next(step)).length;
  // 41 batches of 100 are one pass over the 4,100 rows: each real row exactly once.
  t.is(real, 100);
});

test('without synthetic rows the draws are the plain baseline stream, share or not', (t) => {
  const plain = new IndexStream(
    Int32Array.from({ length: 100 }, (_, i) => i),
    createRng(3, 'labelled'),
  );
  const next = batchDrawer({ ...mix, synthetic: 0, share: 0.5 });
  for (let step = 0; step < 3; step++) t.deepEqual(next(step), plain.next(100));
});

test('--synthetic-from-step with a share: real rows only before it, the share after; same seed, same batches', (t) => {
  const a = batchDrawer({ ...mix, fromStep: 3, share: 0.25 });
  const b = batchDrawer({ ...mix, fromStep: 3, share: 0.25 });
  for (let step = 0; step < 6; step++) {
    const batch = a(step);
    t.deepEqual(batch, b(step));
    t.is(realRows(batch).length, step < 3 ? 100 : 75);
  }
  // The smallest share still gives a batch one synthetic row.
  t.is(realRows(batchDrawer({ ...mix, share: 0.001 })(0)).length, 99);
});

test.serial('--synthetic-share reaches the training, names the run and is recorded', async (t) => {
  const aug = await syntheticFolder();
  const [pooled, half, byDefault] = [tempDir(), tempDir(), tempDir()];
  const rp = await train(makeConfig({ ...SHORT_BASELINE, runDir: pooled, augmentWith: aug, syntheticShare: 0 }));
  t.is(rp.method, 'supervised+gan-aug-pooled');
  const before = tf.memory().numTensors;
  const rq = await train(makeConfig({ ...SHORT_BASELINE, runDir: half, augmentWith: aug, syntheticShare: 0.5 }));
  t.is(tf.memory().numTensors, before);
  t.is(rq.method, 'supervised+gan-aug-share0.5');
  const rd = await train(makeConfig({ ...SHORT_BASELINE, runDir: byDefault, augmentWith: aug }));
  t.is(rd.method, 'supervised+gan-aug');
  t.notDeepEqual(firstBiases(half), firstBiases(pooled));
  t.notDeepEqual(firstBiases(half), firstBiases(byDefault));
  const record = (d: string) => JSON.parse(readFileSync(join(d, 'run.json'), 'utf8'));
  t.is(record(half).config.syntheticShare, 0.5);
  t.is(record(byDefault).config.syntheticShare, GAN_AUG_DEFAULTS.syntheticShare);
  t.is(record(half).augmentCount, 200);
});

test('--synthetic-share without --augment-with, or outside [0, 1], is refused with one line', (t) => {
  t.notThrows(() =>
    makeConfig({ ...SHORT_BASELINE, runDir: tempDir(), syntheticShare: GAN_AUG_DEFAULTS.syntheticShare }),
  );
  t.throws(() => makeConfig({ ...SHORT_BASELINE, runDir: tempDir(), syntheticShare: 0.5 }), {
    message: '--synthetic-share: the batch share of --augment-with examples; give --augment-with',
  });
  for (const bad of [-0.1, 1.5]) {
    const e = t.throws(() =>
      makeConfig({ ...SHORT_BASELINE, runDir: tempDir(), augmentWith: tempDir(), syntheticShare: bad }),
    );
    t.regex(e!.message, /--synthetic-share/);
    t.notRegex(e!.message, /\n/);
  }
});
