import test from 'ava';
import { createServer } from 'node:http';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../src/data/datasets.ts';
import { download } from '../../src/data/fetch.ts';
import { encodeIdx } from '../../src/data/idx.ts';
import { sha256 } from '../../src/data/checksum.ts';
import { tempDir } from '../helpers/tmp.ts';

const SHARED_MNIST = new URL('../../../shared/data/mnist', import.meta.url).pathname;

test('mnist-10k: 8,000 train / 2,000 test, stratified, the same every load', async (t) => {
  const ds = await loadDataset('mnist-10k');
  t.is(ds.train.count, 8000);
  t.is(ds.test.count, 2000);
  t.is(ds.numClasses, 10);
  const hist = (labels: Uint8Array) => labels.reduce((h, y) => (h[y]++, h), new Array(10).fill(0));
  const tr = hist(ds.train.labels);
  const te = hist(ds.test.labels);
  for (let k = 0; k < 10; k++) {
    // Each class keeps its share of the 10,000 in both splits (proportional allocation).
    const share = (tr[k] + te[k]) / 10000;
    t.true(Math.abs(te[k] / 2000 - share) < 0.001, `class ${k}: test ${te[k]}, train ${tr[k]}`);
  }
  // Pixel bytes span the full range, like the original files.
  t.is(Math.max(...ds.train.images.subarray(0, 78400)), 255);
  const again = await loadDataset('mnist-10k', { cacheDir: tempDir() });
  t.is(again.checksum, ds.checksum);
});

test('mnist-10k holds exactly the first 10,000 images of the official training set', async (t) => {
  if (!existsSync(SHARED_MNIST)) return t.pass('no shared full MNIST here');
  const full = await loadDataset('mnist', { dataDir: SHARED_MNIST, offline: true });
  const small = await loadDataset('mnist-10k');
  // Compare multisets of (label, image hash): the package regroups images by class.
  const key = (imgs: Uint8Array, labels: Uint8Array, i: number) => `${labels[i]}:${sha256(imgs.subarray(i * 784, (i + 1) * 784)).slice(0, 16)}`;
  const official = new Set<string>();
  for (let i = 0; i < 10000; i++) official.add(key(full.train.images, full.train.labels, i));
  let found = 0;
  for (const split of [small.train, small.test]) for (let i = 0; i < split.count; i++) if (official.has(key(split.images, split.labels, i))) found++;
  t.is(found, 10000);
});

// Serial, so it runs alone (ava runs serial tests before the concurrent ones) and the time is its own.
test.serial('full MNIST from a local directory: counts, official checksums, load time', async (t) => {
  if (!existsSync(SHARED_MNIST)) return t.pass('no shared full MNIST here');
  const t0 = performance.now();
  const ds = await loadDataset('mnist', { dataDir: SHARED_MNIST, offline: true, cacheDir: tempDir() });
  const ms = performance.now() - t0;
  t.log(`full MNIST (60k + 10k, gzipped IDX, SHA-256 verified) loaded in ${ms.toFixed(0)} ms`);
  t.true(ms < 2000, `loading took ${ms.toFixed(0)} ms`);
  t.is(ds.train.count, 60000);
  t.is(ds.test.count, 10000);
  t.is(ds.train.labels.filter((y) => y === 1).length, 6742);
  t.is(ds.test.labels.filter((y) => y === 5).length, 892);
});

test('fashion-mnist from the Debian package', async (t) => {
  if (!existsSync('/usr/share/datasets/fashion-mnist')) return t.pass('dataset-fashion-mnist is not installed');
  const ds = await loadDataset('fashion-mnist', { offline: true, cacheDir: tempDir() });
  t.is(ds.train.count, 60000);
  t.is(ds.classNames[9], 'Ankle boot');
  t.true(ds.source.includes('/usr/share/datasets/fashion-mnist'));
});

test('offline with no local copy: one line naming --data-dir', async (t) => {
  const err = await t.throwsAsync(() => loadDataset('mnist', { offline: true, dataDir: tempDir(), cacheDir: tempDir() }));
  t.regex(err!.message, /--offline is set; pass --data-dir/);
  t.false(err!.message.includes('\n'));
});

test('a local file with the wrong contents is refused, naming it', async (t) => {
  const dir = tempDir();
  if (!existsSync(SHARED_MNIST)) return t.pass('no shared full MNIST here');
  for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) copyFileSync(join(SHARED_MNIST, f), join(dir, f));
  // A well-formed IDX file that is not the official one.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx({ dims: [10000], data: new Uint8Array(10000) }));
  const err = await t.throwsAsync(() => loadDataset('mnist', { dataDir: dir, offline: true, cacheDir: tempDir() }));
  t.regex(err!.message, /t10k-labels-idx1-ubyte: SHA-256 of the uncompressed data is .* expected/);
});

test('download: a failing mirror falls through to the next, the checksum is verified, the cache is filled', async (t) => {
  const payload = encodeIdx({ dims: [4], data: new Uint8Array([1, 2, 3, 4]) });
  const spec = { name: 'tiny-labels-idx1-ubyte', sha256: sha256(payload) };
  const served: string[] = [];
  const server = createServer((req, res) => {
    served.push(req.url!);
    if (req.url!.startsWith('/broken/')) {
      res.statusCode = 404;
      res.end('gone');
    } else if (req.url!.startsWith('/wrong/')) {
      res.end(gzipSync(encodeIdx({ dims: [4], data: new Uint8Array([9, 9, 9, 9]) })));
    } else {
      res.end(gzipSync(payload));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const cache = tempDir();
  try {
    const base = `http://127.0.0.1:${port}`;
    const raw = await download(spec, [`${base}/broken/`, `${base}/wrong/`, `${base}/good/`], cache, () => {});
    t.deepEqual(new Uint8Array(raw), payload);
    t.deepEqual(served, ['/broken/tiny-labels-idx1-ubyte.gz', '/wrong/tiny-labels-idx1-ubyte.gz', '/good/tiny-labels-idx1-ubyte.gz']);
    t.true(existsSync(join(cache, 'tiny-labels-idx1-ubyte.gz')));
    const err = await t.throwsAsync(() => download(spec, [`${base}/broken/`, `${base}/wrong/`], tempDir(), () => {}));
    t.regex(err!.message, /no mirror served a valid copy .*HTTP 404.*SHA-256/);
  } finally {
    server.close();
  }
});

test('an unknown dataset name lists the known ones', async (t) => {
  const err = await t.throwsAsync(() => loadDataset('imagenet'));
  t.regex(err!.message, /^--dataset: unknown dataset "imagenet"; expected one of mnist-10k, mnist/);
});
