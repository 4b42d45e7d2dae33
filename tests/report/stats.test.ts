import test from 'ava';
import type { ResultRow } from '../../src/bench/results.ts';
import { accuracyText, aggregate, bestRun, orderLabels, sampleStd, wilsonInterval } from '../../src/report/stats.ts';
import { parseLabelList, parseMethods, planCells } from '../../src/bench/plan.ts';

const row = (labels: number | 'all', method: string, seed: number, error: number): ResultRow => ({
  id: `${labels}-${method}-${seed}`,
  dataset: 'd',
  labels,
  method,
  seed,
  status: 'ok',
  accuracy: 1 - error,
  error,
  wallSeconds: 10,
  steps: 5,
  backend: 'cpu',
  versions: null,
  dataChecksum: 'x',
  runDir: '/x',
});

test('mean, sample std and gain over supervised, by hand', (t) => {
  // supervised at 100: errors 0.20, 0.30 → mean 0.25, std sqrt(((0.05)²·2)/1) = 0.070711
  // sslgan at 100: 0.10, 0.12, 0.14 → mean 0.12, std 0.02; gain (0.25 - 0.12)·100 = 13 points
  const stats = aggregate([
    row(100, 'supervised', 1, 0.2),
    row(100, 'supervised', 2, 0.3),
    row(100, 'sslgan-mlp', 1, 0.1),
    row(100, 'sslgan-mlp', 2, 0.12),
    row(100, 'sslgan-mlp', 3, 0.14),
    { ...row(100, 'sslgan-mlp', 4, 0.9), status: 'failed', error: null },
  ]);
  const sup = stats.find((s) => s.method === 'supervised')!;
  const gan = stats.find((s) => s.method === 'sslgan-mlp')!;
  t.true(Math.abs(sup.meanError - 0.25) < 1e-12);
  t.true(Math.abs(sup.stdError - 0.0707107) < 1e-6);
  t.is(gan.n, 3, 'failed runs are left out');
  t.true(Math.abs(gan.stdError - 0.02) < 1e-12);
  t.true(Math.abs(gan.gainOverSupervised! - 13) < 1e-9);
  t.is(sup.gainOverSupervised, null);
  t.is(sampleStd([5]), 0);
  t.is(bestRun([row(20, 'a', 1, 0.3), row(20, 'a', 2, 0.1)], 'a')!.seed, 2);
});

test("label budgets sort numerically with 'all' last", (t) => {
  t.deepEqual(orderLabels(['all', 1000, 20, 100, 50, 20]), [20, 50, 100, 1000, 'all']);
});

test('sweep plans: flags validated, GAN cells first, gan-aug cells wired to their GAN', (t) => {
  t.throws(() => parseMethods('sslgan-mlp,magic'), { message: /--methods: unknown method "magic"/ });
  t.throws(() => parseLabelList('20,-5'), { message: /--labels: expected a comma-separated list/ });
  t.deepEqual(parseLabelList('20, 100,all'), [20, 100, 'all']);
  const cells = planCells({
    name: 'n',
    dataset: 'mnist-10k',
    labels: [20, 100],
    methods: ['supervised', 'supervised+gan-aug'],
    seeds: [1, 2],
    arch: 'mlp',
    bounds: ['--steps', '5'],
    backend: 'cpu',
    reportsDir: '/r',
  });
  // The GAN behind gan-aug is added even though not asked for, and runs first.
  t.is(cells.length, 12);
  t.true(cells.slice(0, 4).every((c) => c.method === 'sslgan-mlp'));
  const aug = cells.find((c) => c.method === 'supervised+gan-aug' && c.labels === 100 && c.seed === 2)!;
  t.is(aug.dependsOn, '100-sslgan-mlp-s2');
  t.is(aug.runDir, '/r/n/runs/100-supervised_gan-aug-s2');
});

test('Wilson 95% intervals match published values and stay inside [0, 1]', (t) => {
  const close = (a: number, b: number) => Math.abs(a - b) < 5e-4;
  // Newcombe (1998), Table I: 81/263 -> 0.2553-0.3662; 15/148 -> 0.0624-0.1605; 0/20 -> 0-0.1611.
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [k, n, lo, hi] of cases) {
    const w = wilsonInterval(k, n);
    t.true(close(w.low, lo) && close(w.high, hi), `${k}/${n}: ${w.low}-${w.high}`);
  }
  const all = wilsonInterval(20, 20);
  t.is(all.high, 1);
  t.true(all.low > 0.8 && all.low < 0.85);
  t.is(accuracyText(0.5, 5000, 1000), '50.00%');
  t.regex(accuracyText(0.8, 10, 1000), /^80\.00% \(95% interval 49\.0\d%-94\.3\d%, 10 test images\)$/);
});
