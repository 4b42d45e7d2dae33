import type { CommandModule } from 'yargs';
import { existsSync } from 'node:fs';
import { TRAIN_DEFAULTS } from '../../config/defaults.ts';
import { makeConfig } from '../../train/config.ts';
import { commonConfig, runTraining, withTrainFlags } from './train.ts';

export const baselineCommand: CommandModule = {
  command: 'baseline',
  describe: 'train the same classifier supervised-only on the same labelled subset',
  builder: (y) =>
    withTrainFlags(y)
      .option('augment', { choices: ['none', 'shift'] as const, default: TRAIN_DEFAULTS.augment, describe: 'standard augmentation: random shifts of up to 2 px' })
      .option('augment-with', { type: 'string', describe: 'a folder written by `ssgan generate --format idx`: extra labelled images' }),
  handler: async (a: any) => {
    if (a['augment-with'] !== undefined && !existsSync(a['augment-with'])) throw new Error(`--augment-with ${a['augment-with']}: no such folder`);
    const cfg = makeConfig({ ...commonConfig(a), kind: 'baseline', augment: a.augment, augmentWith: a['augment-with'] });
    await runTraining(cfg, a);
  },
};
