import test from 'ava';
import type { ResultRow } from '../../src/bench/results.ts';
import { accuracyText, aggregate, bestRun, orderLabels, sampleStd, wilsonInterval } from '../../src/report/stats.ts';
import { parseLabelList, parseMethods, planCells, type SweepSpec } from '../../src/bench/plan.ts';
import { keyCells } from '../../src/bench/identity.ts';
import { GAN_AUG_DEFAULTS } from '../../src/config/defaults.ts';

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

/** Two budgets × supervised and its gan-aug variant × two seeds. */
const SPEC: SweepSpec = {
  name: 'n',
  dataset: 'mnist-10k',
  labels: [20, 100],
  methods: ['supervised', 'supervised+gan-aug'],
  seeds: [1, 2],
  arch: 'mlp',
  bounds: ['--steps', '5'],
  runFlags: [],
  backend: 'cpu',
  reportsDir: '/r',
  ganAugCount: 100,
};

test('sweep plans: flags validated, GAN cells first, gan-aug cells wired to their GAN', (t) => {
  t.throws(() => parseMethods('sslgan-mlp,magic'), { message: /--methods: unknown method "magic"/ });
  t.throws(() => parseLabelList('20,-5'), { message: /--labels: expected a comma-separated list/ });
  t.deepEqual(parseLabelList('20, 100,all'), [20, 100, 'all']);
  const cells = planCells(SPEC);
  // The conditional GAN behind gan-aug is added even though not asked for, and runs first.
  t.is(cells.length, 12);
  t.true(cells.slice(0, 4).every((c) => c.method === 'sslgan-cond-mlp-shift2'));
  const aug = cells.find((c) => c.method === 'supervised+gan-aug' && c.labels === 100 && c.seed === 2)!;
  t.is(aug.dependsOn, '100-sslgan-cond-mlp-shift2-s2');
  t.is(aug.runDir, '/r/n/runs/100-supervised_gan-aug-s2');
  const share = ['--synthetic-share', String(GAN_AUG_DEFAULTS.syntheticShare)];
  t.deepEqual(aug.args, ['train', '--method', 'supervised', '--arch', 'mlp', '--augment', 'none', ...share]);
});

test('cell keys change with everything that changes a result, and with nothing else', (t) => {
  const spec = SPEC;
  const keys = (s: SweepSpec, checksum = 'abc') =>
    Object.fromEntries(keyCells(s, planCells(s), checksum).map((c) => [c.id, c.key]));
  const base = keys(spec);
  t.is(new Set(Object.values(base)).size, 12, 'every cell its own key');
  // Where things go does not change what runs.
  t.deepEqual(keys({ ...spec, reportsDir: '/elsewhere', dataDir: '/data' }), base);
  // A smaller grid keys its cells as the larger one does: a cell is the same run in either.
  const sub = keys({ ...spec, labels: [100], seeds: [2] });
  for (const [id, k] of Object.entries(sub)) t.is(k, base[id]);
  for (const changed of [
    keys({ ...spec, bounds: ['--steps', '6'] }),
    keys({ ...spec, bounds: ['--budget-minutes', '2'] }),
    keys({ ...spec, runFlags: ['--batch-size', '50'] }),
    keys({ ...spec, backend: 'wasm' }),
    keys(spec, 'abd'),
  ])
    for (const id of Object.keys(base)) t.not(changed[id], base[id], id);
  // gan-aug cells also change with the count of generated images, and nothing else does.
  const aug = keys({ ...spec, ganAugCount: 200 });
  for (const id of Object.keys(base)) {
    if (id.includes('gan-aug')) t.not(aug[id], base[id], id);
    else t.is(aug[id], base[id], id);
  }
  const cell = keyCells(spec, planCells(spec), 'abc').find((c) => c.id === '100-supervised_gan-aug-s2')!;
  t.is(cell.runDir, `/r/n/runs/100-supervised_gan-aug-s2-${cell.key.slice(0, 12)}`);
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
