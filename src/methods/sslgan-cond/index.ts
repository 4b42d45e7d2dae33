import type { TrainConfig } from '../../config/train-config.ts';
import type { MethodDefinition } from '../types.ts';
import { createSslganCond } from './method.ts';
import { SSLGAN_COND_OPTIONS, type SslganCondConfig } from './options.ts';

/** Suffixes for what differs from the default recipe, so two objectives never share a name. */
function tag(cfg: TrainConfig): string {
  const c = cfg as SslganCondConfig;
  return `cond${c.gLoss === 'feature-matching' ? '' : `-${c.gLoss}`}${c.condLabels === 'uniform' ? '' : '-triple'}${c.augShift ? `-shift${c.augShift}` : ''}`;
}

export const sslganCond: MethodDefinition<typeof SSLGAN_COND_OPTIONS> = {
  id: 'sslgan-cond',
  kind: 'gan',
  summary: 'the K+1-class GAN with a class-conditional generator G(z, y) and an AC-GAN class loss on its samples',
  options: SSLGAN_COND_OPTIONS,
  runName: (cfg) => `sslgan-${tag(cfg).replace(/^cond/, `cond-${cfg.arch}`)}`,
  runTag: tag,
  variants: {
    'sslgan-cond-mlp': { settings: { arch: 'mlp' } },
    'sslgan-cond-dcgan': { settings: { arch: 'dcgan' } },
    'sslgan-cond-mlp-shift2': { settings: { arch: 'mlp', augShift: 2 } },
    'sslgan-cond-dcgan-shift2': { settings: { arch: 'dcgan', augShift: 2 } },
  },
  create: createSslganCond,
};
