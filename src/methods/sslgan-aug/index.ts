import { gameName, sslgan, tag } from '../sslgan/index.ts';
import { createSslgan } from '../sslgan/method.ts';
import { SSLGAN_OPTIONS } from '../sslgan/options.ts';
import type { MethodDefinition } from '../types.ts';
import { AUG_OPTIONS, augSuffix, realAugmenter, type AugConfig } from './augmenter.ts';

const OPTIONS = { ...SSLGAN_OPTIONS, ...AUG_OPTIONS } as const;

/**
 * The K+1 game on augmented real images (labelled and unlabelled batches): no longer the
 * permutation-invariant recipe, so it is its own method in reports.
 */
export const sslganAug: MethodDefinition<typeof OPTIONS> = {
  id: 'sslgan-aug',
  kind: 'gan',
  summary: 'the K+1 GAN on shifted (and optionally flipped) real images',
  options: OPTIONS,
  runName: (cfg) => `${gameName('sslgan-aug', cfg)}${augSuffix(cfg)}`,
  runTag: (cfg) => `aug-${tag(cfg)}`,
  variants: {
    'sslgan-aug-mlp': { settings: { arch: 'mlp' } },
    'sslgan-aug-dcgan': { settings: { arch: 'dcgan' } },
  },
  adapt: sslgan.adapt,
  create: (setup) => createSslgan(setup, { augment: realAugmenter(setup.cfg as AugConfig, setup.ds.train) }),
};
