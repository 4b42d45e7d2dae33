import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { selectBackend } from '../../src/backend/select.ts';
import { parseTriples } from '../../src/cli/commands/explore.ts';
import { LABEL_STRIP, labelledGrid, readGridLabel } from '../../src/quality/labelled-grid.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
let gan = '';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
  gan = tempDir();
  await train(makeConfig({ kind: 'gan', labels: 100, steps: 40, runDir: gan, backend: 'wasm' }));
});

function ssgan(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
}

test('labelled grid: each cell label is drawn under it and reads back, multi-digit ones too', (t) => {
  const h = 12;
  const w = 12;
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42];
  const pixels = new Float32Array(labels.length * h * w).fill(1); // white cells: digits can only come from the strip
  const g = labelledGrid(pixels, labels, labels.length, h, w, 1, 5);
  t.is(g.width, 5 * (w + 1) + 1);
  t.is(g.height, 3 * (h + LABEL_STRIP + 1) + 1);
  labels.forEach((k, b) => t.is(readGridLabel(g, b, h, w, 5, String(k).length), k, `cell ${b}`));
});

test('--arithmetic takes a-b+c triples in that order only', (t) => {
  t.deepEqual(parseTriples('7-1+9, 8 - 3 + 5'), [
    [7, 1, 9],
    [8, 3, 5],
  ]);
  t.deepEqual(parseTriples(''), []);
  for (const bad of ['7+1-9', '7-1', '7-1+9+2', 'a-b+c', '-1-2+3'])
    t.throws(
      () => parseTriples(bad),
      { message: /^--arithmetic: expected comma-separated triples like '7-1\+9'/ },
      bad,
    );
});

test('explore: labels under every cell match explore.json; triples without samples are reported; --overwrite replaces the whole folder', (t) => {
  const out = join(tempDir(), 'explore');
  // A 40-step generator makes only some classes: whichever triples lack samples must be reported.
  const r = ssgan([
    'explore',
    '--run',
    gan,
    '--out',
    out,
    '--pairs',
    '2',
    '--steps',
    '4',
    '--arithmetic',
    '0-1+2,3-4+5,6-7+8,9-0+1',
    '--seed',
    '2',
  ]);
  t.is(r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(join(out, 'explore.json'), 'utf8'));
  const png = PNG.sync.read(readFileSync(join(out, 'interpolations.png')));
  const grid = { data: new Uint8Array(png.data), width: png.width };
  j.interpolations.labels
    .flat()
    .forEach((k: number, b: number) => t.is(readGridLabel(grid, b, 28, 28, 4, 1), k, `interpolation cell ${b}`));
  // Every asked triple is either drawn or listed as skipped with the classes no sample fell in.
  const drawn = (j.arithmetic?.rows ?? []).map(
    (row: { a: number; b: number; c: number }) => `${row.a}-${row.b}+${row.c}`,
  );
  const skipped = j.skipped.map((s: { a: number; b: number; c: number }) => `${s.a}-${s.b}+${s.c}`);
  t.deepEqual([...drawn, ...skipped].sort(), ['0-1+2', '3-4+5', '6-7+8', '9-0+1']);
  for (const s of j.skipped) {
    t.true(s.missing.length > 0);
    t.regex(
      r.stderr,
      new RegExp(
        `ssgan: warning: --arithmetic ${s.a}-${s.b}\\+${s.c}: the classifier put no generated sample in class ${s.missing.join(', ')}; left out`,
      ),
    );
  }
  if (j.arithmetic) {
    const apng = PNG.sync.read(readFileSync(join(out, 'arithmetic.png')));
    j.arithmetic.rows
      .flatMap((row: { labels: number[] }) => row.labels)
      .forEach((k: number, b: number) =>
        t.is(readGridLabel({ data: new Uint8Array(apng.data), width: apng.width }, b, 28, 28, 4, 1), k),
      );
  }
  // No arithmetic this time: an --overwrite leaves no arithmetic.png from the earlier call.
  const again = ssgan([
    'explore',
    '--run',
    gan,
    '--out',
    out,
    '--pairs',
    '1',
    '--steps',
    '3',
    '--arithmetic',
    '',
    '--overwrite',
  ]);
  t.is(again.status, 0, again.stderr);
  t.false(existsSync(join(out, 'arithmetic.png')));
  t.is(JSON.parse(readFileSync(join(out, 'explore.json'), 'utf8')).interpolations.labels.length, 1);
});

test('explore refuses to write over its run folder or a file', (t) => {
  const r1 = ssgan(['explore', '--run', gan, '--out', gan, '--overwrite']);
  t.is(r1.status, 1);
  t.regex(r1.stderr, /^ssgan: --out .*: would replace the run folder/m);
  t.true(existsSync(join(gan, 'checkpoint', 'G', 'model.json')));
  const r2 = ssgan(['explore', '--run', gan, '--out', join(gan, 'run.json')]);
  t.is(r2.status, 1);
  t.regex(r2.stderr, /^ssgan: --out .*run\.json: exists and is not a folder$/m);
});

test('quality --json reports the collapse check next to the scores', (t) => {
  // The reference classifier is cached under the working directory: a fresh one, kept short.
  const cwd = tempDir();
  const r = ssgan(['quality', '--run', gan, '--count', '300', '--reference-steps', '60', '--json'], cwd);
  t.is(r.status, 0, r.stderr);
  const q = JSON.parse(r.stdout);
  t.true(q.classifierScore >= 1 && q.classifierScore <= 10);
  t.true(q.frechetDistance > 0);
  t.is(q.sampleClassHistogram.length, 10);
  t.is(
    q.sampleClassHistogram.reduce((a: number, b: number) => a + b, 0),
    300,
  );
  t.true(q.sampleClassEntropy >= 0 && q.sampleClassEntropy <= 1);
  t.true(q.featureSpreadRatio > 0);
  // The warning is there exactly when a threshold is crossed, on stderr too.
  const collapsed = q.sampleClassEntropy < 0.5 || q.featureSpreadRatio < 0.25;
  t.is(q.collapseWarning !== null, collapsed);
  if (collapsed) t.regex(r.stderr, /ssgan: warning: possible mode collapse/);
  t.true(existsSync(join(cwd, 'data', 'cache', 'reference')));
});
