import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIdxPair } from '../../src/data/idx.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

function ssgan(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SSGAN_DATA_DIR: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('data info on the embedded digits', (t) => {
  const r = ssgan('data', 'info', '--dataset', 'mnist-10k', '--json');
  t.is(r.code, 0, r.err);
  const info = JSON.parse(r.out);
  t.is(info.train.count, 8000);
  t.is(info.test.count, 2000);
  t.deepEqual(info.train.pixelRange, [0, 255]);
  t.is(
    info.train.classHistogram.reduce((a: number, b: number) => a + b, 0),
    8000,
  );
  t.regex(info.checksum, /^[0-9a-f]{64}$/);
});

test('data export writes exactly the labelled subset a run would use, as IDX, and refuses to overwrite', (t) => {
  const out = join(tempDir(), 'subset');
  const r = ssgan(
    'data',
    'export',
    '--dataset',
    'mnist-10k',
    '--labels',
    '50',
    '--seed',
    '4',
    '--out',
    out,
    '--format',
    'idx',
  );
  t.is(r.code, 0, r.err);
  const { images, labels } = readIdxPair(join(out, 'images-idx3-ubyte'), join(out, 'labels-idx1-ubyte'));
  t.deepEqual(images.dims, [50, 28, 28]);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.is(manifest.indices.length, 50);
  t.deepEqual(manifest.classHistogram, new Array(10).fill(5));
  t.deepEqual(Array.from(labels.data).sort(), manifest.indices.map((_: number, i: number) => labels.data[i]).sort());
  const again = ssgan('data', 'export', '--dataset', 'mnist-10k', '--labels', '50', '--out', out);
  t.is(again.code, 1);
  t.regex(again.err, /--out .*: folder exists and is not empty \(pass --overwrite/);
  t.true(existsSync(join(out, 'manifest.json')), 'the earlier export is intact');
});

test('data export as PNG folders, one per class', (t) => {
  const out = join(tempDir(), 'png');
  const r = ssgan('data', 'export', '--dataset', 'mnist-10k', '--labels', '20', '--out', out, '--format', 'png');
  t.is(r.code, 0, r.err);
  t.true(existsSync(join(out, '03-3')));
  // The export reads back as a `folder:` dataset: 10 classes, 20 images, a fixed 80/20 split.
  const info = ssgan('data', 'info', '--dataset', `folder:${out}`, '--json');
  t.is(info.code, 0, info.err);
  const d = JSON.parse(info.out);
  t.is(d.classes.length, 10);
  t.is(d.train.count + d.test.count, 20);
  t.deepEqual(d.train.shape, [28, 28, 1]);
});

const badFlags: [string[], RegExp][] = [
  [['train', '--steps', '0'], /--steps: expected an integer in \[1, ∞\], got "?0"?/],
  [['train', '--steps', '10', '--labels', 'many'], /--labels: expected a positive integer or 'all', got "many"/],
  [['train', '--steps', '10', '--label-fraction', '1.5'], /--label-fraction: expected a number in \(0, 1\], got 1.5/],
  [['train', '--steps', '10', '--backend', 'gpu'], /backend/],
  [['train'], /bound the run: give --steps, --epochs or --budget-minutes/],
  [
    ['baseline', '--steps', '10', '--augment-with', '/nonexistent/gen'],
    /--augment-with \/nonexistent\/gen: no such folder/,
  ],
  [['train', '--steps', '10', '--dataset', 'imagenet'], /--dataset: unknown dataset "imagenet"/],
  [['evaluate', '--run', '/nonexistent/run'], /--run \/nonexistent\/run: no such folder/],
  [
    ['train', '--steps', '5', '--dataset', 'mnist', '--offline', '--cache-dir', '/nonexistent/cache'],
    /--offline is set; pass --data-dir/,
  ],
  [
    ['bench', '--steps', '5', '--dataset', 'mnist', '--offline', '--cache-dir', '/nonexistent/cache'],
    /--offline is set; pass --data-dir/,
  ],
];

for (const [args, re] of badFlags) {
  test(`bad input is one clear line: ssgan ${args.join(' ')}`, (t) => {
    const r = ssgan(...args);
    t.is(r.code, 1);
    const lines = r.err.split('\n').filter((l) => l.startsWith('ssgan:'));
    t.is(lines.length, 1, r.err);
    t.regex(lines[0], re);
  });
}

test('a corrupt file in --data-dir is named in the error', (t) => {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
  const r = ssgan('data', 'info', '--dataset', 'mnist', '--data-dir', dir, '--offline');
  t.is(r.code, 1);
  t.regex(r.err, /train-images-idx3-ubyte\.gz: corrupt or truncated gzip/);
});
