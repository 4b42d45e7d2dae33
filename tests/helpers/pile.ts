import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadDataset } from '../../src/data/datasets.ts';
import type { ImageSet } from '../../src/data/types.ts';

export interface PileOptions {
  labelledPerClass: number;
  unlabelled: number;
  /** Test images per class in test/ (0: no test folder). */
  testPerClass: number;
  /** First train index used (piles of different offsets share no image). */
  offset?: number;
  /** Test images of each class skipped first (a development pile tests on other images than the standard one). */
  testOffset?: number;
}

export interface Pile {
  dir: string;
  /** Every unlabelled file with the digit it shows (what a user would label it). */
  unlabelledTruth: Map<string, number>;
}

/** Writes one digit as JPEG or PNG at a given size (grey source, upscaled like a scan). */
async function writeDigit(set: ImageSet, i: number, path: string, size: number, format: 'jpeg' | 'png'): Promise<void> {
  const px = set.height * set.width;
  const raw = Buffer.from(set.images.subarray(i * px, (i + 1) * px));
  const img = sharp(raw, { raw: { width: set.width, height: set.height, channels: 1 } }).resize(size, size);
  await (format === 'jpeg' ? img.jpeg({ quality: 95 }) : img.png()).toFile(path);
}

const SIZES = [28, 28, 36, 44];

/**
 * A user's pile made of the embedded digits: labelled/<digit>/, unlabelled/ in two sub-folders,
 * test/<digit>/; JPEG and PNG files, three sizes (most of them 28 px, so the default size is 28).
 */
export async function buildPile(dir: string, o: PileOptions): Promise<Pile> {
  const ds = await loadDataset('mnist-10k');
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = o.offset ?? 0; i < ds.train.count; i++) byClass[ds.train.labels[i]].push(i);
  const jobs: Promise<void>[] = [];
  let n = 0;
  const put = (set: ImageSet, i: number, folder: string, name: string) => {
    mkdirSync(folder, { recursive: true });
    const format = n % 2 === 0 ? 'png' : 'jpeg';
    const size = SIZES[n % SIZES.length];
    n++;
    const path = join(folder, `${name}.${format === 'jpeg' ? 'jpg' : 'png'}`);
    jobs.push(writeDigit(set, i, path, size, format));
    return path;
  };
  const used = new Set<number>();
  for (let k = 0; k < 10; k++)
    for (const i of byClass[k].slice(0, o.labelledPerClass)) {
      put(ds.train, i, join(dir, 'labelled', String(k)), `d${i}`);
      used.add(i);
    }
  const unlabelledTruth = new Map<string, number>();
  let u = 0;
  for (let i = o.offset ?? 0; i < ds.train.count && u < o.unlabelled; i++) {
    if (used.has(i)) continue;
    const path = put(ds.train, i, join(dir, 'unlabelled', u % 3 ? 'scans-a' : 'scans-b'), `u${i}`);
    unlabelledTruth.set(path, ds.train.labels[i]);
    u++;
  }
  if (o.testPerClass > 0) {
    const testByClass: number[][] = Array.from({ length: 10 }, () => []);
    for (let i = 0; i < ds.test.count; i++) testByClass[ds.test.labels[i]].push(i);
    for (let k = 0; k < 10; k++)
      for (const i of testByClass[k].slice(o.testOffset ?? 0, (o.testOffset ?? 0) + o.testPerClass))
        put(ds.test, i, join(dir, 'test', String(k)), `t${i}`);
  }
  await Promise.all(jobs);
  return { dir, unlabelledTruth };
}
