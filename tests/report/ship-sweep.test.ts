import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchFlags } from '../helpers/bench.ts';
import { tempDir } from '../helpers/tmp.ts';
import { writeResults } from '../../src/bench/results.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const SHIP = new URL('../../scripts/ship-sweep.ts', import.meta.url).pathname;
const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const ship = (cwd: string, ...args: string[]) => spawnSync(TSX, [SHIP, ...args], { encoding: 'utf8', cwd });

test('ship-sweep copies the finished cells without checkpoints, points results.json at them and renders there', (t) => {
  const cwd = tempDir();
  const flags = { labels: 20, methods: 'supervised,supervised-aug', steps: 20, 'checkpoint-every': 10 };
  const bench = spawnSync(process.execPath, [BIN, 'bench', ...benchFlags(flags)], { encoding: 'utf8', cwd });
  t.is(bench.status, 0, bench.stderr);
  const sweep = join(cwd, 'reports', 'mnist-10k');
  const runs = readdirSync(join(sweep, 'runs'));
  t.true(
    runs.some((r) => existsSync(join(sweep, 'runs', r, 'checkpoint'))),
    'the sweep kept checkpoints',
  );

  // A stale file in the destination does not survive: the folder is replaced whole.
  const to = 'examples/mnist-10k';
  spawnSync('mkdir', ['-p', join(cwd, to)]);
  writeFileSync(join(cwd, to, 'stale.txt'), 'old');
  const r = ship(cwd, '--to', to, '--command', 'the command', 'reports/mnist-10k');
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout.trim(), `2 cells shipped to ${to}`);
  t.false(existsSync(join(cwd, to, 'stale.txt')));
  const results = JSON.parse(readFileSync(join(cwd, to, 'results.json'), 'utf8'));
  t.is(results.command, 'the command');
  t.deepEqual(
    results.rows.map((row: { runDir: string }) => row.runDir).sort(),
    runs.map((n) => join(to, 'runs', n)).sort(),
  );
  for (const n of runs) {
    const kept = readdirSync(join(sweep, 'runs', n)).filter((f) => f !== 'checkpoint');
    t.deepEqual(readdirSync(join(cwd, to, 'runs', n)), kept, n);
    t.true(kept.includes('run.json') && kept.includes('result.json'), n);
  }
  const md = readFileSync(join(cwd, to, 'report.md'), 'utf8');
  t.regex(md, /supervised-aug/);
  t.false(md.includes('.tmp-'), 'the report names no temporary folder');
  t.true(existsSync(join(cwd, to, 'report.html')));

  // A side sweep with a failed cell the first does not have, and one the first finished: the
  // failure of the new cell is kept, the finished cell wins; a trailing slash names the same folder.
  const side = join(cwd, 'side');
  const sideRows = [
    { ...results.rows[0], status: 'failed', failure: 'exit 1', runDir: 'side/runs/x' },
    {
      ...results.rows[0],
      id: '50-supervised-s1',
      labels: 50,
      status: 'failed',
      failure: 'exit 2',
      runDir: 'side/runs/y',
    },
  ];
  writeResults(join(side, 'results.json'), { name: 'mnist-10k', dataset: 'mnist-10k', command: 'c' }, sideRows);
  const merged = ship(cwd, '--to', `${to}/`, 'reports/mnist-10k', 'side');
  t.is(merged.status, 0, merged.stderr);
  t.is(merged.stdout.trim(), `2 cells shipped to ${to}, 1 failed`);
  const mergedRows = JSON.parse(readFileSync(join(cwd, to, 'results.json'), 'utf8')).rows;
  t.deepEqual(
    mergedRows.map((row: { id: string; status: string }) => `${row.id} ${row.status}`).sort(),
    [...runs.map((n) => `${n.replace(/-[0-9a-f]{12}$/, '')} ok`), '50-supervised-s1 failed'].sort(),
  );
  t.regex(readFileSync(join(cwd, to, 'report.md'), 'utf8'), /## Failed runs\n\n- 50-supervised-s1: exit 2/);
  t.deepEqual(readdirSync(join(cwd, 'examples')), ['mnist-10k'], 'no temporary folder is left beside it');

  // Sweeps of other data do not mix; the destination must be a folder of its own.
  writeResults(join(side, 'results.json'), { name: 'm', dataset: 'mnist', command: 'c' }, []);
  t.is(
    ship(cwd, '--to', to, 'reports/mnist-10k', 'side').stderr.trim(),
    'ship-sweep: side: a sweep of mnist, not of mnist-10k like reports/mnist-10k',
  );
  for (const dest of ['.', 'reports', '../elsewhere'])
    t.regex(ship(cwd, '--to', dest, 'reports/mnist-10k').stderr, /^ship-sweep: --to .*: expected a folder of its own/);

  const bad = ship(cwd, '--to', to, 'reports/nothing');
  t.is(bad.status, 1);
  t.is(bad.stderr.trim(), 'ship-sweep: reports/nothing: no results.json there');
  t.true(existsSync(join(cwd, to, 'results.json')), 'a refused ship leaves the last one in place');
});
