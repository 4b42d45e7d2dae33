import type { CommandModule } from 'yargs';
import { existsSync } from 'node:fs';
import { hasCheckpoint } from '../../train/checkpoint.ts';
import { join } from 'node:path';
import { selectBackend } from '../../backend/select.ts';
import { exportRun } from '../../export/export.ts';
import { checkOutDir, intFlag, withCommon } from '../options.ts';

export const exportCommand: CommandModule = {
  command: 'export',
  describe: "write a run's classifier (or generator) as a standard TensorFlow.js LayersModel",
  builder: (y) =>
    withCommon(y)
      .option('run', { type: 'string', demandOption: true, describe: 'run folder (runs/<name>)' })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'folder for model.json, weights.bin, labels.json, preprocessing.json',
      })
      .option('what', { choices: ['classifier', 'generator'] as const, default: 'classifier' })
      .option('stats-count', {
        type: 'number',
        default: 1000,
        coerce: intFlag('stats-count', 2, 100000),
        describe: "generator: latents whose batch statistics become the batch norms' fixed ones",
      })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace a non-empty --out' }),
  handler: async (a: any) => {
    if (!existsSync(a.run)) throw new Error(`--run ${a.run}: no such folder`);
    if (!hasCheckpoint(join(a.run, 'checkpoint'))) throw new Error(`--run ${a.run}: no checkpoint in this run folder`);
    checkOutDir(a.out, a.overwrite, a.run);
    const backend = await selectBackend({ backend: a.backend, native: a.native });
    process.stderr.write(`backend: ${backend.description}\n`);
    const r = await exportRun(a.run, a.out, { what: a.what, statsCount: a['stats-count'], statsSeed: a.seed });
    process.stdout.write(`${a.out}: ${a.what} of ${a.run} as a TensorFlow.js LayersModel (${r.files.join(', ')})\n`);
  },
};
