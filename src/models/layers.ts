import * as tf from '@tensorflow/tfjs';
import { fusedAddNormal, fusedDropout, fusedWnDense } from '../backend/fused-layers.ts';
import { dropoutScales } from '../util/dropout.ts';
import { normalSamples } from '../util/gaussian.ts';
import type { ParamStore } from './params.ts';

/** How a network is being called. */
export interface Mode {
  /** Noise and dropout on (training) or off (evaluation). */
  training: boolean;
  /** Seed for this call's noise; each layer offsets it so layers draw independent noise. */
  seed: number;
  /** Data-dependent initialisation pass: weight-norm layers set scale and bias from this batch. */
  init?: boolean;
}

export interface LayerCtx {
  p: ParamStore;
  mode: Mode;
  initSeed: number;
}

function glorot(shape: number[], fanIn: number, fanOut: number, seed: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}

/** Weight-norm options. */
export interface WnOptions {
  /**
   * Whether the scale g is trained. The reference trains it only in output layers: hidden scales
   * stay as the data-dependent init set them, which keeps D's features (what feature matching
   * compares) from growing without bound while D wins the game.
   */
  trainScale?: boolean;
  /** Set g and b from the init batch (off for the generator's output layer, as in the reference). */
  dataInit?: boolean;
  /**
   * Std of the direction v at init. Adam moves each element by ~lr a step, so ||v|| sets how fast
   * the direction turns: the reference uses N(0, 0.1) in D, which halves D's speed against 0.05.
   */
  initStd?: number;
  /** ReLU after the layer, fused into the native kernel where that runs. */
  activation?: 'linear' | 'relu';
}

/**
 * Weight normalisation (Salimans & Kingma 2016): y = g * (x·v)/||v|| + b. In an init pass, g and
 * b are set so that this batch's pre-activations have zero mean and unit variance per unit,
 * which is what lets the paper's deep MLP train at lr 0.003 from the first step.
 */
export function wnDense(
  ctx: LayerCtx,
  name: string,
  x: tf.Tensor2D,
  units: number,
  seed: number,
  opts: WnOptions = {},
): tf.Tensor2D {
  const inDim = x.shape[1];
  const v = ctx.p.get(`${name}/v`, () =>
    tf.randomNormal([inDim, units], 0, opts.initStd ?? 0.1, 'float32', ctx.initSeed + seed),
  );
  const g = ctx.p.get(`${name}/g`, () => tf.ones([units]), opts.trainScale ?? false);
  const b = ctx.p.get(`${name}/b`, () => tf.zeros([units]));
  const relu = opts.activation === 'relu';
  if (!ctx.mode.init) return weightNormDense(x, v as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, relu);
  const t = tf.matMul(x, unitColumns(v as tf.Tensor2D));
  if (opts.dataInit ?? true) initScaleBias(t, g, b, [0]);
  const y = tf.add(tf.mul(t, g), b) as tf.Tensor2D;
  return relu ? tf.relu(y) : y;
}

/** v with each column scaled to unit length (the 1e-6 keeps an all-zero column finite). */
const unitColumns = (v: tf.Tensor2D) => tf.div(v, tf.sqrt(tf.add(tf.sum(tf.square(v), 0, true), 1e-6))) as tf.Tensor2D;

/** act(x · v/||v|| * g + b): the native fused kernel where it runs, tfjs ops elsewhere. */
export function weightNormDense(
  x: tf.Tensor2D,
  v: tf.Tensor2D,
  g: tf.Tensor1D,
  b: tf.Tensor1D,
  relu: boolean,
): tf.Tensor2D {
  const fused = fusedWnDense(x, v, g, b, relu);
  if (fused) return fused;
  const y = tf.add(tf.mul(tf.matMul(x, unitColumns(v)), g), b) as tf.Tensor2D;
  return relu ? tf.relu(y) : y;
}

/** Weight-normalised 2-D convolution, NHWC; the norm is taken per output channel. */
export function wnConv2d(
  ctx: LayerCtx,
  name: string,
  x: tf.Tensor4D,
  filters: number,
  kernel: number,
  stride: number,
  seed: number,
  opts: WnOptions = {},
): tf.Tensor4D {
  const inC = x.shape[3];
  const v = ctx.p.get(`${name}/v`, () =>
    tf.randomNormal([kernel, kernel, inC, filters], 0, 0.05, 'float32', ctx.initSeed + seed),
  );
  const g = ctx.p.get(`${name}/g`, () => tf.ones([filters]), opts.trainScale ?? false);
  const b = ctx.p.get(`${name}/b`, () => tf.zeros([filters]));
  const vNorm = tf.div(v, tf.sqrt(tf.add(tf.sum(tf.square(v), [0, 1, 2], true), 1e-6))) as tf.Tensor4D;
  if (ctx.mode.init) {
    const t = tf.conv2d(x, vNorm, stride, 'same');
    if (opts.dataInit ?? true) initScaleBias(t, g, b, [0, 1, 2]);
    return tf.add(tf.mul(t, g), b);
  }
  // conv(x, v/||v||)·g = conv(x, g·v/||v||): scaling the small filter instead of the large output
  // saves a pass over every activation, forward and backward.
  return tf.add(tf.conv2d(x, tf.mul(vNorm, g) as tf.Tensor4D, stride, 'same'), b);
}

function initScaleBias(t: tf.Tensor, g: tf.Variable, b: tf.Variable, axes: number[]): void {
  tf.tidy(() => {
    const { mean, variance } = tf.moments(t, axes);
    const scale = tf.div(1, tf.sqrt(tf.add(variance, 1e-8)));
    g.assign(scale);
    b.assign(tf.neg(tf.mul(mean, scale)));
  });
}

export function dense(
  ctx: LayerCtx,
  name: string,
  x: tf.Tensor2D,
  units: number,
  seed: number,
  bias = true,
): tf.Tensor2D {
  const inDim = x.shape[1];
  const w = ctx.p.get(`${name}/w`, () => glorot([inDim, units], inDim, units, ctx.initSeed + seed));
  const y = tf.matMul(x, w) as tf.Tensor2D;
  if (!bias) return y;
  const b = ctx.p.get(`${name}/b`, () => tf.zeros([units]));
  return tf.add(y, b) as tf.Tensor2D;
}

/** Transposed convolution that doubles height and width (NHWC, 'same' padding). */
export function deconv2x(
  ctx: LayerCtx,
  name: string,
  x: tf.Tensor4D,
  filters: number,
  kernel: number,
  seed: number,
): tf.Tensor4D {
  const [n, h, w, inC] = x.shape;
  const f = ctx.p.get(`${name}/w`, () =>
    glorot([kernel, kernel, filters, inC], kernel * kernel * inC, kernel * kernel * filters, ctx.initSeed + seed),
  );
  const b = ctx.p.get(`${name}/b`, () => tf.zeros([filters]));
  return tf.add(tf.conv2dTranspose(x, f as tf.Tensor4D, [n, h * 2, w * 2, filters], 2, 'same'), b);
}

/**
 * Batch norm with batch statistics. The generators always run on batches (training batches of
 * 100, sampling in batches too), as the reference implementation does, so no running averages.
 */
export function batchNorm(ctx: LayerCtx, name: string, x: tf.Tensor, scale = true): tf.Tensor {
  const c = x.shape[x.shape.length - 1];
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = tf.moments(x, axes);
  let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  if (scale)
    y = tf.mul(
      y,
      ctx.p.get(`${name}/gamma`, () => tf.ones([c])),
    );
  return tf.add(
    y,
    ctx.p.get(`${name}/beta`, () => tf.zeros([c])),
  );
}

/** Additive Gaussian noise, on only in training mode. */
export function gaussianNoise<T extends tf.Tensor>(ctx: LayerCtx, x: T, sigma: number, seed: number): T {
  if (!ctx.mode.training || sigma === 0) return x;
  const fused = fusedAddNormal(x, sigma, ctx.mode.seed + seed);
  if (fused) return fused;
  return tf.add(x, tf.tensor(normalSamples(x.size, sigma, ctx.mode.seed + seed), x.shape)) as T;
}

/** Inverted dropout, on only in training mode; the mask is a seeded stream (util/dropout.ts). */
export function dropout<T extends tf.Tensor>(ctx: LayerCtx, x: T, rate: number, seed: number): T {
  if (!ctx.mode.training || rate === 0) return x;
  const s = ctx.mode.seed + seed;
  return fusedDropout(x, rate, s) ?? (tf.mul(x, tf.tensor(dropoutScales(x.size, s >>> 0, rate), x.shape)) as T);
}
