import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRow, ResultsFile } from '../../src/bench/results.ts';
import { writeResults } from '../../src/bench/results.ts';
import { errorAxis, linearTicks, spansDecade, tickLabel } from '../../src/report/axis.ts';
import type { MetricsRow } from '../../src/run/types.ts';
import { curvesAt, evaluationPoints, meanCurve } from '../../src/report/curves.ts';
import { headlineBudget } from '../../src/report/headline.ts';
import { quarterPoints } from '../../src/report/training-time.ts';
import { renderReport } from '../../src/report/render.ts';
import { compareToBaseline } from '../../src/report/against-baseline.ts';
import { benchFlags } from '../helpers/bench.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

test('error axis: linear from 0 below a decade, 1-2-5 log ticks from a decade on', (t) => {
  const lin = errorAxis([5, 12, 38]);
  t.false(lin.log);
  t.deepEqual(lin.ticks, [0, 10, 20, 30, 40]);
  t.is(lin.at(20), 0.5);
  const log = errorAxis([2.5, 9.9, 45]);
  t.true(log.log);
  t.is(log.min, 2);
  t.is(log.max, 50);
  t.deepEqual(log.ticks, [2, 5, 10, 20, 50]);
  t.is(log.at(2), 0);
  t.true(Math.abs(log.at(50) - 1) < 1e-12);
  // 10 is the geometric middle of 2 and 50.
  t.true(Math.abs(log.at(10) - 0.5) < 1e-12);
  // An error of 0 (a perfect run) sits on the floor rather than at minus infinity.
  t.is(errorAxis([0, 1, 30]).at(0), 0);
  t.true(spansDecade([0.8, 8]));
  t.false(spansDecade([0.81, 8]));
  t.false(spansDecade([0, 5]));
  t.deepEqual([0.5, 2, 10, 0.02].map(tickLabel), ['0.5%', '2%', '10%', '0.02%']);
  t.deepEqual(linearTicks(2000), [0, 500, 1000, 1500, 2000]);
  t.deepEqual(linearTicks(130), [0, 50, 100, 150]);
});

test("headline budget: 100 where swept, else the budget nearest it by ratio, 'all' only alone", (t) => {
  t.is(headlineBudget([20, 50, 100, 1000, 'all']), 100);
  t.is(headlineBudget([20, 1000, 'all']), 20);
  t.is(headlineBudget([1000, 'all']), 1000);
  t.is(headlineBudget([50, 200]), 200);
  t.is(headlineBudget(['all']), 'all');
  t.is(headlineBudget([]), null);
});

test('evaluation points and their mean over seeds, by hand', (t) => {
  const rows: MetricsRow[] = [
    { step: 50, epoch: 0, wallSeconds: 5, lossLab: 1 },
    { step: 80, epoch: 1, wallSeconds: 8, testAccuracy: 0.75 },
    { step: 160, epoch: 2, wallSeconds: 17, testAccuracy: 0.9 },
  ];
  const a = evaluationPoints(rows);
  t.deepEqual(a, [
    { step: 80, wallSeconds: 8, error: 0.25 },
    { step: 160, wallSeconds: 17, error: 1 - 0.9 },
  ]);
  const b = [
    { step: 80, wallSeconds: 10, error: 0.35 },
    { step: 160, wallSeconds: 19, error: 0.2 },
    { step: 240, wallSeconds: 30, error: 0.1 },
  ];
  // Step 240 only one seed reached: not averaged as a step, or the mean would jump to that seed's
  // value; the curve ends instead at the mean of each seed's last point (160 and 240).
  const m = meanCurve([a, b]);
  t.deepEqual(
    m.map((p) => p.step),
    [80, 160, 200],
  );
  t.true(Math.abs(m[0].error - 0.3) < 1e-12);
  t.is(m[0].wallSeconds, 9);
  t.is(m[1].n, 2);
  t.true(Math.abs(m[2].error - 0.1) < 1e-12);
  t.is(m[2].wallSeconds, 23.5);
  // Seeds that end together end the curve there, with nothing added.
  t.deepEqual(
    meanCurve([a, b.slice(0, 2)]).map((p) => p.step),
    [80, 160],
  );
  t.deepEqual(meanCurve([[], []]), []);
});

const row = (labels: number | 'all', method: string, seed: number, error: number): ResultRow => ({
  id: `${labels}-${method}-s${seed}`,
  dataset: 'mnist-10k',
  labels,
  method,
  seed,
  status: 'ok',
  accuracy: 1 - error,
  error,
  wallSeconds: 10,
  steps: 100,
  backend: 'wasm',
  versions: { ssgan: '0', tfjs: '0', node: '0' },
  dataChecksum: 'c'.repeat(64),
  runDir: `/nonexistent/${labels}-${method}-s${seed}`,
});

test('a results file whose errors span a decade gets a log axis; one that does not, a linear one', (t) => {
  const dir = tempDir();
  const base: Omit<ResultsFile, 'rows' | 'updatedAt'> = { name: 'x', dataset: 'mnist-10k', command: 'ssgan bench' };
  const wide = [row(20, 'supervised', 1, 0.45), row(1000, 'supervised', 1, 0.03)];
  writeResults(join(dir, 'results.json'), base, wide);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  const warnings: string[] = [];
  renderReport(results, dir, { warn: (m) => warnings.push(m) });
  const svg = readFileSync(join(dir, 'images', 'error-vs-labels.svg'), 'utf8');
  t.regex(svg, /test error \(log scale\)/);
  t.regex(svg, />2%<\/text>/);
  t.regex(svg, />50%<\/text>/);
  // The run folders do not exist: the report says so instead of failing.
  t.true(warnings.some((w) => /run folder of 20-supervised-s1 not found/.test(w)));
  const narrow = tempDir();
  renderReport({ ...results, rows: [row(20, 'supervised', 1, 0.45), row(1000, 'supervised', 1, 0.3)] }, narrow);
  t.notRegex(readFileSync(join(narrow, 'images', 'error-vs-labels.svg'), 'utf8'), /log scale/);
});

test('the quarter table always shows the end: a run with one evaluation has it under "end"', (t) => {
  const p = (step: number) => ({ step, wallSeconds: step / 10, error: 0.1, n: 1 });
  t.deepEqual(quarterPoints([p(100)]), [null, null, null, p(100)]);
  // 50 is nearest ¼, ½ and (a tie, the earlier wins) ¾: shown once, at ¾.
  t.deepEqual(quarterPoints([p(50), p(100)]), [null, null, p(50), p(100)]);
  t.deepEqual(
    quarterPoints([p(25), p(50), p(75), p(100)]).map((q) => q?.step),
    [25, 50, 75, 100],
  );
});

test('a report whose runs all failed has no best-run section, only its failures', (t) => {
  const failed = { ...row(100, 'supervised', 1, 0.2), status: 'failed' as const, failure: 'exit 1' };
  const r = renderReport(
    { name: 'x', command: 'ssgan bench', updatedAt: '', dataset: 'mnist-10k', rows: [failed] },
    tempDir(),
    { warn: () => {} },
  );
  t.notRegex(r.md, /Best run of each method/);
  t.notRegex(r.html, /null labels/);
  t.regex(r.md, /## Failed runs\n\n- 100-supervised-s1: exit 1/);
});

test('published anchors stand beside mnist tables as full-MNIST figures, and nowhere else', (t) => {
  const rows = [row(100, 'supervised', 1, 0.2)];
  const base = { name: 'x', command: 'ssgan bench', updatedAt: '' };
  const small = renderReport({ ...base, dataset: 'mnist-10k', rows }, tempDir());
  t.regex(small.md, /Published anchors, full-MNIST figures/);
  t.regex(small.md, /\| K\+1 GAN, feature matching \(sslgan-mlp\) \| 100 \| 0\.93% ± 0\.065 \|/);
  t.regex(small.md, /\| Bad GAN [^|]*\| 100 \| 0\.80% ± 0\.098 \|.*Dai et al\. 2017/);
  t.regex(small.html, /<div class="beside"><table class="results">.*<\/table><div class="anchors">/s);
  const full = renderReport(
    { ...base, dataset: 'mnist', rows: rows.map((r) => ({ ...r, dataset: 'mnist' })) },
    tempDir(),
  );
  t.regex(full.md, /Published anchors \(full MNIST, the same data and test set/);
  const fashion = renderReport({ ...base, dataset: 'fashion-mnist', rows }, tempDir());
  t.notRegex(fashion.md, /Salimans|Dai et al/);
  t.regex(fashion.md, /No published reference numbers are recorded for this dataset/);
});

// A real sweep: two budgets, two methods, two seeds, 100 steps (an evaluation at the epoch end,
// step 80, and the final one), so each mean curve has two points of two seeds.
let sweepDir = '';
let sweep = { code: 0 as number | null, err: '' };
test.before(() => {
  sweepDir = tempDir();
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      'bench',
      ...benchFlags({
        labels: '20,100',
        methods: 'supervised,supervised-aug',
        seeds: 2,
        steps: 100,
        'lr-decay': 'none',
        name: 'curves',
        'reports-dir': sweepDir,
        workers: 1,
      }),
    ],
    { encoding: 'utf8' },
  );
  sweep = { code: r.status, err: r.stderr };
});

test.serial('report of a real sweep: error against steps and time at the headline budget, mean over seeds', (t) => {
  t.is(sweep.code, 0, sweep.err);
  const from = join(sweepDir, 'curves');
  const results: ResultsFile = JSON.parse(readFileSync(join(from, 'results.json'), 'utf8'));
  const curves = curvesAt(results.rows, 100, from, () => t.fail('no warning expected'));
  t.deepEqual(
    curves.map((c) => [c.method, c.seeds]),
    [
      ['supervised', [1, 2]],
      ['supervised-aug', [1, 2]],
    ],
  );
  // --lr-decay reaches every run of the sweep.
  for (const r of results.rows)
    t.is(JSON.parse(readFileSync(join(r.runDir, 'run.json'), 'utf8')).config.lrDecay, 'none');
  for (const c of curves) {
    const runs = results.rows.filter((r) => r.labels === 100 && r.method === c.method);
    // Step 80 is an epoch end in both runs' metrics.jsonl; step 100 is their results rows.
    const at80 = runs.map((r) =>
      readFileSync(join(r.runDir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((m) => m.step === 80),
    );
    t.deepEqual(
      c.points.map((p) => p.step),
      [80, 100],
    );
    t.true(Math.abs(c.points[0].error - (2 - at80[0].testAccuracy - at80[1].testAccuracy) / 2) < 1e-12);
    t.true(Math.abs(c.points[0].wallSeconds - (at80[0].wallSeconds + at80[1].wallSeconds) / 2) < 1e-12);
    t.true(Math.abs(c.points[1].error - (runs[0].error! + runs[1].error!) / 2) < 1e-12);
    t.true(c.points[1].wallSeconds > c.points[0].wallSeconds);
  }
  const md = readFileSync(join(from, 'report.md'), 'utf8');
  t.regex(md, /## Test error during training \(100 labels\)/);
  // Two evaluations (step 80 and the end): 80 is nearest ¾ of the run, and the end ends the row.
  t.regex(md, /\| supervised-aug \| 2 \| – \| – \| [\d.]+% \(step 80, \d+ s\) \| [\d.]+% \(step 100, \d+ s\) \|/);
  for (const f of ['error-vs-steps.svg', 'error-vs-time.svg']) {
    const svg = readFileSync(join(from, 'images', f), 'utf8');
    t.is((svg.match(/<polyline /g) ?? []).length, 2, f);
    t.regex(svg, /supervised-aug \(n=2\)/);
  }
  t.regex(readFileSync(join(from, 'images', 'error-vs-time.svg'), 'utf8'), /wall seconds of training/);
  // Confusion matrices come from the headline budget, the best seed of each method there.
  t.regex(md, /## Best run of each method at 100 labels/);
  const headings = md.match(/^### .*$/gm) ?? [];
  t.is(headings.length, 2);
  for (const h of headings) {
    const method = h.slice(4, h.indexOf(':'));
    const best = results.rows
      .filter((r) => r.labels === 100 && r.method === method)
      .sort((a, b) => a.error! - b.error!)[0];
    t.true(h.includes(`(100 labels, seed ${best.seed},`), h);
  }
  t.is((md.match(/^\| true \\ pred \|/gm) ?? []).length, 2);
  t.false(existsSync(join(from, 'images', 'training-curves.svg')));
});

test('each semi-supervised method against the strongest baseline of its budget, seed by seed, by hand', (t) => {
  const rows = [
    // 20 labels: supervised-aug (mean 0.30) is the stronger baseline; supervised+gan-aug is no baseline.
    row(20, 'supervised', 1, 0.4),
    row(20, 'supervised', 2, 0.5),
    row(20, 'supervised-aug', 1, 0.25),
    row(20, 'supervised-aug', 2, 0.35),
    row(20, 'supervised+gan-aug', 1, 0.01),
    row(20, 'sslgan-mlp', 1, 0.2),
    row(20, 'sslgan-mlp', 2, 0.36),
    // Its seed 3 has no baseline run: only seed 1 counts, where it is worse, whatever seed 3 did.
    row(20, 'sslgan-ct-aug-mlp', 1, 0.3),
    row(20, 'sslgan-ct-aug-mlp', 3, 0.1),
    // 50 labels: no semi-supervised run, so no comparison.
    row(50, 'supervised', 1, 0.2),
    // 100 labels: only plain supervised; a failed run counts for nothing.
    row(100, 'supervised', 1, 0.1),
    row(100, 'sslgan-mlp', 1, 0.12),
    { ...row(100, 'sslgan-mlp', 2, 0.01), status: 'failed' as const, error: null },
    // 1000 labels: no seed in common. All: a tie.
    row(1000, 'supervised', 1, 0.05),
    row(1000, 'sslgan-mlp', 2, 0.04),
    row('all', 'supervised', 1, 0.03),
    row('all', 'sslgan-mlp', 1, 0.03),
  ];
  const cmp = compareToBaseline(rows);
  t.deepEqual(
    cmp.map((c) => [c.labels, c.baseline.method]),
    [
      [20, 'supervised-aug'],
      [100, 'supervised'],
      [1000, 'supervised'],
      ['all', 'supervised'],
    ],
  );
  t.is(cmp[0].baseline.meanError, 0.3);
  const [ct, mlp] = cmp[0].methods;
  t.like(ct, { method: 'sslgan-ct-aug-mlp', pairedSeeds: 1, betterSeeds: 0 });
  t.is(ct.points!.toFixed(6), '-5.000000');
  // Seed 1: 5 points better; seed 2: 1 point worse.
  t.like(mlp, { method: 'sslgan-mlp', pairedSeeds: 2, betterSeeds: 1 });
  t.is(mlp.points!.toFixed(6), '2.000000');
  t.like(cmp[1].methods[0], { method: 'sslgan-mlp', pairedSeeds: 1, betterSeeds: 0 });
  t.is(cmp[1].methods[0].points!.toFixed(6), '-2.000000');
  t.like(cmp[2].methods[0], { pairedSeeds: 0, points: null, betterSeeds: 0 });
  t.like(cmp[3].methods[0], { pairedSeeds: 1, points: 0, betterSeeds: 0 });

  const r = renderReport({ name: 'x', command: 'ssgan bench', updatedAt: '', dataset: 'mnist-10k', rows }, tempDir());
  const line = (l: string) => r.md.split('\n').find((x) => x.startsWith(`| ${l} | supervised`) && x.includes('seed'));
  t.is(
    line('20'),
    '| 20 | supervised-aug 30.00% | +5.00 pts, better on 0 of 1 seeds | −2.00 pts, better on 1 of 2 seeds |',
  );
  t.is(line('1000'), '| 1000 | supervised 5.00% | – | no seed in common |');
  t.is(line('all'), '| all | supervised 3.00% | – | ±0.00 pts, better on 0 of 1 seeds |');
  t.regex(
    r.md,
    /Where the GAN does not help: at 20 labels sslgan-ct-aug-mlp is 5\.00 points worse than supervised-aug; at 100 labels sslgan-mlp is 2\.00 points worse than supervised; at all labels sslgan-mlp is no better than supervised\./,
  );
  // Baselines lead the main table, plain supervised first.
  t.regex(
    r.md,
    /\| labels \| supervised \| supervised-aug \| sslgan-ct-aug-mlp \| sslgan-mlp \| supervised\+gan-aug \|/,
  );
  t.regex(r.html, /<h2>Semi-supervised against the strongest baseline<\/h2>/);
  t.regex(r.html, /<div class="gain worse">\+5\.00 pts, better on 0 of 1 seeds<\/div>/);
  // Where every method helps, the verdict says so.
  const good = renderReport(
    { name: 'x', command: 'c', updatedAt: '', dataset: 'mnist-10k', rows: rows.slice(0, 7) },
    tempDir(),
  );
  t.regex(good.md, /Every semi-supervised method here removes error against the strongest baseline at 20 labels\./);
  // Without a semi-supervised method there is nothing to compare, and no section.
  const sup = renderReport(
    { name: 'x', command: 'c', updatedAt: '', dataset: 'mnist-10k', rows: rows.slice(0, 4) },
    tempDir(),
  );
  t.notRegex(sup.md, /strongest baseline/);
});
