import * as tf from '@tensorflow/tfjs';
import type { LoadedRun } from '../run/types.ts';
import { createRng } from '../util/random.ts';
import { writeOutput, type GenerateOptions } from './generate.ts';

export interface PerClassOptions extends Omit<GenerateOptions, 'count' | 'balance' | 'rank'> {
  /** Images to keep of each class. */
  perClass: number;
}

export interface PerClassManifest {
  run: string;
  runMethod: string;
  dataset: string;
  seed: number;
  perClass: number;
  count: number;
  accepted: number;
  drawn: number;
  acceptanceRate: number;
  /** Samples drawn per sample kept (Infinity when none was kept). */
  drawnPerKept: number;
  minConfidence: number;
  maxGeneratedProb: number;
  classHistogram: number[];
  drawnPerClass: number[];
  /** Mean probability the classifier gives the conditioning class, over kept samples. */
  meanConfidence: number;
  format: 'idx' | 'png';
  conditional: true;
  shortfall: string | null;
}

/**
 * Draws `perClass` images of each class from a conditional generator: a sample of G(z, y) is
 * kept only where the run's classifier calls it y with probability at least `minConfidence`
 * (and, optionally, does not call it generated). Each batch mixes the classes still short,
 * since G normalises with batch statistics and was trained on mixed batches.
 */
export function generatePerClass(run: LoadedRun, opts: PerClassOptions): PerClassManifest {
  const gen = run.generator;
  if (!gen)
    throw new Error(
      `--run ${run.dir}: this run has no generator (a ${run.record.method} run); use a run of \`ssgan train\``,
    );
  if (!gen.conditional)
    throw new Error(
      `--per-class: the generator of ${run.dir} (a ${run.record.method} run) is not class-conditional; train with --method sslgan-cond, or use --count (labels by the classifier)`,
    );
  const K = run.numClasses;
  const [H, W, C] = run.imageShape;
  const size = H * W * C;
  const N = opts.perClass;
  const count = N * K;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  const taken = new Array(K).fill(0);
  const drawnK = new Array(K).fill(0);
  const limit = N * opts.maxDrawFactor;
  const rng = createRng(opts.seed, 'generate-per-class');
  let accepted = 0;
  let confSum = 0;
  for (;;) {
    const active = [...Array(K).keys()].filter((k) => taken[k] < N && drawnK[k] < limit);
    if (!active.length) break;
    const cls = Int32Array.from({ length: opts.batch }, (_, i) => active[i % active.length]);
    const { pixels, probs, pGen } = tf.tidy(() => {
      const x = gen.sample(gen.latent(opts.batch, rng.seedInt()), tf.tensor1d(cls, 'int32'));
      const { logits, fakeLogit } = run.discriminate(x);
      return {
        pixels: x.dataSync().slice() as Float32Array,
        probs: tf.softmax(logits).dataSync().slice() as Float32Array,
        pGen: tf
          .sigmoid(tf.sub(fakeLogit, tf.logSumExp(logits, 1)))
          .dataSync()
          .slice() as Float32Array,
      };
    });
    for (let i = 0; i < opts.batch; i++) {
      const k = cls[i];
      if (taken[k] >= N || drawnK[k] >= limit) continue;
      drawnK[k]++;
      const row = probs.subarray(i * K, (i + 1) * K);
      const conf = row[k];
      // "Agrees" means y is the classifier's top class, and at least this probable.
      if (row.some((p, j) => j !== k && p > conf) || conf < opts.minConfidence || pGen[i] > opts.maxGeneratedProb)
        continue;
      for (let j = 0; j < size; j++)
        images[accepted * size + j] = Math.round(255 * Math.min(1, Math.max(0, pixels[i * size + j])));
      labels[accepted] = k;
      confSum += conf;
      taken[k]++;
      accepted++;
    }
  }
  const drawn = drawnK.reduce((a, b) => a + b, 0);
  const short = taken.flatMap((t, k) => (t < N ? [`class ${k}: ${t} of ${N}`] : []));
  const manifest: PerClassManifest = {
    run: run.dir,
    runMethod: run.record.method,
    dataset: run.record.data.name,
    seed: opts.seed,
    perClass: N,
    count,
    accepted,
    drawn,
    acceptanceRate: drawn ? accepted / drawn : 0,
    drawnPerKept: accepted ? drawn / accepted : Infinity,
    minConfidence: opts.minConfidence,
    maxGeneratedProb: opts.maxGeneratedProb,
    classHistogram: taken,
    drawnPerClass: drawnK,
    meanConfidence: accepted ? confSum / accepted : 0,
    format: opts.format,
    conditional: true,
    shortfall: short.length
      ? `after drawing ${limit} of a class, too few passed the thresholds (${short.join(', ')})`
      : null,
  };
  writeOutput(opts, run, images, labels, accepted, manifest);
  return manifest;
}
