import { GAN_AUG_DEFAULTS } from '../../config/defaults.ts';
import type { OptionsOf, OptionTable } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';

export const SUPERVISED_OPTIONS = {
  augment: {
    type: 'choice',
    choices: ['none', 'shift'] as const,
    default: 'none',
    describe: 'standard augmentation: random shifts of up to 2 px',
  },
  augmentWith: {
    type: 'string',
    describe: 'a folder written by `ssgan generate --format idx`: extra labelled images',
  },
  // Gains from synthetic data are reported with it down-weighted (about 0.1); 1 treats it as real.
  syntheticWeight: {
    type: 'number',
    default: 1,
    min: 0,
    max: 100,
    describe: 'loss weight of each --augment-with example (real labelled ones weigh 1)',
  },
  syntheticFromStep: {
    type: 'int',
    default: 0,
    min: 0,
    describe: 'batches hold only the real labelled images before this step, then the --augment-with ones too',
  },
  // Drawn from the pool of both, thousands of samples crowd out 100 real images (2% of each
  // batch) and the model learns the samples' quirks; a fixed share keeps the real images' place.
  syntheticShare: {
    type: 'number',
    default: GAN_AUG_DEFAULTS.syntheticShare,
    min: 0,
    max: 1,
    describe:
      'this fraction of each batch is --augment-with examples, the rest real labelled ones; 0: drawn from the pool of both',
  },
} as const satisfies OptionTable;

export type SupervisedConfig = TrainConfig & OptionsOf<typeof SUPERVISED_OPTIONS>;
