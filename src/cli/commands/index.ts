import type { CommandModule } from 'yargs';

/** Every subcommand; each lives in its own module so it can be read (and changed) alone. */
export const commands: CommandModule<any, any>[] = [];
