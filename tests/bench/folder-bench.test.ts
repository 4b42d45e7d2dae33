import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildPile } from '../helpers/pile.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

test('bench on a folder of images hands every run the image flags; size and extra unlabelled images change the cell, the cache folder does not', async (t) => {
  const root = tempDir();
  const pile = join(root, 'pile');
  await buildPile(pile, { labelledPerClass: 4, unlabelled: 200, testPerClass: 5 });
  const extra = join(root, 'extra');
  await buildPile(extra, { labelledPerClass: 0, unlabelled: 30, testPerClass: 0, offset: 5000 });
  const reports = join(root, 'reports');
  const bench = (...flags: string[]) =>
    spawnSync(
      process.execPath,
      [
        BIN,
        'bench',
        '--dataset',
        `folder:${pile}`,
        '--labels',
        '20',
        '--methods',
        'sslgan-mlp,supervised',
        '--seeds',
        '1',
        '--steps',
        '5',
        '--batch-size',
        '20',
        '--workers',
        '1',
        '--backend',
        'wasm',
        '--no-report',
        '--reports-dir',
        reports,
        '--name',
        'photos',
        ...flags,
      ],
      { encoding: 'utf8' },
    );
  const rowsOf = () =>
    JSON.parse(readFileSync(join(reports, 'photos', 'results.json'), 'utf8')).rows as {
      runDir: string;
      key: string;
      status: string;
    }[];
  const runJson = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));

  const cache = join(root, 'cache-a');
  const imageFlags = [
    '--image-size',
    '20',
    '--fit',
    'contain',
    '--channels',
    '3',
    '--unlabelled-dir',
    join(extra, 'unlabelled'),
  ];
  const a = bench(...imageFlags, '--test-per-class', '2', '--cache-dir', cache, '--strict');
  t.is(a.status, 0, a.stderr);
  const first = rowsOf();
  t.is(first.length, 2);
  for (const row of first) {
    t.is(row.status, 'ok');
    const rec = runJson(row.runDir);
    t.is(rec.config.imageSize, 20);
    t.deepEqual(rec.data.provenance.preprocessing, { size: 20, channels: 3, fit: 'contain' });
    // 200 in the pile's unlabelled/ and 30 in the extra folder.
    t.is(rec.data.provenance.unlabelledCount, 230);
    t.true(rec.config.strict);
    const cell = JSON.parse(readFileSync(join(row.runDir, 'cell.json'), 'utf8'));
    t.true(cell.runArgs.join(' ').includes('--image-size 20 --fit contain --channels 3'), cell.runArgs.join(' '));
  }
  // The runs decoded into the bench's cache folder.
  t.true(existsSync(join(cache, 'decoded')) && readdirSync(join(cache, 'decoded')).length > 0);

  // Another cache folder, without --strict: the same cells, already finished.
  const b = bench(...imageFlags, '--test-per-class', '2', '--cache-dir', join(root, 'cache-b'));
  t.is(b.status, 0, b.stderr);
  t.regex(b.stderr, /2 cells, 2 already finished, 0 to run/);
  t.deepEqual(
    rowsOf().map((r) => r.key),
    first.map((r) => r.key),
  );

  // Another size: other cells, whose runs record it.
  const c = bench('--image-size', '16', '--cache-dir', cache);
  t.is(c.status, 0, c.stderr);
  t.regex(c.stderr, /2 cells, 0 already finished, 2 to run/);
  for (const row of rowsOf()) {
    t.false(first.some((f) => f.key === row.key));
    t.is(runJson(row.runDir).data.provenance.preprocessing.size, 16);
    t.is(runJson(row.runDir).data.provenance.unlabelledCount, 200);
  }

  // A bad value: one line naming the flag, before anything runs.
  const bad = bench('--image-size', '2');
  t.is(bad.status, 1);
  t.regex(bad.stderr, /--image-size: expected an integer in \[4, 1024\], got /);
});
