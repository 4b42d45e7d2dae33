import type { Argv, CommandModule } from 'yargs';
import { supervised } from '../../methods/supervised/index.ts';
import { withOptionTable } from '../flags.ts';
import { configFromArgs, runTraining, withTrainFlags } from './train.ts';

type Args = Record<string, unknown>;

/** `ssgan train --method supervised`, under the name users look for. */
export const baselineCommand: CommandModule<object, Args> = {
  command: 'baseline',
  describe: 'train the same classifier supervised-only on the same labelled subset',
  builder: (y) =>
    withOptionTable(withTrainFlags(y), supervised.options, {
      group: 'Method supervised:',
      withDefaults: false,
    }) as unknown as Argv<Args>,
  handler: async (a) => runTraining(configFromArgs(a, supervised.id), a),
};
