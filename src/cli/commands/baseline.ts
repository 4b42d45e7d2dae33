import type { CommandModule } from 'yargs';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TRAIN_DEFAULTS } from '../../config/defaults.ts';
import { makeConfig } from '../../train/config.ts';
import { commonConfig, runTraining, withTrainFlags } from './train.ts';

export const baselineCommand: CommandModule = {
  command: 'baseline',
  describe: 'train the same classifier supervised-only on the same labelled subset',
  builder: (y) =>
    withTrainFlags(y)
      .option('augment', {
        choices: ['none', 'shift'] as const,
        default: TRAIN_DEFAULTS.augment,
        describe: 'standard augmentation: random shifts of up to 2 px',
      })
      .option('augment-with', {
        type: 'string',
        describe: 'a folder written by `ssgan generate --format idx`: extra labelled images',
      }),
  handler: async (a: any) => {
    const extra = a['augment-with'];
    if (extra !== undefined) {
      if (!existsSync(extra)) throw new Error(`--augment-with ${extra}: no such folder`);
      if (!statSync(extra).isDirectory())
        throw new Error(
          `--augment-with ${extra}: not a folder (give the folder \`ssgan generate --format idx\` wrote)`,
        );
      const missing = ['images-idx3-ubyte', 'labels-idx1-ubyte'].filter((f) => !existsSync(join(extra, f)));
      if (missing.length)
        throw new Error(
          `--augment-with ${extra}: no ${missing.join(' or ')} there (write it with \`ssgan generate --format idx\`)`,
        );
    }
    const cfg = makeConfig({ ...commonConfig(a), kind: 'baseline', augment: a.augment, augmentWith: extra });
    await runTraining(cfg, a);
  },
};
