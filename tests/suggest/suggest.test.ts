import test, { type ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { runSplit } from '../../src/predict/run-data.ts';
import { scoreSet } from '../../src/predict/score.ts';
import { loadRun } from '../../src/run/load.ts';
import { entropyOf, marginOf, selectSuggestions } from '../../src/suggest/select.ts';
import { suggestForRun } from '../../src/suggest/suggest.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

let runDir = '';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
  runDir = tempDir();
  await train(
    makeConfig({
      kind: 'gan',
      dataset: 'mnist-10k',
      labels: 20,
      batchSize: 50,
      initBatch: 200,
      steps: 60,
      backend: 'wasm',
      runDir,
    }),
  );
});

test('entropy and margin of known rows', (t) => {
  const probs = Float32Array.from([0.5, 0.5, 0, 1, 0, 0, 0.7, 0.2, 0.1]);
  t.true(Math.abs(entropyOf(probs, 3, 0) - Math.log(2)) < 1e-6);
  t.is(entropyOf(probs, 3, 1), 0);
  t.true(Math.abs(marginOf(probs, 3, 2) - 0.5) < 1e-6);
  t.is(marginOf(probs, 3, 0), 0);
  // Smallest margin first with --by margin; highest entropy first with entropy.
  t.deepEqual(
    selectSuggestions(probs, 3, 1, 'margin').map((s) => s.row),
    [0],
  );
  t.deepEqual(
    selectSuggestions(probs, 3, 3, 'entropy').map((s) => s.row),
    [2, 0, 1],
  );
  // Turns between predicted classes: class 1's one uncertain row comes second, not last.
  const two = Float32Array.from([0.55, 0.45, 0.6, 0.4, 0.65, 0.35, 0.1, 0.9]);
  t.deepEqual(
    selectSuggestions(two, 2, 3, 'entropy').map((s) => s.row),
    [0, 3, 1],
  );
});

/**
 * 50 suggestions `by` for the trained run, checked for what every strategy owes: no tensor
 * left behind, 50 distinct images, none of them labelled. With the pool's accuracy (its true
 * labels are hidden from the run) and the suggestions' own.
 */
async function fiftySuggestions(t: ExecutionContext, by: 'entropy' | 'margin' | 'typical') {
  const run = await loadRun(runDir);
  const ds = await loadDataset('mnist-10k');
  const before = tf.memory().numTensors;
  const list = await suggestForRun(run, { count: 50, by, dataset: ds });
  t.is(tf.memory().numTensors, before);
  t.is(list.length, 50);
  const split = runSplit(run.record, ds);
  const labelled = new Set(split.labelled);
  t.is(new Set(list.map((s) => s.index)).size, 50);
  for (const s of list) t.false(labelled.has(s.index));
  const pool = split.unlabelled;
  const { probs } = scoreSet(run, ds.train, pool);
  const rowOf = (i: number) => Array.from(probs.subarray(i * 10, i * 10 + 10));
  const poolRight = pool.filter((p, i) => rowOf(i).indexOf(Math.max(...rowOf(i))) === ds.train.labels[p]).length;
  const chosenRight = list.filter((s) => s.predicted === String(ds.train.labels[s.index])).length / 50;
  return { run, ds, list, labelled, pool, probs, poolAccuracy: poolRight / pool.length, chosenRight };
}

test.serial(
  'on real digits the 50 suggestions are uncertain, often wrong, spread over the classes, and never labelled',
  async (t) => {
    const { run, ds, list, pool, probs, poolAccuracy, chosenRight } = await fiftySuggestions(t, 'entropy');
    // Spread: ten predicted classes with 50 picks take 5 each (every class has enough candidates).
    const perClass = new Map<string, number>();
    for (const s of list) perClass.set(s.predicted, (perClass.get(s.predicted) ?? 0) + 1);
    const counts = [...perClass.values()];
    t.true(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify([...perClass]));
    // Against the whole pool: higher entropy, lower accuracy.
    let poolEntropy = 0;
    for (let i = 0; i < pool.length; i++) poolEntropy += entropyOf(probs, 10, i);
    const chosenEntropy = list.reduce((a, s) => a + s.entropy, 0) / 50;
    t.log(
      `entropy ${chosenEntropy.toFixed(3)} vs pool ${(poolEntropy / pool.length).toFixed(3)}; accuracy ${chosenRight} vs pool ${poolAccuracy.toFixed(3)}`,
    );
    t.true(chosenEntropy > poolEntropy / pool.length + 0.2);
    t.true(chosenRight < poolAccuracy - 0.1);
    // Deterministic: the same run gives the same list.
    t.deepEqual(
      (await suggestForRun(run, { count: 50, by: 'entropy', dataset: ds })).map((s) => s.index),
      list.map((s) => s.index),
    );
    const byMargin = await suggestForRun(run, { count: 50, by: 'margin', dataset: ds });
    t.true(byMargin.reduce((a, s) => a + s.margin, 0) / 50 < 0.2);
    run.dispose();
  },
);

test.serial(
  '--by typical on real digits: 50 unlabelled images, each of a cluster no label covers, easy for the classifier, every digit among them',
  async (t) => {
    const { run, ds, list, labelled, poolAccuracy, chosenRight } = await fiftySuggestions(t, 'typical');
    // Typical images are where the classifier is surest: more often right than the pool's average
    // image, and far less uncertain than what --by entropy picks.
    const byEntropy = await suggestForRun(run, { count: 50, by: 'entropy', dataset: ds });
    const meanEntropy = (l: { entropy: number }[]) => l.reduce((a, s) => a + s.entropy, 0) / l.length;
    const digits = new Set(list.map((s) => ds.train.labels[s.index]));
    t.log(
      `accuracy ${chosenRight} vs pool ${poolAccuracy.toFixed(3)}; entropy ${meanEntropy(list).toFixed(3)} vs --by entropy ${meanEntropy(byEntropy).toFixed(3)}; ${digits.size} digits`,
    );
    t.true(chosenRight > poolAccuracy);
    t.true(meanEntropy(list) < meanEntropy(byEntropy) - 0.3);
    t.is(digits.size, 10);
    // A pool larger than the sample size is clustered through a seeded sample: the same list twice.
    const sampled = await suggestForRun(run, { count: 20, by: 'typical', dataset: ds, typicalSample: 1000 });
    t.is(new Set(sampled.map((s) => s.index)).size, 20);
    for (const s of sampled) t.false(labelled.has(s.index));
    t.deepEqual(
      (await suggestForRun(run, { count: 20, by: 'typical', dataset: ds, typicalSample: 1000 })).map((s) => s.index),
      sampled.map((s) => s.index),
    );
    t.notDeepEqual(
      sampled.map((s) => s.index),
      list.slice(0, 20).map((s) => s.index),
    );
    run.dispose();
  },
);
