import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeFor } from '../../src/data/images.ts';
import { buildPile } from '../helpers/pile.ts';
import { serve } from '../helpers/static-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/ssgan.js');
const LOADER = join(ROOT, 'tests/export/fixtures/load-exported.mjs');
const ssgan = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });

/** Minimal RFC 4180 reader for the rows predict writes (quoted fields allowed). */
function readCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split('\n');
  const split = (l: string) =>
    (l.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
      .map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'))
      .slice(0, -1);
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

test("a pile of a user's images end to end: train, predict, suggest, export, the exported model in plain tfjs", async (t) => {
  const work = tempDir();
  const pile = join(work, 'pile');
  const { unlabelledTruth } = await buildPile(pile, { labelledPerClass: 10, unlabelled: 2000, testPerClass: 20 });
  // Ten images of noise, unlike any digit, for the realness flag.
  const noise = join(work, 'noise');
  mkdirSync(noise);
  for (let i = 0; i < 10; i++) {
    const b = Buffer.alloc(28 * 28 * 3);
    for (let j = 0; j < b.length; j++) b[j] = (j * 2654435761 + i * 40503) % 251;
    await sharp(b, { raw: { width: 28, height: 28, channels: 3 } })
      .jpeg()
      .toFile(join(noise, `noise${i}.jpg`));
  }
  const cache = join(work, 'cache');
  const run = join(work, 'run');
  const tr = ssgan(
    'train',
    '--dataset',
    `folder:${pile}`,
    '--cache-dir',
    cache,
    '--labels',
    '100',
    '--steps',
    '40',
    '--run-dir',
    run,
    '--backend',
    'wasm',
  );
  t.is(tr.status, 0, tr.stderr);
  t.regex(tr.stderr, /decoded 2300 images to 28x28/);
  t.regex(tr.stderr, /100 labelled, 2100 unlabelled, 200 test/);
  // Small test set: the accuracy comes with its interval.
  t.regex(tr.stdout, /accuracy [\d.]+% \(95% interval [\d.]+%-[\d.]+%, 200 test images\)/);
  const record = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
  t.deepEqual(record.data.provenance.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  t.regex(record.data.provenance.fileListHash, /^[0-9a-f]{64}$/);
  t.is(record.data.provenance.fileCount, 2300);
  t.is(record.config.dataset, `folder:${pile}`);

  const preds = join(work, 'predictions.csv');
  const pr = ssgan(
    'predict',
    '--run',
    run,
    join(pile, 'test'),
    noise,
    '--out',
    preds,
    '--top',
    '3',
    '--backend',
    'wasm',
  );
  t.is(pr.status, 0, pr.stderr);
  const rows = readCsv(readFileSync(preds, 'utf8'));
  t.deepEqual(Object.keys(rows[0]), [
    'file',
    'class',
    'probability',
    'class_2',
    'probability_2',
    'class_3',
    'probability_3',
    'p_real',
    'unlike_data',
  ]);
  t.is(rows.length, 210);
  const digits = rows.filter((r) => r.file.includes('/test/'));
  const right = digits.filter((r) => r.file.split('/').at(-2) === r.class).length;
  t.true(right > 60, `${right}/200 test digits right after 40 steps (chance is 20)`);
  for (const r of rows)
    t.true(Number(r.probability) >= Number(r.probability_2) && Number(r.probability_2) >= Number(r.probability_3));
  // The K+1 head knows its data: noise falls below the threshold far more often than digits.
  const flagged = (rs: typeof rows) => rs.filter((r) => r.unlike_data === 'true').length;
  t.true(flagged(rows.filter((r) => r.file.includes('noise'))) >= 8, 'noise flagged as unlike the data');
  t.true(flagged(digits) <= 20, `${flagged(digits)} of 200 test digits flagged`);

  const sg = ssgan('suggest', '--run', run, '--count', '20', '--backend', 'wasm');
  t.is(sg.status, 0, sg.stderr);
  const sugg = readCsv(sg.stdout);
  t.is(sugg.length, 20);
  for (const s of sugg) t.true(unlabelledTruth.has(s.file), `${s.file} is one of the unlabelled images`);

  const model = join(work, 'model');
  const ex = ssgan('export', '--run', run, '--out', model, '--backend', 'wasm');
  t.is(ex.status, 0, ex.stderr);
  const pre = JSON.parse(readFileSync(join(model, 'preprocessing.json'), 'utf8'));
  t.deepEqual([pre.input.size, pre.input.channels, pre.input.fit], [28, 1, 'cover']);
  // The exported model, in a process that imports only @tensorflow/tfjs, on the decoded files.
  const x = new Float32Array(digits.length * 784);
  for (let i = 0; i < digits.length; i++) {
    const img = await decodeFor(digits[i].file, { size: 28, channels: 1, fit: 'cover' });
    for (let q = 0; q < 784; q++) x[i * 784 + q] = img[q] / 255;
  }
  writeFileSync(join(work, 'x.bin'), Buffer.from(x.buffer));
  const { url, server } = await serve({ '/model': model });
  const child = spawn(
    process.execPath,
    [
      LOADER,
      `${url}/model/model.json`,
      join(work, 'x.bin'),
      JSON.stringify([digits.length, 28, 28, 1]),
      join(work, 'y.bin'),
    ],
    { cwd: ROOT },
  );
  const code = await new Promise<number | null>((r) => child.on('close', r));
  server.close();
  t.is(code, 0);
  const yb = readFileSync(join(work, 'y.bin'));
  const y = new Float32Array(yb.buffer, yb.byteOffset, yb.length / 4);
  const labels: string[] = JSON.parse(readFileSync(join(model, 'labels.json'), 'utf8'));
  digits.forEach((r, i) => {
    const row = Array.from(y.subarray(i * 10, i * 10 + 10));
    const best = row.indexOf(Math.max(...row));
    t.is(labels[best], r.class, r.file);
    t.true(Math.abs(row[best] - Number(r.probability)) < 1e-5);
  });
});
