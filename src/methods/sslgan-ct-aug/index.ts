import { gameName, sslgan, tag } from '../sslgan/index.ts';
import { createSslgan } from '../sslgan/method.ts';
import { SSLGAN_OPTIONS } from '../sslgan/options.ts';
import { AUG_OPTIONS, augSuffix, realAugmenter, type AugConfig } from '../sslgan-aug/augmenter.ts';
import { CT_OPTIONS, consistencyTerm, ctSuffix, type CtConfig } from '../sslgan-ct/term.ts';
import type { MethodDefinition } from '../types.ts';

const OPTIONS = { ...SSLGAN_OPTIONS, ...CT_OPTIONS, ...AUG_OPTIONS } as const;

/**
 * Both of the K+1 game's variants at once: D's consistency term on unlabelled images (sslgan-ct)
 * and shifted (flipped) real batches (sslgan-aug). The consistency passes see the shifted images.
 */
export const sslganCtAug: MethodDefinition<typeof OPTIONS> = {
  id: 'sslgan-ct-aug',
  kind: 'gan',
  summary: 'the K+1 GAN with the consistency term, on shifted (and optionally flipped) real images',
  options: OPTIONS,
  runName: (cfg) => `${gameName('sslgan-ct-aug', cfg)}${ctSuffix(cfg)}${augSuffix(cfg)}`,
  runTag: (cfg) => `ct-aug-${tag(cfg)}`,
  variants: {
    'sslgan-ct-aug-mlp': { settings: { arch: 'mlp' } },
    'sslgan-ct-aug-dcgan': { settings: { arch: 'dcgan' } },
  },
  adapt: sslgan.adapt,
  create: (setup) =>
    createSslgan(setup, {
      extraDLoss: consistencyTerm(setup.cfg as CtConfig),
      augment: realAugmenter(setup.cfg as AugConfig, setup.ds.train),
    }),
};
