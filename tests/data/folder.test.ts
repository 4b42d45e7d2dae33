import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeFiles } from '../../src/data/decode-cache.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { commonSize, holdoutCounts, loadFolder } from '../../src/data/folder.ts';
import { decodeRgb, listFiles } from '../../src/data/images.ts';
import { splitLabels } from '../../src/data/split.ts';
import { UNLABELLED } from '../../src/data/types.ts';
import { buildPile } from '../helpers/pile.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
let pile = '';

test.before(async () => {
  pile = join(tempDir(), 'pile');
  await buildPile(pile, { labelledPerClass: 6, unlabelled: 120, testPerClass: 3 });
});

/** A private copy of the small pile (tests that break files must not break each other's). */
function copyPile(): string {
  const dir = join(tempDir(), 'pile');
  cpSync(pile, dir, { recursive: true });
  return dir;
}

const ssgan = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('a pile of JPEGs and PNGs of three sizes: labelled, unlabelled (UNLABELLED in train) and test/', async (t) => {
  const cache = tempDir();
  const logs: string[] = [];
  const f = await loadFolder(pile, { cacheDir: cache, log: (m) => logs.push(m) });
  t.deepEqual(f.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  t.is(f.train.count, 60 + 120);
  t.is(f.test.count, 30);
  // Most labelled images are 28 px: the default size; every digit is grey: one channel.
  t.deepEqual([f.train.height, f.train.width, f.train.channels], [28, 28, 1]);
  t.is(f.train.labels.filter((y) => y === UNLABELLED).length, 120);
  t.is(f.provenance.test.kind, 'folder');
  t.is(f.provenance.fileCount, 210);
  t.regex(f.provenance.fileListHash, /^[0-9a-f]{64}$/);
  t.deepEqual(f.provenance.preprocessing, { size: 28, channels: 1, fit: 'cover' });
  // Each image sits in train with the label of its folder.
  f.files.train.forEach((file, i) => {
    const y = f.train.labels[i];
    if (y === UNLABELLED) t.regex(file, /\/unlabelled\//);
    else t.regex(file, new RegExp(`/labelled/${y}/`));
  });
  // The split never labels an image that came without a label; they all join the pool.
  const split = splitLabels(f.train, 10, { labels: 50, seed: 3 });
  for (const i of split.labelled) t.not(f.train.labels[i], UNLABELLED);
  t.is(split.unlabelled.length, 180 - 50);
  // A 28 px PNG decodes to the pixels it was written from (a 36 px JPEG only close to them).
  const ds = await loadDataset('mnist-10k');
  const src = f.files.train.findIndex((p) => /labelled\/\d\/d\d+\.png$/.test(p) && !p.includes('unlabelled'));
  const idx = Number(/d(\d+)\.png$/.exec(f.files.train[src])![1]);
  const meta = await sharp(f.files.train[src]).metadata();
  if (meta.width === 28) t.deepEqual(f.train.images.subarray(src * 784, (src + 1) * 784), ds.train.images.subarray(idx * 784, (idx + 1) * 784));
});

test('--image-size, --channels and --fit', async (t) => {
  const f = await loadFolder(pile, { cacheDir: tempDir(), imageSize: 32, channels: 3, fit: 'contain' });
  t.deepEqual([f.train.height, f.train.width, f.train.channels], [32, 32, 3]);
  t.deepEqual(f.provenance.preprocessing, { size: 32, channels: 3, fit: 'contain' });
  // Grey sources stay grey in three channels.
  const im = f.train.images;
  for (let p = 0; p < 32 * 32 * 3; p += 3) t.true(im[p] === im[p + 1] && im[p + 1] === im[p + 2]);
});

test('cover crops the centre, contain pads; EXIF orientation is applied', async (t) => {
  const dir = tempDir();
  // 40x20: left half black, right half white, with a white 10x20 stripe in the middle.
  const w = 40;
  const h = 20;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.fill(x >= 15 && x < 25 ? 255 : 0, (y * w + x) * 3, (y * w + x) * 3 + 3);
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(dir, 'wide.png'));
  const cover = await decodeRgb(join(dir, 'wide.png'), 20, 'cover');
  // Cover keeps the middle 20 columns: the stripe fills columns 5..14 of the result.
  t.is(cover[(10 * 20 + 10) * 3], 255);
  t.is(cover[(10 * 20 + 1) * 3], 0);
  const contain = await decodeRgb(join(dir, 'wide.png'), 20, 'contain');
  // Contain shrinks to 20x10 and pads rows above and below with black.
  t.is(contain[(1 * 20 + 10) * 3], 0);
  t.true(contain[(10 * 20 + 10) * 3] > 200);
  // An image stored sideways with EXIF orientation 6 (rotate 90° clockwise to display) is shown upright.
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(join(dir, 'side.jpg'));
  const upright = await decodeRgb(join(dir, 'side.jpg'), 20, 'contain');
  // Displayed 20 wide x 40 high, contained in columns 5..14: the stripe is now horizontal
  // (rows ~8..12), so it reaches column 6, which it would miss unrotated; column 1 is padding.
  t.true(upright[(10 * 20 + 6) * 3] > 200, 'the stripe spans the width once rotated');
  t.true(upright[(10 * 20 + 1) * 3] < 30);
  t.true(upright[(3 * 20 + 10) * 3] < 30);
});

test('the decode cache: a second load reads it, a touched file invalidates it', async (t) => {
  const dir = copyPile();
  const cache = tempDir();
  const files = listFiles(join(dir, 'unlabelled'), true);
  const first = await decodeFiles(files, 28, 'cover', { cacheDir: cache });
  t.false(first.cached);
  const second = await decodeFiles(files, 28, 'cover', { cacheDir: cache });
  t.true(second.cached);
  t.deepEqual(second.rgb, first.rgb);
  const at = new Date(statSync(files[0].path).mtimeMs + 5000);
  utimesSync(files[0].path, at, at);
  const touched = await decodeFiles(listFiles(join(dir, 'unlabelled'), true), 28, 'cover', { cacheDir: cache });
  t.false(touched.cached);
  // Another size is another cache entry.
  t.false((await decodeFiles(files, 32, 'cover', { cacheDir: cache })).cached);
  // Whole datasets: the same checksum from the cache as from decoding.
  const a = await loadDataset(`folder:${dir}`, { cacheDir: cache, imageSize: 28 });
  const b = await loadFolder(dir, { cacheDir: cache, imageSize: 28 });
  t.is(b.train.count, a.train.count);
});

test('bad files: a truncated image and a non-image are skipped with one line each, or stop the load with --strict', async (t) => {
  const dir = copyPile();
  const victim = listFiles(join(dir, 'unlabelled'), true).find((f) => f.path.endsWith('.jpg'))!.path;
  const bytes = readFileSync(victim);
  writeFileSync(victim, bytes.subarray(0, Math.floor(bytes.length / 2)));
  writeFileSync(join(dir, 'unlabelled', 'notes.txt'), 'not an image');
  const logs: string[] = [];
  const f = await loadFolder(dir, { cacheDir: tempDir(), log: (m) => logs.push(m) });
  t.is(f.provenance.unlabelledCount, 119);
  t.is(f.provenance.skipped.length, 2);
  t.true(logs.some((l) => l.startsWith(`warning: ${victim}: unreadable or truncated image`)), logs.join('\n'));
  t.true(logs.some((l) => /notes\.txt: not an image file \(expected one of \.jpg/.test(l)));
  await t.throwsAsync(loadFolder(dir, { cacheDir: tempDir(), strict: true }), { message: /notes\.txt: not an image file.*--strict/ });
  rmSync(join(dir, 'unlabelled', 'notes.txt'));
  await t.throwsAsync(loadFolder(dir, { cacheDir: tempDir(), strict: true }), {
    message: new RegExp(`^${victim}: unreadable or truncated image .*--strict`),
  });
});

test('bad layouts: each one clear line naming the folder', async (t) => {
  const dir = copyPile();
  mkdirSync(join(dir, 'labelled', 'empty'));
  await t.throwsAsync(loadFolder(dir, { cacheDir: tempDir() }), { message: /labelled\/empty: class folder has no images/ });
  const one = join(tempDir(), 'one');
  cpSync(join(pile, 'labelled', '3'), join(one, 'labelled', '3'), { recursive: true });
  await t.throwsAsync(loadFolder(one), { message: /expected at least 2 class folders .* found 1 \(3\)/ });
  const noUnl = copyPile();
  rmSync(join(noUnl, 'unlabelled'), { recursive: true });
  mkdirSync(join(noUnl, 'unlabelled'));
  await t.throwsAsync(loadFolder(noUnl, { cacheDir: tempDir(), requireUnlabelled: true }), {
    message: /unlabelled: unlabelled folder has no images, and the GAN learns from unlabelled images/,
  });
  // A baseline needs no unlabelled images.
  t.is((await loadFolder(noUnl, { cacheDir: tempDir() })).provenance.unlabelledCount, 0);
  // A class with fewer labelled images than --labels asks of it: named by its folder.
  const r = ssgan('train', '--dataset', `folder:${pile}`, '--cache-dir', tempDir(), '--labels', '100', '--steps', '1');
  t.is(r.status, 1);
  t.regex(r.stderr, /^ssgan: --labels: class "0" has 6 training images, fewer than the 10 labels asked of it$/m);
  const r2 = ssgan('train', '--dataset', `folder:${noUnl}`, '--cache-dir', tempDir(), '--labels', '20', '--steps', '1');
  t.is(r2.status, 1);
  t.regex(r2.stderr, /unlabelled folder has no images/);
  const r3 = ssgan('data', 'info', '--dataset', `folder:${pile}`, '--channels', '2');
  t.regex(r3.stderr, /^ssgan: --channels: expected 1 or 3, got 2$/m);
});

test('no test/ folder: a seeded, stratified hold-out, recorded as small', async (t) => {
  const dir = copyPile();
  rmSync(join(dir, 'test'), { recursive: true });
  const f = await loadFolder(dir, { cacheDir: tempDir() });
  // 6 labelled per class: 20% rounds to 1 each.
  t.is(f.test.count, 10);
  t.is(f.provenance.labelledCount, 50);
  const test = f.provenance.test;
  t.is(test.kind, 'holdout');
  if (test.kind === 'holdout') {
    t.deepEqual(test.perClass, new Array(10).fill(1));
    t.regex(test.note, /estimate from so few images is rough/);
  }
  t.deepEqual([...f.test.labels].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // The same images every time (a fixed seed, not --seed), none of them in train.
  const again = await loadFolder(dir, { cacheDir: tempDir() });
  t.deepEqual(again.files.test, f.files.test);
  for (const file of f.files.test) t.false(f.files.train.includes(file));
  const three = await loadFolder(dir, { cacheDir: tempDir(), testPerClass: 3 });
  t.is(three.test.count, 30);
  await t.throwsAsync(loadFolder(dir, { cacheDir: tempDir(), testPerClass: 6 }), {
    message: /--test-per-class 6: class "0" has only 6 labelled image\(s\)/,
  });
  t.deepEqual(holdoutCounts([3, 10, 100], undefined), [1, 2, 10]);
  t.is(commonSize([{ width: 28, height: 28 }, { width: 40, height: 30 }, { width: 30, height: 50 }, { width: 100, height: 100 }], 64), 30);
});

test('--unlabelled-dir adds a folder of unlabelled images to mnist-10k', async (t) => {
  const ds = await loadDataset('mnist-10k', { unlabelledDir: join(pile, 'unlabelled'), cacheDir: tempDir() });
  const plain = await loadDataset('mnist-10k');
  t.is(ds.train.count, plain.train.count + 120);
  t.is(ds.test.count, plain.test.count);
  t.not(ds.checksum, plain.checksum);
  t.is(ds.provenance?.unlabelledCount, 120);
  t.is(ds.provenance?.test.kind, 'dataset');
  t.deepEqual(ds.train.labels.subarray(0, plain.train.count), plain.train.labels);
  t.true(ds.train.labels.subarray(plain.train.count).every((y) => y === UNLABELLED));
  const split = splitLabels(ds.train, 10, { labels: 100, seed: 1 });
  t.deepEqual(split.labelled, splitLabels(plain.train, 10, { labels: 100, seed: 1 }).labelled);
  t.is(split.unlabelled.length, plain.train.count - 100 + 120);
  await t.throwsAsync(loadDataset('mnist-10k', { unlabelledDir: tempDir() }), { message: /--unlabelled-dir .*: no images/ });
});
