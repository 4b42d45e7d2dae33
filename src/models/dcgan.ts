import * as tf from '@tensorflow/tfjs';
import { fusedLeaky } from '../backend/fused-layers.ts';
import { batchNorm, deconv2x, dense, dropout, gaussianNoise, wnConv2d, wnDense, type LayerCtx } from './layers.ts';
import { splitHead } from './mlp.ts';
import { minibatchLayer } from './minibatch-disc.ts';
import { ParamStore } from './params.ts';
import type { Discriminator, Generator, ModelSpec } from './types.ts';

/**
 * Leaky ReLU (slope 0.2): one native pass where that kernel runs, else 0.6x + 0.4|x|, which
 * (unlike tf.leakyRelu, whose gradient uses Greater) can be differentiated twice for WGAN-GP's
 * penalty, and which plain wasm runs faster than its LeakyRelu + Greater + Select.
 */
function leaky<T extends tf.Tensor>(x: T): T {
  return fusedLeaky(x, 0.2) ?? (tf.add(tf.mul(x, 0.6), tf.mul(tf.abs(x), 0.4)) as T);
}

/** 64x64 images get the DCGAN of Radford et al. (2015): four 4x4 stride-2 convs, 64-128-256-512. */
const isPhoto = (spec: ModelSpec) => spec.imageShape[0] === 64 && spec.imageShape[1] === 64;

/** Channels of the discriminator's conv blocks (export rebuilds the same layers). */
export function dcganDiscriminatorWidths(spec: ModelSpec): number[] {
  if (isPhoto(spec)) return [64, 128, 256, 512];
  return spec.imageShape[2] === 3 ? [64, 128, 256] : [32, 64, 128];
}

/**
 * A conv discriminator sized for two CPU cores: input noise, three weight-normalised strided
 * convs with leaky ReLU and dropout, global mean pooling (the features for feature matching),
 * then a weight-normalised dense head. Works for 28x28x1 and 32x32x3. At 64x64, Radford et al.'s
 * layout instead: one 4x4 stride-2 conv per block, with weight norm in place of batch norm as
 * in Salimans et al.'s discriminators.
 */
export function dcganDiscriminator(spec: ModelSpec): Discriminator {
  const params = new ParamStore('D');
  const outUnits = spec.head === 'explicit' ? spec.numClasses + 1 : spec.numClasses;
  const widths = dcganDiscriminatorWidths(spec);
  const photo = isPhoto(spec);
  return {
    params,
    apply(x, mode) {
      const ctx: LayerCtx = { p: params, mode, initSeed: spec.initSeed };
      let h: tf.Tensor4D = dropout(ctx, gaussianNoise(ctx, x, 0.15, 0), 0.2, 1);
      widths.forEach((f, i) => {
        if (photo) h = leaky(wnConv2d(ctx, `conv${i}`, h, f, 4, 2, 10 + 2 * i));
        else {
          h = leaky(wnConv2d(ctx, `conv${i}`, h, f, 3, 1, 10 + 2 * i));
          h = leaky(wnConv2d(ctx, `conv${i}s`, h, f, 3, 2, 11 + 2 * i));
        }
        if (i < widths.length - 1) h = dropout(ctx, h, 0.3, 20 + i);
      });
      const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const head = spec.minibatchDisc
        ? minibatchLayer(ctx, 'minibatch', features, spec.minibatchGroup ?? features.shape[0])
        : features;
      return splitHead(wnDense(ctx, 'out', head, outUnits, 99, { trainScale: true }), spec, features);
    },
  };
}

/** Channels of the generator's maps, from the dense layer's to the last hidden deconv's. */
export function dcganGeneratorWidths(spec: ModelSpec): number[] {
  if (isPhoto(spec)) return [512, 256, 128, 64];
  return spec.imageShape[2] === 3 ? [256, 128, 64] : [128, 64];
}

/**
 * DCGAN generator: dense to a 4x or 7x spatial map, then transposed convs doubling it, BN + ReLU,
 * sigmoid out. At 64x64: Radford et al.'s 4x4x512 → 8 → 16 → 32 → 64 (their widths halved for CPUs).
 */
export function dcganGenerator(spec: ModelSpec): Generator {
  const params = new ParamStore('G');
  const [H, W, C] = spec.imageShape;
  const base = H % 7 === 0 ? 7 : 4;
  const ups = Math.round(Math.log2(H / base));
  const widths = dcganGeneratorWidths(spec);
  if (base * 2 ** ups !== H || H !== W || widths.length < ups)
    throw new Error(
      `--arch dcgan: image size ${H}x${W}x${C} is not supported (28x28x1, 32x32x3 or 64x64; --image-size sets a folder's size)`,
    );
  return {
    params,
    latentDim: spec.latentDim,
    apply(z, mode) {
      const ctx: LayerCtx = { p: params, mode, initSeed: spec.initSeed + 1000 };
      const n = z.shape[0];
      const h = tf.relu(
        batchNorm(ctx, 'bn0', dense(ctx, 'dense0', z, base * base * widths[0], 1, false)),
      ) as tf.Tensor2D;
      let x = tf.reshape(h, [n, base, base, widths[0]]) as tf.Tensor4D;
      for (let i = 1; i < ups; i++)
        x = tf.relu(batchNorm(ctx, `bn${i}`, deconv2x(ctx, `deconv${i}`, x, widths[i], 5, 1 + i))) as tf.Tensor4D;
      return tf.sigmoid(deconv2x(ctx, 'out', x, C, 5, 9));
    },
  };
}
