import test, { type ExecutionContext } from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeIdx, encodeIdx, readIdx, readIdxPair, writeIdx } from '../../src/data/idx.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { tempDir } from '../helpers/tmp.ts';

test('IDX round trip of real digits, raw and gzipped', async (t) => {
  const ds = await loadDataset('mnist-10k');
  const dir = tempDir();
  const images = { dims: [50, 28, 28], data: ds.test.images.slice(0, 50 * 784) };
  const labels = { dims: [50], data: ds.test.labels.slice(0, 50) };
  for (const ext of ['', '.gz']) {
    writeIdx(join(dir, `img${ext}`), images);
    writeIdx(join(dir, `lab${ext}`), labels);
    const back = readIdxPair(join(dir, `img${ext}`), join(dir, `lab${ext}`));
    t.deepEqual(back.images.dims, [50, 28, 28]);
    t.deepEqual(back.images.data, images.data);
    t.deepEqual(back.labels.data, labels.data);
  }
  // The header is the standard one any IDX reader expects: 0x00000803 then big-endian dims.
  const raw = readFileSync(join(dir, 'img'));
  t.is(raw.readUInt32BE(0), 0x803);
  t.is(raw.readUInt32BE(4), 50);
  t.is(raw.length, 16 + 50 * 784);
});

function corrupt(t: ExecutionContext, bytes: Uint8Array, pattern: RegExp) {
  const dir = tempDir();
  const path = join(dir, 'bad-idx3-ubyte');
  writeFileSync(path, bytes);
  const err = t.throws(() => readIdx(path));
  t.true(err.message.startsWith(path), `names the file: ${err.message}`);
  t.false(err.message.includes('\n'), 'one line');
  t.regex(err.message, pattern);
}

const good = encodeIdx({ dims: [3, 4, 4], data: new Uint8Array(48).map((_, i) => i) });

test('bad magic number', (t) => {
  const b = good.slice();
  b[0] = 0x12;
  corrupt(t, b, /not an IDX file/);
});

test('unsupported element type', (t) => {
  const b = good.slice();
  b[2] = 0x0d;
  corrupt(t, b, /element type 0xd/);
});

test('truncated body', (t) => corrupt(t, good.slice(0, good.length - 5), /truncated/));

test('extra bytes after the data', (t) => corrupt(t, new Uint8Array([...good, 1, 2]), /file has 50/));

test('truncated gzip', (t) => {
  const gz = gzipSync(good);
  corrupt(t, gz.subarray(0, gz.length - 10), /corrupt or truncated gzip/);
});

test('corrupt gzip', (t) => {
  const gz = gzipSync(good);
  gz[12] ^= 0xff;
  gz[13] ^= 0xff;
  corrupt(t, gz, /corrupt or truncated gzip|header says/);
});

test('wrong rank where labels are expected', (t) => {
  const dir = tempDir();
  writeIdx(join(dir, 'img'), { dims: [3, 4, 4], data: new Uint8Array(48) });
  writeIdx(join(dir, 'lab'), { dims: [3, 1], data: new Uint8Array(3) });
  const err = t.throws(() => readIdxPair(join(dir, 'img'), join(dir, 'lab')));
  t.regex(err!.message, /lab: expected an IDX file of rank 1/);
});

test('image and label counts must agree', (t) => {
  const dir = tempDir();
  writeIdx(join(dir, 'img'), { dims: [3, 4, 4], data: new Uint8Array(48) });
  writeIdx(join(dir, 'lab'), { dims: [2], data: new Uint8Array(2) });
  const err = t.throws(() => readIdxPair(join(dir, 'img'), join(dir, 'lab')));
  t.regex(err!.message, /has 2 labels but .* has 3 images/);
});

test('a missing file is named', (t) => {
  const err = t.throws(() => readIdx('/nonexistent/dir/x-idx1-ubyte'));
  t.is(err!.message, '/nonexistent/dir/x-idx1-ubyte: cannot read (ENOENT)');
});

test('decodeIdx rejects a header shorter than its rank says', (t) => {
  const err = t.throws(() => decodeIdx(good.slice(0, 10), 'short'));
  t.regex(err!.message, /^short: truncated IDX header/);
});
