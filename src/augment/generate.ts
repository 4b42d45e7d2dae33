import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { writeIdx } from '../data/idx.ts';
import type { LoadedRun } from '../run/types.ts';
import { replaceDirAtomic, writeJsonAtomic } from '../util/fs.ts';
import { writeClassFolders, writeGridPng } from '../util/png.ts';
import { createRng } from '../util/random.ts';
import { perClassGrid } from './class-grid.ts';
import { selectSamples } from './select.ts';

/** The per-class grid in every output folder of `generate`: one row per class, 10 columns. */
export const PER_CLASS_GRID = 'samples-per-class.png';

export interface GenerateOptions {
  count: number;
  out: string;
  format: 'idx' | 'png';
  minConfidence: number;
  maxGeneratedProb: number;
  balance: boolean;
  seed: number;
  /** Samples drawn per generator call (batch-norm statistics need a real batch). */
  batch: number;
  /** Stop after drawing this many times `count` samples, even if short. */
  maxDrawFactor: number;
  /**
   * Draw all `count × maxDrawFactor` samples, then keep the most confident (per class with
   * `balance`): for K+1 generators whose samples the classifier rarely calls with confidence.
   */
  rank?: boolean;
  classNames: string[];
}

export interface GenerateManifest {
  run: string;
  runMethod: string;
  dataset: string;
  seed: number;
  count: number;
  accepted: number;
  drawn: number;
  acceptanceRate: number;
  minConfidence: number;
  maxGeneratedProb: number;
  balance: boolean;
  rank: boolean;
  classHistogram: number[];
  meanConfidence: number;
  format: 'idx' | 'png';
  shortfall: string | null;
}

/**
 * Samples the run's generator, labels each image with the run's classifier, keeps confident
 * ones, and writes them as IDX (readable by any IDX reader and by `ssgan baseline
 * --augment-with`) or one PNG folder per class, with a manifest. When no sample passes,
 * nothing is written and the manifest's `shortfall` says so.
 */
export function generateLabelled(run: LoadedRun, opts: GenerateOptions): GenerateManifest {
  const gen = run.generator;
  if (!gen)
    throw new Error(
      `--run ${run.dir}: this run has no generator (a ${run.record.method} run); use a run of \`ssgan train\``,
    );
  const K = run.numClasses;
  const [H, W, C] = run.imageShape;
  const size = H * W * C;
  const quota = opts.balance ? Math.ceil(opts.count / K) : Infinity;
  const taken = new Array(K).fill(0);
  const images = new Uint8Array(opts.count * size);
  const labels = new Uint8Array(opts.count);
  const rng = createRng(opts.seed, 'generate');
  let accepted = 0;
  let drawn = 0;
  let confSum = 0;
  const limit = opts.count * opts.maxDrawFactor;
  // Ranked selection keeps every candidate that passes the thresholds, then the best ones.
  const pool: { conf: number; label: number; pixels: Uint8Array }[] = [];
  const poolTaken = new Array(K).fill(0);
  while ((opts.rank || accepted < opts.count) && drawn < limit) {
    const { pixels, probs, pGen } = tf.tidy(() => {
      const x = gen.sample(gen.latent(opts.batch, rng.seedInt()));
      const { logits, fakeLogit } = run.discriminate(x);
      const lse = tf.logSumExp(logits, 1);
      // p(generated) = sigmoid(l_fake - lse(l)); class probabilities among the K real classes.
      return {
        pixels: x.dataSync().slice(),
        probs: tf.softmax(logits).dataSync().slice() as Float32Array,
        pGen: tf.sigmoid(tf.sub(fakeLogit, lse)).dataSync().slice() as Float32Array,
      };
    });
    drawn += opts.batch;
    if (opts.rank) {
      for (const d of selectSamples(
        probs,
        pGen,
        K,
        { minConfidence: opts.minConfidence, maxGeneratedProb: opts.maxGeneratedProb, quota: Infinity },
        poolTaken,
      )) {
        const px = new Uint8Array(size);
        for (let j = 0; j < size; j++) px[j] = Math.round(255 * Math.min(1, Math.max(0, pixels[d.index * size + j])));
        pool.push({ conf: d.confidence, label: d.label, pixels: px });
      }
      continue;
    }
    for (const d of selectSamples(
      probs,
      pGen,
      K,
      { minConfidence: opts.minConfidence, maxGeneratedProb: opts.maxGeneratedProb, quota },
      taken,
      opts.count - accepted,
    )) {
      for (let j = 0; j < size; j++)
        images[accepted * size + j] = Math.round(255 * Math.min(1, Math.max(0, pixels[d.index * size + j])));
      labels[accepted] = d.label;
      confSum += d.confidence;
      accepted++;
    }
  }
  if (opts.rank) {
    pool.sort((a, b) => b.conf - a.conf);
    for (const c of pool) {
      if (accepted >= opts.count) break;
      if (taken[c.label] >= quota) continue;
      taken[c.label]++;
      images.set(c.pixels, accepted * size);
      labels[accepted] = c.label;
      confSum += c.conf;
      accepted++;
    }
  }
  const manifest: GenerateManifest = {
    run: run.dir,
    runMethod: run.record.method,
    dataset: run.record.data.name,
    seed: opts.seed,
    count: opts.count,
    accepted,
    drawn,
    acceptanceRate: drawn ? accepted / drawn : 0,
    minConfidence: opts.minConfidence,
    maxGeneratedProb: opts.maxGeneratedProb,
    balance: opts.balance,
    rank: !!opts.rank,
    classHistogram: taken,
    meanConfidence: accepted ? confSum / accepted : 0,
    format: opts.format,
    shortfall:
      accepted < opts.count
        ? `only ${accepted} of ${opts.count} samples passed the thresholds after drawing ${drawn}`
        : null,
  };
  writeOutput(opts, run, images, labels, accepted, manifest);
  return manifest;
}

/**
 * Writes the kept images as IDX or class folders, with the manifest and a per-class grid
 * (samples-per-class.png, one row per class), replacing `out` whole. Nothing kept: `out`
 * stays as it was rather than become an empty data set.
 */
export function writeOutput(
  opts: Pick<GenerateOptions, 'out' | 'format' | 'classNames'>,
  run: LoadedRun,
  images: Uint8Array,
  labels: Uint8Array,
  n: number,
  manifest: object,
): void {
  if (n === 0) return;
  const [H, W, C] = run.imageShape;
  const size = H * W * C;
  replaceDirAtomic(opts.out, (tmp) => {
    if (opts.format === 'idx') {
      writeIdx(join(tmp, 'images-idx3-ubyte'), {
        dims: C === 1 ? [n, H, W] : [n, H, W, C],
        data: images.subarray(0, n * size),
      });
      writeIdx(join(tmp, 'labels-idx1-ubyte'), { dims: [n], data: labels.subarray(0, n) });
    } else {
      writeClassFolders(tmp, images, labels, n, H, W, C, opts.classNames, (i) => String(i).padStart(6, '0'));
    }
    const K = run.numClasses;
    writeGridPng(join(tmp, PER_CLASS_GRID), perClassGrid(images, labels, n, K, size), K * 10, H, W, C, 10);
    writeJsonAtomic(join(tmp, 'manifest.json'), manifest);
  });
}
