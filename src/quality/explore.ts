import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { LoadedRun } from '../run/types.ts';
import { replaceDirAtomic, writeJsonAtomic } from '../util/fs.ts';
import { createRng } from '../util/random.ts';
import { writeLabelledGridPng } from './labelled-grid.ts';

/** Linear interpolation between latent rows a and b, `steps` points including both ends. */
export function interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array {
  const d = a.length;
  const out = new Float32Array(steps * d);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    for (let j = 0; j < d; j++) out[s * d + j] = (1 - t) * a[j] + t * b[j];
  }
  return out;
}

/** Mean latent vector of the rows whose predicted class is k (null when there are none). */
export function classMeanLatent(z: Float32Array, pred: ArrayLike<number>, k: number, d: number): Float32Array | null {
  const m = new Float32Array(d);
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] !== k) continue;
    n++;
    for (let j = 0; j < d; j++) m[j] += z[i * d + j];
  }
  if (!n) return null;
  for (let j = 0; j < d; j++) m[j] /= n;
  return m;
}

/**
 * Renders latents in one generator batch (padded to 100 rows for batch-norm statistics) and
 * labels each image with the run's classifier.
 */
function render(
  run: LoadedRun,
  z: Float32Array,
  rows: number,
  padSeed: number,
): { pixels: Float32Array; labels: number[] } {
  const gen = run.generator!;
  const d = gen.latentDim;
  return tf.tidy(() => {
    const pad = Math.max(0, 100 - rows);
    const zt = pad ? tf.concat([tf.tensor2d(z, [rows, d]), gen.latent(pad, padSeed)]) : tf.tensor2d(z, [rows, d]);
    const x = gen.sample(zt as tf.Tensor2D);
    const labels = Array.from(tf.argMax(run.classify(x), 1).dataSync()).slice(0, rows);
    return { pixels: (tf.slice(x, 0, rows).dataSync() as Float32Array).slice(), labels };
  });
}

export interface ExploreResult {
  interpolations: { file: string; labels: number[][] };
  arithmetic: { file: string; rows: { a: number; b: number; c: number; labels: number[] }[] } | null;
  /** Triples left out because the classifier put none of the pooled samples in some of their classes. */
  skipped: { a: number; b: number; c: number; missing: number[] }[];
}

/** Samples whose predicted classes give the per-class mean latents of latent arithmetic. */
const ARITHMETIC_POOL = 1000;

/**
 * DCGAN-style latent exploration: interpolation grids between random pairs, and latent
 * arithmetic mean(a) - mean(b) + mean(c) over samples the classifier puts in each class.
 * The classifier's label of every cell is drawn under it and goes into explore.json. The
 * folder `out` is replaced as a whole, so no file of an earlier exploration is left behind.
 */
export function explore(
  run: LoadedRun,
  out: string,
  opts: { pairs: number; steps: number; seed: number; arithmetic: [number, number, number][] },
): ExploreResult {
  const gen = run.generator;
  if (!gen) throw new Error(`--run ${run.dir}: this run has no generator (a ${run.record.method} run)`);
  const [H, W, C] = run.imageShape;
  const d = gen.latentDim;
  const rng = createRng(opts.seed, 'explore');
  const ends = tf.tidy(() => gen.latent(2 * opts.pairs, rng.seedInt()).dataSync() as Float32Array);
  const z = new Float32Array(opts.pairs * opts.steps * d);
  for (let p = 0; p < opts.pairs; p++)
    z.set(
      interpolate(
        ends.subarray(2 * p * d, (2 * p + 1) * d),
        ends.subarray((2 * p + 1) * d, (2 * p + 2) * d),
        opts.steps,
      ),
      p * opts.steps * d,
    );
  const nInterp = opts.pairs * opts.steps;
  const interp = render(run, z, nInterp, rng.seedInt());
  const result: ExploreResult = {
    interpolations: {
      file: 'interpolations.png',
      labels: Array.from({ length: opts.pairs }, (_, p) => interp.labels.slice(p * opts.steps, (p + 1) * opts.steps)),
    },
    arithmetic: null,
    skipped: [],
  };
  let arith: { pixels: Float32Array; labels: number[]; n: number } | null = null;
  if (opts.arithmetic.length) {
    // A pool of samples labelled by the classifier gives each class's mean latent.
    const pool = tf.tidy(() => gen.latent(ARITHMETIC_POOL, rng.seedInt()).dataSync() as Float32Array);
    const pred: number[] = [];
    for (let s = 0; s < ARITHMETIC_POOL; s += 100)
      pred.push(...render(run, pool.subarray(s * d, (s + 100) * d), 100, 0).labels);
    const rows: { a: number; b: number; c: number; z: Float32Array[] }[] = [];
    for (const [a, b, c] of opts.arithmetic) {
      const [ma, mb, mc] = [a, b, c].map((k) => classMeanLatent(pool, pred, k, d));
      if (!ma || !mb || !mc) {
        result.skipped.push({ a, b, c, missing: [...new Set([a, b, c].filter((k) => !pred.includes(k)))] });
        continue;
      }
      const r = ma.map((v, j) => v - mb[j] + mc[j]);
      rows.push({ a, b, c, z: [ma, mb, mc, r] });
    }
    if (rows.length) {
      const flat = new Float32Array(rows.length * 4 * d);
      rows.forEach((r, i) => r.z.forEach((v, k) => flat.set(v, (i * 4 + k) * d)));
      const img = render(run, flat, rows.length * 4, rng.seedInt());
      arith = { ...img, n: rows.length * 4 };
      result.arithmetic = {
        file: 'arithmetic.png',
        rows: rows.map((r, i) => ({ a: r.a, b: r.b, c: r.c, labels: img.labels.slice(i * 4, i * 4 + 4) })),
      };
    }
  }
  replaceDirAtomic(out, (tmp) => {
    writeLabelledGridPng(join(tmp, 'interpolations.png'), interp.pixels, interp.labels, nInterp, H, W, C, opts.steps);
    if (arith) writeLabelledGridPng(join(tmp, 'arithmetic.png'), arith.pixels, arith.labels, arith.n, H, W, C, 4);
    writeJsonAtomic(join(tmp, 'explore.json'), {
      run: run.dir,
      seed: opts.seed,
      ...result,
      note: `labels are the run classifier's predicted class of each grid cell, row by row, also drawn under each cell; arithmetic rows show mean(a), mean(b), mean(c), mean(a) - mean(b) + mean(c) of the latents of ${ARITHMETIC_POOL} samples by predicted class`,
    });
  });
  return result;
}
