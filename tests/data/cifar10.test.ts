import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/datasets.ts';
import { loadCifar10, readCifarBatch } from '../../src/data/cifar10.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * CIFAR-10 binary batches written from real digits: digit i of mnist-10k, padded to 32x32, is
 * the red plane, its negative the green plane, a constant 7 the blue plane, label = digit.
 */
async function writeBatches(dir: string, perBatch: number): Promise<{ labels: number[]; red: Uint8Array[] }> {
  const ds = await loadDataset('mnist-10k');
  const labels: number[] = [];
  const red: Uint8Array[] = [];
  const batch = (offset: number) => {
    const buf = new Uint8Array(perBatch * 3073);
    for (let i = 0; i < perBatch; i++) {
      const k = offset + i;
      const rec = i * 3073;
      buf[rec] = ds.train.labels[k];
      const plane = new Uint8Array(1024);
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) plane[(y + 2) * 32 + x + 2] = ds.train.images[k * 784 + y * 28 + x];
      buf.set(plane, rec + 1);
      buf.set(plane.map((v) => 255 - v), rec + 1 + 1024);
      buf.fill(7, rec + 1 + 2048, rec + 3073);
      labels.push(ds.train.labels[k]);
      red.push(plane);
    }
    return buf;
  };
  for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), batch((b - 1) * perBatch));
  writeFileSync(join(dir, 'test_batch.bin'), batch(5 * perBatch));
  return { labels, red };
}

test('cifar10: five train batches and the test batch, channel-major on disk, NHWC in memory', async (t) => {
  const root = tempDir();
  const dir = join(root, 'cifar-10-batches-bin');
  mkdirSync(dir);
  const { labels, red } = await writeBatches(dir, 4);
  writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
  // The parent folder works too: the loader finds the standard sub-folder.
  const ds = await loadDataset('cifar10', { dataDir: root });
  t.is(ds.train.count, 20);
  t.is(ds.test.count, 4);
  t.deepEqual([ds.train.height, ds.train.width, ds.train.channels], [32, 32, 3]);
  t.deepEqual(Array.from(ds.train.labels), labels.slice(0, 20));
  t.deepEqual(Array.from(ds.test.labels), labels.slice(20));
  t.is(ds.classNames[9], 'truck');
  for (const i of [0, 13]) {
    for (const p of [0, 2 * 32 + 2, 16 * 32 + 15, 1023]) {
      const px = ds.train.images.subarray((i * 1024 + p) * 3, (i * 1024 + p) * 3 + 3);
      t.deepEqual(Array.from(px), [red[i][p], 255 - red[i][p], 7], `image ${i} pixel ${p}`);
    }
  }
  t.regex(ds.checksum, /^[0-9a-f]{64}$/);
});

test('cifar10: bad files are one line naming the file', async (t) => {
  const dir = tempDir();
  await writeBatches(dir, 2);
  writeFileSync(join(dir, 'data_batch_3.bin'), new Uint8Array(3073 + 10));
  const torn = t.throws(() => loadCifar10(dir));
  t.regex(torn!.message, /data_batch_3\.bin: 3083 bytes is not a whole number of 3073-byte CIFAR-10 records$/);
  const bad = new Uint8Array(3073);
  bad[0] = 12;
  writeFileSync(join(dir, 'x.bin'), bad);
  t.regex(t.throws(() => readCifarBatch(join(dir, 'x.bin')))!.message, /x\.bin: record 0 has label 12, expected 0\.\.9/);
  const empty = tempDir();
  const missing = t.throws(() => loadCifar10(empty));
  t.regex(missing!.message, /data_batch_1\.bin: missing \(expected the CIFAR-10 binary version/);
  t.false(missing!.message.includes('\n'));
  const noDir = await t.throwsAsync(() => loadDataset('cifar10', {}));
  t.regex(noDir!.message, /pass --data-dir/);
});
