import { join } from 'node:path';
import { readIdxPair } from './idx.ts';
import type { Dataset, ImageSet } from './types.ts';

/**
 * The labelled examples as their own ImageSet, plus any generated images from an IDX folder
 * (`ssgan generate --format idx`), which must match the dataset's shape and classes.
 */
export function labelledSet(ds: Dataset, indices: Int32Array, augmentWith?: string): ImageSet {
  const t = ds.train;
  const size = t.height * t.width * t.channels;
  let extraImages: Uint8Array = new Uint8Array(0);
  let extraLabels: Uint8Array = new Uint8Array(0);
  if (augmentWith) {
    const { images, labels } = readIdxPair(
      join(augmentWith, 'images-idx3-ubyte'),
      join(augmentWith, 'labels-idx1-ubyte'),
    );
    const [, h, w] = images.dims;
    const c = images.dims[3] ?? 1;
    if (h !== t.height || w !== t.width || c !== t.channels) {
      throw new Error(
        `--augment-with ${augmentWith}: images are ${h}x${w}x${c}, the dataset's are ${t.height}x${t.width}x${t.channels}`,
      );
    }
    for (const y of labels.data)
      if (y >= ds.numClasses)
        throw new Error(`--augment-with ${augmentWith}: label ${y} is outside the dataset's ${ds.numClasses} classes`);
    extraImages = images.data;
    extraLabels = labels.data;
  }
  const count = indices.length + extraLabels.length;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  indices.forEach((ix, i) => {
    images.set(t.images.subarray(ix * size, (ix + 1) * size), i * size);
    labels[i] = t.labels[ix];
  });
  images.set(extraImages, indices.length * size);
  labels.set(extraLabels, indices.length);
  return { images, labels, count, height: t.height, width: t.width, channels: t.channels };
}
