import { gameName, sslgan, tag } from '../sslgan/index.ts';
import { createSslgan } from '../sslgan/method.ts';
import { SSLGAN_OPTIONS } from '../sslgan/options.ts';
import type { MethodDefinition } from '../types.ts';
import { CT_OPTIONS, consistencyTerm, ctSuffix, type CtConfig } from './term.ts';

const OPTIONS = { ...SSLGAN_OPTIONS, ...CT_OPTIONS } as const;

/**
 * The K+1 game with D asked to agree with itself under its own noise on unlabelled images
 * (Wei et al. 2018), and optionally to be sure of them (entropy minimisation).
 */
export const sslganCt: MethodDefinition<typeof OPTIONS> = {
  id: 'sslgan-ct',
  kind: 'gan',
  summary: 'the K+1 GAN plus a consistency term on unlabelled images (CT-GAN)',
  options: OPTIONS,
  runName: (cfg) => `${gameName('sslgan-ct', cfg)}${ctSuffix(cfg)}`,
  runTag: (cfg) => `ct-${tag(cfg)}`,
  variants: {
    'sslgan-ct-mlp': { settings: { arch: 'mlp' } },
    'sslgan-ct-dcgan': { settings: { arch: 'dcgan' } },
  },
  adapt: sslgan.adapt,
  create: (setup) => createSslgan(setup, { extraDLoss: consistencyTerm(setup.cfg as CtConfig) }),
};
