import type { TrainConfig } from '../../config/train-config.ts';
import { secondOrderGradientsWork } from '../../backend/capabilities.ts';
import type { MethodDefinition } from '../types.ts';
import { createSslgan } from './method.ts';
import { SSLGAN_OPTIONS, type SslganConfig } from './options.ts';

/** Suffixes for what differs from the paper's recipe, so two objectives never share a name. */
export function tag(cfg: TrainConfig): string {
  const c = cfg as SslganConfig;
  return `${c.gan}${c.gLoss === 'feature-matching' ? '' : `-${c.gLoss}`}`;
}

/** `prefix-arch`, then what differs from the standard game: `sslgan-dcgan-wgan-gp`, `sslgan-mlp-minimax`. */
export function gameName(prefix: string, cfg: TrainConfig): string {
  const t = tag(cfg);
  return `${prefix}-${cfg.arch}${t === 'standard' ? '' : `-${t.replace(/^standard-/, '')}`}`;
}

export const sslgan: MethodDefinition<typeof SSLGAN_OPTIONS> = {
  id: 'sslgan',
  kind: 'gan',
  summary: 'the semi-supervised K+1-class GAN (Salimans et al. 2016)',
  options: SSLGAN_OPTIONS,
  runName: (cfg) => gameName('sslgan', cfg),
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
