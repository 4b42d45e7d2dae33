import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
let dir = '';
let firstRun = { code: 0 as number | null, err: '' };

test.before(() => {
  dir = tempDir();
  // A tiny but real sweep on the embedded digits: 2 budgets × 2 methods × 2 seeds.
  const r = spawnSync(process.execPath, [BIN, 'bench', '--dataset', 'mnist-10k', '--labels', '20,100', '--methods', 'sslgan-mlp,supervised', '--seeds', '2', '--steps', '30', '--workers', '2', '--name', 'tiny', '--reports-dir', dir, '--backend', 'wasm'], { encoding: 'utf8' });
  firstRun = { code: r.status, err: r.stderr };
});

test.serial('bench writes one row per run and a report', (t) => {
  t.is(firstRun.code, 0, firstRun.err);
  const results = JSON.parse(readFileSync(join(dir, 'tiny', 'results.json'), 'utf8'));
  t.is(results.rows.length, 8);
  for (const r of results.rows) {
    t.is(r.status, 'ok');
    t.true(r.accuracy > 0.3 && r.accuracy <= 1);
    t.regex(r.dataChecksum, /^[0-9a-f]{64}$/);
    t.truthy(r.backend);
    t.truthy(r.versions.tfjs);
  }
  const md = readFileSync(join(dir, 'tiny', 'report.md'), 'utf8');
  t.regex(md, /\| labels \| supervised \| sslgan-mlp \|/);
  t.regex(md, /\| 20 \| [\d.]+% ± [\d.]+ \(n=2\)/);
  t.true(existsSync(join(dir, 'tiny', 'images', 'error-vs-labels.svg')));
});

test.serial('a rerun skips finished cells; a deleted cell is run again', (t) => {
  rmSync(join(dir, 'tiny', 'runs', '100-supervised-s2'), { recursive: true });
  const r = spawnSync(process.execPath, [BIN, 'bench', '--dataset', 'mnist-10k', '--labels', '20,100', '--methods', 'sslgan-mlp,supervised', '--seeds', '2', '--steps', '30', '--name', 'tiny', '--reports-dir', dir, '--backend', 'wasm'], { encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /8 cells, 7 already finished, 1 to run/);
  t.is(JSON.parse(readFileSync(join(dir, 'tiny', 'results.json'), 'utf8')).rows.length, 8);
});

test.serial('the HTML report renders in headless Chromium with no console error', (t) => {
  if (!existsSync(CHROMIUM)) {
    t.log('Debian chromium is not installed here (CI installs it); not rendered');
    t.pass();
    return;
  }
  const html = join(dir, 'tiny', 'report.html');
  const r = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${tempDir()}`, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${html}`], { encoding: 'utf8', timeout: 120_000 });
  t.is(r.status, 0, r.stderr);
  const consoleLines = r.stderr.split('\n').filter((l) => l.includes(':CONSOLE'));
  t.deepEqual(consoleLines, []);
  // The rendered DOM has the results table with one row per budget, and the chart.
  t.is((r.stdout.match(/<tr><th>(20|100)<\/th>/g) ?? []).length, 2);
  t.regex(r.stdout, /<svg[^>]*>/);
});

test.serial('report refuses a folder without results', (t) => {
  const r = spawnSync(process.execPath, [BIN, 'report', '--from', tempDir()], { encoding: 'utf8' });
  t.is(r.status, 1);
  t.regex(r.stderr, /--from .*: no results.json there/);
});
