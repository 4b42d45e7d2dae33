import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/datasets.ts';
import { writeIdx } from '../../src/data/idx.ts';
import { readNetWeights } from '../../src/train/checkpoint.ts';
import { tempDir } from './tmp.ts';

/** A synthetic folder as `generate` writes one: 200 real training images past the labelled ones, with their labels. */
export async function syntheticFolder(): Promise<string> {
  const ds = await loadDataset('mnist-10k');
  const dir = tempDir();
  const n = 200;
  writeIdx(join(dir, 'images-idx3-ubyte'), {
    dims: [n, 28, 28],
    data: ds.train.images.slice(5000 * 784, (5000 + n) * 784),
  });
  writeIdx(join(dir, 'labels-idx1-ubyte'), { dims: [n], data: ds.train.labels.slice(5000, 5000 + n) });
  return dir;
}

/** A short baseline run on 50 labels, for the --augment-with tests. */
export const SHORT_BASELINE = {
  kind: 'baseline' as const,
  labels: 50,
  batchSize: 25,
  initBatch: 50,
  steps: 12,
  logEvery: 4,
  backend: 'wasm' as const,
};

/** The first layer's biases of a run's D: where two runs' training differs, these do. */
export function firstBiases(runDir: string): number[] {
  const w = readNetWeights(join(runDir, 'checkpoint'), 'D');
  const v = Array.from(w['dense0/b'].dataSync());
  tf.dispose(Object.values(w));
  return v;
}
