import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.ts';
import { failMessage } from './fail-message.ts';

const cli = yargs(hideBin(process.argv))
  .scriptName('ssgan')
  .usage('$0 <command> [options]\n\nSemi-supervised image classification with K+1-class GANs.')
  .strict()
  .demandCommand(1, 'name a command: ssgan --help lists them')
  .recommendCommands()
  .help()
  .wrap(Math.min(110, process.stdout.columns ?? 110))
  .fail((msg, err) => {
    // One line, naming the flag or file, instead of a stack trace.
    const text = failMessage(err ? err.message : msg);
    process.stderr.write(`ssgan: ${text}\n`);
    if (process.env.SSGAN_DEBUG && err?.stack) process.stderr.write(err.stack + '\n');
    process.exit(1);
  });

for (const c of commands) cli.command(c);

await cli.parseAsync();
