import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { benchFlags } from '../helpers/bench.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
let dir = '';
const SWEEP = () =>
  benchFlags({
    labels: '20,100',
    methods: 'sslgan-cond-mlp-shift2,supervised,supervised+gan-aug',
    seeds: 2,
    steps: 30,
    'gan-aug-count': 100,
    // 30 GAN steps: its classifier is rarely as sure as the default 0.99 asks.
    'gan-aug-min-confidence': 0.5,
    name: 'tiny',
    'reports-dir': dir,
  });
let firstRun = { code: 0 as number | null, err: '' };

test.before(() => {
  dir = tempDir();
  // A tiny but real sweep on the embedded digits: 2 budgets × 3 methods × 2 seeds, the
  // gan-aug cells fed by the GAN cells of their budget and seed.
  const r = spawnSync(process.execPath, [BIN, 'bench', ...SWEEP(), '--workers', '2'], { encoding: 'utf8' });
  firstRun = { code: r.status, err: r.stderr };
});

test.serial('bench writes one row per run and a report', (t) => {
  t.is(firstRun.code, 0, firstRun.err);
  const results = JSON.parse(readFileSync(join(dir, 'tiny', 'results.json'), 'utf8'));
  t.is(results.rows.length, 12);
  for (const r of results.rows) {
    t.is(r.status, 'ok');
    t.true(r.accuracy > 0.3 && r.accuracy <= 1);
    t.regex(r.dataChecksum, /^[0-9a-f]{64}$/);
    t.truthy(r.backend);
    t.truthy(r.versions.tfjs);
  }
  const md = readFileSync(join(dir, 'tiny', 'report.md'), 'utf8');
  t.regex(md, /\| labels \| supervised \| sslgan-cond-mlp-shift2 \| supervised\+gan-aug \|/);
  // Each gan-aug run trained on its labels plus the images its own conditional GAN cell drew,
  // 10 of each class asked for (100 over 10 classes), those its classifier disagreed with left out.
  for (const r of results.rows.filter((x: { method: string }) => x.method === 'supervised+gan-aug')) {
    const gen = JSON.parse(readFileSync(`${r.runDir}-generated/manifest.json`, 'utf8'));
    const gan = results.rows.find((x: { id: string }) => x.id === `${r.labels}-sslgan-cond-mlp-shift2-s${r.seed}`);
    t.is(gen.run, gan.runDir);
    t.is(gen.perClass, 10);
    t.true(gen.accepted > 0 && gen.accepted <= 100);
    t.is(JSON.parse(readFileSync(join(r.runDir, 'run.json'), 'utf8')).augmentCount, gen.accepted);
  }
  t.regex(md, /\| 20 \| [\d.]+% ± [\d.]+ \(n=2\)/);
  t.true(existsSync(join(dir, 'tiny', 'images', 'error-vs-labels.svg')));
  // The generated images the best gan-aug run trained on, one row per class, with kept/drawn.
  t.regex(
    md,
    /Trained on \d+ generated images \(a conditional generator, kept where the classifier agreed with the class\), \d+ kept of \d+ drawn/,
  );
  t.regex(md, /!\[per-class samples of supervised\+gan-aug\]\(images\/per-class-supervised_gan-aug\.png\)/);
  t.true(existsSync(join(dir, 'tiny', 'images', 'per-class-supervised_gan-aug.png')));
});

test.serial('a rerun skips finished cells; a deleted cell is run again', (t) => {
  const before = JSON.parse(readFileSync(join(dir, 'tiny', 'results.json'), 'utf8'));
  rmSync(before.rows.find((r: { id: string }) => r.id === '100-supervised-s2').runDir, { recursive: true });
  const r = spawnSync(process.execPath, [BIN, 'bench', ...SWEEP()], { encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /12 cells, 11 already finished, 1 to run/);
  t.is(JSON.parse(readFileSync(join(dir, 'tiny', 'results.json'), 'utf8')).rows.length, 12);
});

test.serial(
  'report finds the runs of a moved sweep folder, from any working directory, and says which are gone',
  (t) => {
    // As if `ssgan bench` ran in a repository root (rows hold reports/tiny/runs/<id>) and the
    // folder was then moved: the runs are found under <--from>/runs.
    const moved = join(tempDir(), 'moved');
    cpSync(join(dir, 'tiny'), moved, { recursive: true });
    const results = JSON.parse(readFileSync(join(moved, 'results.json'), 'utf8'));
    for (const row of results.rows) row.runDir = `reports/tiny/runs/${basename(row.runDir)}`;
    writeFileSync(join(moved, 'results.json'), JSON.stringify(results));
    const out = join(tempDir(), 'out');
    const r = spawnSync(process.execPath, [BIN, 'report', '--from', moved, '--out', out], {
      encoding: 'utf8',
      cwd: tempDir(),
    });
    t.is(r.status, 0, r.stderr);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    t.is((md.match(/^\| true \\ pred \|/gm) ?? []).length, 3, 'a confusion matrix per method');
    t.true(existsSync(join(out, 'images', 'samples-sslgan-cond-mlp-shift2.png')));
    t.notRegex(r.stderr, /warning/);
    // 30 steps log no metrics row: each curve is the runs' final evaluation, from results.json,
    // shown as the end.
    t.regex(md, /\| sslgan-cond-mlp-shift2 \| 2 \| – \| – \| – \| [\d.]+% \(step 30, \d+ s\) \|/);
    // A best run whose folder is gone: the report still renders, without it, and says so. The
    // confusion matrices are those of the headline budget (100 labels here).
    const best = results.rows
      .filter((x: { method: string; labels: number }) => x.method === 'supervised' && x.labels === 100)
      .sort((a: { error: number }, b: { error: number }) => a.error - b.error)[0];
    rmSync(join(moved, 'runs', basename(best.runDir)), { recursive: true });
    const r2 = spawnSync(process.execPath, [BIN, 'report', '--from', moved, '--out', out], {
      encoding: 'utf8',
      cwd: tempDir(),
    });
    t.is(r2.status, 0, r2.stderr);
    t.regex(
      r2.stderr,
      new RegExp(`ssgan: warning: reports/tiny/runs/${basename(best.runDir)}: run folder of ${best.id} not found`),
    );
    t.is((readFileSync(join(out, 'report.md'), 'utf8').match(/^\| true \\ pred \|/gm) ?? []).length, 2);
  },
);

test.serial('the HTML report renders in headless Chromium with no console error', (t) => {
  if (!existsSync(CHROMIUM)) {
    t.log('Debian chromium is not installed here (CI installs it); not rendered');
    t.pass();
    return;
  }
  const html = join(dir, 'tiny', 'report.html');
  const r = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${tempDir()}`,
      '--enable-logging=stderr',
      '--v=0',
      '--dump-dom',
      `file://${html}`,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  t.is(r.status, 0, r.stderr);
  const consoleLines = r.stderr.split('\n').filter((l) => l.includes(':CONSOLE'));
  t.deepEqual(consoleLines, []);
  // The rendered DOM has the results table and the table against the strongest baseline, each
  // with one row per budget, and the chart.
  t.is((r.stdout.match(/<tr><th>(20|100)<\/th>/g) ?? []).length, 4);
  t.is((r.stdout.match(/<h2>Semi-supervised against the strongest baseline<\/h2>/g) ?? []).length, 1);
  // Confusion heat maps of the best run of each method.
  t.is((r.stdout.match(/<table class="confusion">/g) ?? []).length, 3);
  t.regex(r.stdout, /<svg[^>]*>/);
});

test.serial('report refuses a folder without results', (t) => {
  const r = spawnSync(process.execPath, [BIN, 'report', '--from', tempDir()], { encoding: 'utf8' });
  t.is(r.status, 1);
  t.regex(r.stderr, /--from .*: no results.json there/);
});
