import type { CommandModule } from 'yargs';
import { baselineCommand } from './baseline.ts';
import { benchCommand } from './bench.ts';
import { reportCommand } from './report.ts';
import { qualityCommand } from './quality.ts';
import { exploreCommand } from './explore.ts';
import { dataCommand } from './data.ts';
import { evaluateCommand } from './evaluate.ts';
import { generateCommand } from './generate.ts';
import { trainCommand } from './train.ts';

/** Every subcommand; each lives in its own module so it can be read (and changed) alone. */
// Each command types its own arguments; the list only needs them to be commands.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  trainCommand,
  baselineCommand,
  evaluateCommand,
  generateCommand,
  benchCommand,
  reportCommand,
  qualityCommand,
  exploreCommand,
  dataCommand,
];
