import test from 'ava';
import { loadDataset } from '../../src/data/datasets.ts';
import { splitLabels } from '../../src/data/split.ts';

test('balanced label budgets: N/K per class, seeded, reproducible', async (t) => {
  const ds = await loadDataset('mnist-10k');
  for (const n of [20, 50, 100, 1000]) {
    const a = splitLabels(ds.train, 10, { labels: n, seed: 7 });
    const b = splitLabels(ds.train, 10, { labels: n, seed: 7 });
    t.deepEqual(a.labelled, b.labelled);
    t.is(a.labelledHash, b.labelledHash);
    t.is(a.labelled.length, n);
    const per = new Array(10).fill(0);
    for (const i of a.labelled) per[ds.train.labels[i]]++;
    t.deepEqual(per, new Array(10).fill(n / 10));
    t.is(a.labelled.length + a.unlabelled.length, ds.train.count);
    const c = splitLabels(ds.train, 10, { labels: n, seed: 8 });
    t.not(c.labelledHash, a.labelledHash, 'another seed picks other images');
  }
});

test('a budget K does not divide spreads the remainder one per class', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const s = splitLabels(ds.train, 10, { labels: 25, seed: 1 });
  const per = new Array(10).fill(0);
  for (const i of s.labelled) per[ds.train.labels[i]]++;
  t.is(s.labelled.length, 25);
  t.deepEqual([...per].sort(), [2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
});

test('label fraction, all labels, and a validation split disjoint from the labelled set', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const f = splitLabels(ds.train, 10, { labelFraction: 0.1, seed: 3 });
  t.true(Math.abs(f.labelled.length - 800) <= 10);
  const all = splitLabels(ds.train, 10, { labels: 'all', seed: 3 });
  t.is(all.labelled.length, 8000);
  t.is(all.unlabelled.length, 0);
  const v = splitLabels(ds.train, 10, { labels: 100, validationPerClass: 50, seed: 3 });
  t.is(v.validation.length, 500);
  const lab = new Set(v.labelled);
  t.false([...v.validation].some((i) => lab.has(i)));
  t.false([...v.unlabelled].some((i) => lab.has(i) || v.validation.includes(i)));
  t.is(v.labelled.length + v.unlabelled.length + v.validation.length, 8000);
});

test('impossible budgets are one-line errors naming the flag', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const cases: [Parameters<typeof splitLabels>[2], RegExp][] = [
    [{ labels: 0, seed: 1 }, /^--labels: expected a positive integer/],
    [{ labels: 5, seed: 1 }, /^--labels 5: need at least one label per class/],
    [{ labels: 9000, seed: 1 }, /^--labels: class \d has \d+ training images, fewer than the 900 labels/],
    [{ labelFraction: 0, seed: 1 }, /^--label-fraction: expected a number in \(0, 1\]/],
    [{ labelFraction: 1.5, seed: 1 }, /^--label-fraction: expected a number in \(0, 1\]/],
    [{ labels: 'all', validationPerClass: 10, seed: 1 }, /./],
  ];
  for (const [opts, re] of cases.slice(0, 5)) {
    const err = t.throws(() => splitLabels(ds.train, 10, opts));
    t.regex(err!.message, re);
    t.false(err!.message.includes('\n'));
  }
  // 'all' with validation: every image not held out is labelled.
  const s = splitLabels(ds.train, 10, cases[5][0]);
  t.is(s.labelled.length + s.validation.length, 8000);
});
