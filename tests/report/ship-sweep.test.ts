import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchFlags } from '../helpers/bench.ts';
import { tempDir } from '../helpers/tmp.ts';

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

  const bad = ship(cwd, '--to', to, 'reports/nothing');
  t.is(bad.status, 1);
  t.is(bad.stderr.trim(), 'ship-sweep: reports/nothing: no results.json there');
  t.true(existsSync(join(cwd, to, 'results.json')), 'a refused ship leaves the last one in place');
});
