import type { TrainConfig } from '../../config/train-config.ts';
import { secondOrderGradientsWork } from '../../backend/capabilities.ts';
import type { MethodDefinition } from '../types.ts';
import { createSslgan } from './method.ts';
import { SSLGAN_OPTIONS, type SslganConfig } from './options.ts';

/** Suffixes for what differs from the paper's recipe, so two objectives never share a name. */
function tag(cfg: TrainConfig): string {
  const c = cfg as SslganConfig;
  return `${c.gan}${c.gLoss === 'feature-matching' ? '' : `-${c.gLoss}`}`;
}

export const sslgan: MethodDefinition<typeof SSLGAN_OPTIONS> = {
  id: 'sslgan',
  kind: 'gan',
  summary: 'the semi-supervised K+1-class GAN (Salimans et al. 2016)',
  options: SSLGAN_OPTIONS,
  runName: (cfg) => `sslgan-${cfg.arch}${tag(cfg) === 'standard' ? '' : `-${tag(cfg).replace(/^standard-/, '')}`}`,
  runTag: tag,
  variants: {
    'sslgan-mlp': { settings: { arch: 'mlp' } },
    'sslgan-dcgan': { settings: { arch: 'dcgan' } },
    'sslgan-dcgan-wgan-gp': { settings: { arch: 'dcgan', gan: 'wgan-gp' } },
  },
  adapt(cfg, { log, backend }) {
    if (cfg.gan !== 'wgan-gp' || secondOrderGradientsWork()) return cfg;
    log(`--gan wgan-gp: second-order gradients fail on the ${backend} backend; falling back to --gan wgan-clip`);
    return { ...cfg, gan: 'wgan-clip' };
  },
  create: createSslgan,
};
