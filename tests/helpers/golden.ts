import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNetWeights } from '../../src/train/checkpoint.ts';
import { makeConfig, type TrainConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from './tmp.ts';

/**
 * Short fixed-seed runs whose weights and metrics a refactor must leave bit for bit as they were.
 * Each case covers other branches of the step code (heads, objectives, architectures).
 */
export const GOLDEN_CASES: Record<string, Partial<TrainConfig> & { kind: 'gan' | 'baseline'; nets: string[] }> = {
  'gan-mlp': { kind: 'gan', steps: 30, logEvery: 5, seed: 7, nets: ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'] },
  'baseline-mlp-shift': {
    kind: 'baseline',
    steps: 30,
    logEvery: 5,
    seed: 7,
    augment: 'shift',
    nets: ['D', 'D-ema', 'optimizer-D'],
  },
  'gan-mlp-variants': {
    kind: 'gan',
    steps: 10,
    logEvery: 2,
    seed: 11,
    batchSize: 20,
    initBatch: 100,
    head: 'explicit',
    gLoss: 'minimax',
    labelSmoothing: 0.1,
    minibatchDisc: true,
    gSteps: 2,
    gLrMult: 2,
    nets: ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'],
  },
  'gan-mlp-wgan-clip': {
    kind: 'gan',
    steps: 8,
    logEvery: 2,
    seed: 5,
    batchSize: 20,
    initBatch: 100,
    gan: 'wgan-clip',
    nets: ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'],
  },
  'gan-mlp-epoch': {
    kind: 'gan',
    steps: 82,
    logEvery: 20,
    checkpointEvery: 40,
    seed: 2,
    validationPerClass: 5,
    nets: ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'],
  },
  'baseline-mlp-epoch': {
    kind: 'baseline',
    steps: 81,
    logEvery: 20,
    checkpointEvery: 40,
    seed: 4,
    validationPerClass: 5,
    nets: ['D', 'D-ema', 'optimizer-D'],
  },
  // sslgan-cond with its shifts (the gan-aug cells' generator), recorded before they became sslgan-aug's.
  'gan-cond-mlp-shift': {
    kind: 'gan',
    method: 'sslgan-cond',
    augShift: 2,
    steps: 10,
    logEvery: 2,
    seed: 9,
    batchSize: 20,
    initBatch: 100,
    nets: ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'],
  } as Partial<TrainConfig> & { kind: 'gan'; nets: string[] },
  'gan-dcgan-wgan-gp': {
    kind: 'gan',
    steps: 6,
    logEvery: 2,
    seed: 3,
    batchSize: 16,
    initBatch: 64,
    arch: 'dcgan',
    gan: 'wgan-gp',
    nets: ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'],
  },
};

/** Fields of a metrics row that depend on the machine's speed, not on the numbers. */
const TIMING = new Set(['wallSeconds', 'imagesPerSecond']);

/** A row's numbers: timing fields dropped, and null fields (the baseline's absent losses) too. */
export function numbersOf(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k, v]) => !TIMING.has(k) && v !== null));
}

export interface GoldenDigest {
  /** sha256 of each saved tensor's bytes, by network and weight name. */
  weights: Record<string, string>;
  metrics: Record<string, unknown>[];
  accuracy: number;
}

function sha(bytes: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest('hex');
}

export async function runGoldenCase(name: string, backend: 'wasm' | 'cpu' = 'wasm'): Promise<GoldenDigest> {
  const { nets, ...partial } = GOLDEN_CASES[name];
  const cfg = makeConfig({
    dataset: 'mnist-10k',
    labels: 100,
    checkpointEvery: 1000,
    backend,
    ...partial,
    runDir: tempDir(),
  });
  const result = await train(cfg);
  const weights: Record<string, string> = {};
  for (const net of nets) {
    const w = readNetWeights(join(cfg.runDir, 'checkpoint'), net);
    // Optimizer slots carry tfjs' global variable ids, which depend on what ran before in the process.
    for (const k of Object.keys(w).sort()) weights[`${net}/${k.replace(/\/\d+\//, '/#/')}`] = sha(w[k].dataSync());
    tf.dispose(Object.values(w));
  }
  const metrics = readFileSync(join(cfg.runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => numbersOf(JSON.parse(l)));
  return { weights, metrics, accuracy: result.accuracy };
}
