import { createHash } from 'node:crypto';
import type { ImageSet } from './types.ts';

export function sha256(...parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Identifies the exact decoded data a run saw, independent of file containers (gzip, PNG...). */
export function datasetChecksum(train: ImageSet, test: ImageSet): string {
  const dims = (s: ImageSet) => new Uint8Array(new Uint32Array([s.count, s.height, s.width, s.channels]).buffer);
  return sha256(dims(train), train.images, train.labels, dims(test), test.images, test.labels);
}
