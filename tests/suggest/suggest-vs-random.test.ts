import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.ts';

const SCRIPT = new URL('../../scripts/suggest-vs-random.ts', import.meta.url).pathname;

// A smaller version of scripts/suggest-vs-random.ts on the development pile (other training and
// test digits than the standard pile the README's figures come from): 20 labels, 1,000
// unlabelled digits, 100 test digits per class; train, then label 50 more and train again.
test('labelling the 50 images `suggest` picks and retraining beats labelling 50 random ones (mean of 3 seeds)', (t) => {
  const out = tempDir();
  const r = spawnSync(
    process.execPath,
    [
      '--import=tsx',
      SCRIPT,
      ...['--steps', '150', '--batch-size', '50', '--seeds', '1,2,3', '--count', '50', '--by', 'typical'],
      ...['--unlabelled', '1000', '--test-per-class', '100', '--pile-offset', '4000', '--test-offset', '50'],
      ...['--out', out],
    ],
    { encoding: 'utf8' },
  );
  t.is(r.status, 0, r.stderr);
  t.log(r.stdout.trim());
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  t.is(summary.rows.length, 3);
  for (const row of summary.rows) {
    // Fifty more labels help either way; each figure is a real accuracy on 1,000 test digits.
    t.true(row.random > row.initial && row.suggested.typical > row.initial, JSON.stringify(row));
    for (const acc of [row.initial, row.random, row.suggested.typical])
      t.true(Math.abs(acc * 1000 - Math.round(acc * 1000)) < 1e-6, String(acc));
  }
  t.true(summary.mean.suggested.typical > summary.mean.random, JSON.stringify(summary.mean));
});
