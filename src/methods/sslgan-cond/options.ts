import type { OptionsOf, OptionTable } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import { SSLGAN_OPTIONS } from '../sslgan/options.ts';
import { AUG_OPTIONS } from '../sslgan-aug/augmenter.ts';

/** Settings of the class-conditional K+1 GAN; the unsupervised game is sslgan's standard one. */
export const SSLGAN_COND_OPTIONS = {
  gLoss: {
    type: 'choice',
    choices: ['feature-matching', 'minimax'] as const,
    default: 'feature-matching',
    describe: "generator objective besides the class term (sslgan's --g-loss)",
  },
  // Measured on mnist-10k (100 labels, 300 steps): at 1, D learns to call G's noise class y and
  // G settles on noise it calls y; at 0, D's classes come from real labels alone and G draws digits.
  auxWeightD: {
    type: 'number',
    default: 0,
    min: 0,
    max: 100,
    describe: "weight of D's loss for classifying G(z, y) as y (AC-GAN's auxiliary loss on generated samples)",
  },
  auxWeightG: {
    type: 'number',
    default: 1,
    min: 0,
    max: 100,
    describe: "weight of G's loss for D classifying G(z, y) as y",
  },
  // Triple-GAN's semi-supervised form conditions G on the classifier's labels for unlabelled data.
  condLabels: {
    type: 'choice',
    choices: ['uniform', 'classifier'] as const,
    default: 'uniform',
    describe: "G's classes: uniform over the K classes, or D's labels for the step's unlabelled batch",
  },
  // sslgan-aug's shifts, here in the conditional game: D (classifier and filter) sees shifted
  // real digits, and G's samples must pass for them.
  augShift: {
    ...AUG_OPTIONS.augShift,
    default: 0,
    describe: 'random shifts of the real images (labelled and unlabelled batches), in pixels; 0 = none',
  },
  labelSmoothing: SSLGAN_OPTIONS.labelSmoothing,
  unlabelledWeight: SSLGAN_OPTIONS.unlabelledWeight,
  gLrMult: SSLGAN_OPTIONS.gLrMult,
} as const satisfies OptionTable;

export type SslganCondConfig = TrainConfig & OptionsOf<typeof SSLGAN_COND_OPTIONS>;
