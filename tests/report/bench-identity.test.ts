import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const bench = (cwd: string, ...extra: string[]) =>
  spawnSync(
    process.execPath,
    [
      BIN,
      'bench',
      '--labels',
      '20',
      '--methods',
      'supervised',
      '--seeds',
      '1',
      '--backend',
      'wasm',
      '--no-report',
      ...extra,
    ],
    { encoding: 'utf8', cwd },
  );

test('a cell is reused only on an exact match; other bounds run anew and mix nothing in', (t) => {
  const cwd = tempDir();
  // The default location: reports/<dataset> under the current folder.
  const a = bench(cwd, '--steps', '20');
  t.is(a.status, 0, a.stderr);
  t.regex(a.stderr, /1 cells, 0 already finished, 1 to run/);
  const resultsPath = join(cwd, 'reports', 'mnist-10k', 'results.json');
  const first = JSON.parse(readFileSync(resultsPath, 'utf8')).rows;
  t.is(first.length, 1);
  t.is(first[0].steps, 20);
  t.regex(first[0].key, /^[0-9a-f]{64}$/);
  t.is(JSON.parse(readFileSync(join(cwd, first[0].runDir, 'cell.json'), 'utf8')).key, first[0].key);

  // Other bounds: the finished 20-step cell is not taken for the 25-step one.
  const b = bench(cwd, '--steps', '25');
  t.is(b.status, 0, b.stderr);
  t.regex(b.stderr, /1 cells, 0 already finished, 1 to run/);
  const second = JSON.parse(readFileSync(resultsPath, 'utf8')).rows;
  t.is(second.length, 1, 'results.json holds the sweep just run, not the earlier one too');
  t.is(second[0].steps, 25);
  t.not(second[0].key, first[0].key);
  // Nothing lost: the 20-step run is still in its own folder.
  t.is(JSON.parse(readFileSync(join(cwd, first[0].runDir, 'result.json'), 'utf8')).steps, 20);
  t.is(readdirSync(join(cwd, 'reports', 'mnist-10k', 'runs')).length, 2);

  // The first sweep again: an exact match, reused.
  const c = bench(cwd, '--steps', '20');
  t.is(c.status, 0, c.stderr);
  t.regex(c.stderr, /1 cells, 1 already finished, 0 to run/);
  t.deepEqual(JSON.parse(readFileSync(resultsPath, 'utf8')).rows[0].key, first[0].key);
  t.false(existsSync(join(cwd, 'examples')));
});
