import type { OptionsOf, OptionTable } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';

/** Settings of the K+1 GAN; the defaults are the paper's MNIST feature-matching recipe. */
export const SSLGAN_OPTIONS = {
  gan: {
    type: 'choice',
    choices: ['standard', 'wgan-gp', 'wgan-clip'] as const,
    default: 'standard',
    describe: 'unsupervised game: K+1 classifier GAN, or a Wasserstein critic on lse(logits)',
  },
  gLoss: {
    type: 'choice',
    choices: ['feature-matching', 'minimax'] as const,
    default: 'feature-matching',
    describe: 'generator objective',
  },
  labelSmoothing: { type: 'number', default: 0, min: 0, max: 0.5, describe: 'one-sided: real targets become 1 - s' },
  unlabelledWeight: { type: 'number', default: 1, min: 0, max: 100, describe: 'weight of the unsupervised loss' },
  minibatchDisc: {
    type: 'boolean',
    default: false,
    describe: 'minibatch discrimination features in D (Salimans et al. §3.2)',
  },
  // A generator that falls behind never matches D's features.
  gSteps: { type: 'int', default: 1, min: 1, max: 10, describe: 'generator updates per discriminator update' },
  // Two time-scale updates, Heusel et al. 2017.
  gLrMult: {
    type: 'number',
    default: 1,
    min: 0,
    max: 100,
    openMin: true,
    describe: 'generator learning rate as a multiple of --lr',
  },
  gpWeight: { type: 'number', default: 10, min: 0, max: 1e4, describe: 'gradient penalty weight (--gan wgan-gp)' },
  clipValue: {
    type: 'number',
    default: 0.01,
    min: 0,
    max: 10,
    openMin: true,
    describe: 'critic weight clip (--gan wgan-clip)',
  },
} as const satisfies OptionTable;

export type SslganConfig = TrainConfig & OptionsOf<typeof SSLGAN_OPTIONS>;
