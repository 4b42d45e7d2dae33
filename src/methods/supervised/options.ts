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
} as const satisfies OptionTable;

export type SupervisedConfig = TrainConfig & OptionsOf<typeof SUPERVISED_OPTIONS>;
