import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from './idx.ts';
import type { ImageSet } from './types.ts';

const RECORD = 1 + 32 * 32 * 3;
const DEFAULT_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** One CIFAR-10 binary batch: records of a label byte then 3072 bytes, channel-major (CHW). */
export function readCifarBatch(path: string): ImageSet {
  if (!existsSync(path)) throw new DataFileError(`${path}: missing (expected the CIFAR-10 binary version: data_batch_1..5.bin, test_batch.bin)`);
  const buf = readFileSync(path);
  if (buf.length === 0 || buf.length % RECORD !== 0) throw new DataFileError(`${path}: ${buf.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records`);
  const count = buf.length / RECORD;
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const rec = i * RECORD;
    labels[i] = buf[rec];
    if (labels[i] > 9) throw new DataFileError(`${path}: record ${i} has label ${labels[i]}, expected 0..9`);
    // CHW on disk, NHWC in memory.
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) images[i * 3072 + p * 3 + c] = buf[rec + 1 + c * 1024 + p];
  }
  return { images, labels, count, height: 32, width: 32, channels: 3 };
}

function concat(sets: ImageSet[]): ImageSet {
  const count = sets.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const s of sets) {
    images.set(s.images, at * 3072);
    labels.set(s.labels, at);
    at += s.count;
  }
  return { images, labels, count, height: 32, width: 32, channels: 3 };
}

/** The standard binary batches from a local directory (also accepts the `cifar-10-batches-bin` subfolder). */
export function loadCifar10(dir: string) {
  const base = existsSync(join(dir, 'cifar-10-batches-bin')) ? join(dir, 'cifar-10-batches-bin') : dir;
  const train = concat([1, 2, 3, 4, 5].map((k) => readCifarBatch(join(base, `data_batch_${k}.bin`))));
  const test = readCifarBatch(join(base, 'test_batch.bin'));
  const meta = join(base, 'batches.meta.txt');
  const names = existsSync(meta) ? readFileSync(meta, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean) : DEFAULT_NAMES;
  return { train, test, classNames: names.length === 10 ? names : DEFAULT_NAMES, source: base };
}
