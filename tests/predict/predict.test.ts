import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { selectBackend } from '../../src/backend/select.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { csvField, TableWriter } from '../../src/predict/output.ts';
import { collectInputs, predictFiles } from '../../src/predict/predict.ts';
import { percentile } from '../../src/predict/score.ts';
import { loadRun } from '../../src/run/load.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const runs = { gan: '', baseline: '' };
let images = '';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
  for (const kind of ['gan', 'baseline'] as const) {
    runs[kind] = tempDir();
    await train(
      makeConfig({
        kind,
        dataset: 'mnist-10k',
        labels: 20,
        batchSize: 20,
        initBatch: 100,
        steps: 20,
        backend: 'wasm',
        runDir: runs[kind],
      }),
    );
  }
  // Twelve test digits as PNG files, one with a comma in its name.
  const ds = await loadDataset('mnist-10k');
  images = join(tempDir(), 'in');
  mkdirSync(join(images, 'sub'), { recursive: true });
  for (let i = 0; i < 12; i++) {
    const raw = Buffer.from(ds.test.images.subarray(i * 784, (i + 1) * 784));
    await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(join(images, i < 6 ? 'sub' : '', i === 3 ? `digit,${i}.png` : `digit${i}.png`));
  }
});

test('CSV fields are quoted per RFC 4180; percentile by nearest rank', (t) => {
  t.is(csvField('a,b'), '"a,b"');
  t.is(csvField('say "hi"'), '"say ""hi"""');
  t.is(csvField(null), '');
  t.is(csvField(0.5), '0.5');
  t.is(percentile([5, 1, 4, 2, 3], 1), 1);
  t.is(
    percentile(
      Array.from({ length: 200 }, (_, i) => i),
      1,
    ),
    1,
  );
});

test('a failed table leaves the previous --out whole', (t) => {
  const out = join(tempDir(), 'p.csv');
  writeFileSync(out, 'old\n');
  const w = new TableWriter(out, ['a']);
  w.row({ a: 1 });
  w.abort();
  t.is(readFileSync(out, 'utf8'), 'old\n');
  const w2 = new TableWriter(out, ['a']);
  w2.row({ a: 1 });
  w2.close();
  t.is(readFileSync(out, 'utf8'), 'a\n1\n');
});

test.serial('predict: JSON lines with top-k, the same classes as the run, no tensor left behind', async (t) => {
  const run = await loadRun(runs.gan);
  const files = collectInputs([images], () => {});
  t.is(files.length, 12);
  const out = join(tempDir(), 'p.jsonl');
  await predictFiles(run, files, { out, top: 2, batchSize: 5 });
  const before = tf.memory().numTensors;
  const summary = await predictFiles(run, files, { out, top: 2, batchSize: 5 });
  t.is(tf.memory().numTensors, before);
  t.is(summary.count, 12);
  t.truthy(summary.threshold);
  t.true(existsSync(join(runs.gan, 'realness.json')));
  const rows = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.is(rows.length, 12);
  const ds = await loadDataset('mnist-10k');
  const want = tf.tidy(() =>
    Array.from(
      tf
        .argMax(
          run.classify(
            tf.tensor4d(
              Float32Array.from(ds.test.images.subarray(0, 12 * 784), (v) => v / 255),
              [12, 28, 28, 1],
            ),
          ),
          1,
        )
        .dataSync(),
    ),
  );
  for (const r of rows) {
    const i = Number(/digit,?(\d+)\.png$/.exec(r.file)![1]);
    t.is(r.class, String(want[i]), r.file);
    t.is(r.top.length, 2);
    t.is(r.top[0].class, r.class);
    t.true(r.p_real > 0 && r.p_real < 1);
  }
  run.dispose();
});

test.serial('predict on a baseline run: no realness (a supervised classifier has no K+1 head)', (t) => {
  const r = spawnSync(process.execPath, [BIN, 'predict', '--run', runs.baseline, images, '--backend', 'wasm'], {
    encoding: 'utf8',
  });
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.is(lines[0], 'file,class,probability,class_2,probability_2,class_3,probability_3,p_real,unlike_data');
  t.is(lines.length, 13);
  t.true(lines.some((l) => l.startsWith(`"${join(images, 'sub', 'digit,3.png')}",`)));
  for (const l of lines.slice(1)) t.regex(l, /,,$/);
});

test.serial('predict refuses a bad --out, a missing input and a non-image file, each in one line', (t) => {
  const txt = join(tempDir(), 'notes.txt');
  writeFileSync(txt, 'hello');
  const cases: [string[], RegExp][] = [
    [['--out', 'p.xlsx', images], /^ssgan: --out p\.xlsx: expected a file ending in \.csv or \.jsonl$/m],
    [['/nonexistent/x.png'], /^ssgan: \/nonexistent\/x\.png: no such file or folder$/m],
    [[txt], /^ssgan: .*notes\.txt: not an image file \(expected one of \.jpg/m],
  ];
  for (const [args, re] of cases) {
    const r = spawnSync(process.execPath, [BIN, 'predict', '--run', runs.gan, ...args, '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    t.is(r.status, 1);
    t.regex(r.stderr, re);
  }
});
