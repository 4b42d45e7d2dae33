import { dcganDiscriminator, dcganGenerator } from './dcgan.ts';
import { mlpDiscriminator, mlpGenerator } from './mlp.ts';
import type { Discriminator, Generator, ModelSpec } from './types.ts';

export function buildDiscriminator(spec: ModelSpec): Discriminator {
  return spec.arch === 'mlp' ? mlpDiscriminator(spec) : dcganDiscriminator(spec);
}

export function buildGenerator(spec: ModelSpec): Generator {
  return spec.arch === 'mlp' ? mlpGenerator(spec) : dcganGenerator(spec);
}

import * as tf from '@tensorflow/tfjs';
import type { Arch } from './types.ts';

/** The generator's prior: uniform on [0,1) as in the paper's MNIST code for mlp, [-1,1) for dcgan. */
export function sampleLatent(arch: Arch, n: number, latentDim: number, seed: number): tf.Tensor2D {
  return arch === 'mlp'
    ? tf.randomUniform([n, latentDim], 0, 1, 'float32', seed)
    : tf.randomUniform([n, latentDim], -1, 1, 'float32', seed);
}
