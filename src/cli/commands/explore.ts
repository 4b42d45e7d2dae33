import type { Argv, CommandModule } from 'yargs';
import { join } from 'node:path';
import { explore } from '../../quality/explore.ts';
import { checkOutDir, fail, intFlag, withCommon } from '../options.ts';
import { withRun, type RunArgs } from '../with-run.ts';

interface ExploreArgs extends RunArgs {
  out?: string;
  pairs: number;
  steps: number;
  arithmetic: string;
  overwrite: boolean;
}

/** '7-1+9,8-3+5' → [[7,1,9],[8,3,5]]: class a minus class b plus class c, in that order. */
export function parseTriples(v: string): [number, number, number][] {
  if (!v) return [];
  return v.split(',').map((s) => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*\+\s*(\d+)\s*$/.exec(s);
    if (!m) fail('arithmetic', "comma-separated triples like '7-1+9' (class a minus class b plus class c)", v);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  });
}

export const exploreCommand: CommandModule<object, ExploreArgs> = {
  command: 'explore',
  describe: "latent interpolations and latent arithmetic of a run's generator, labelled by its classifier",
  builder: (y) =>
    withCommon(y)
      .option('run', { type: 'string', demandOption: true })
      .option('out', { type: 'string', describe: 'output folder (default <run>/explore)' })
      .option('pairs', { type: 'number', default: 8, coerce: intFlag('pairs', 1, 50) })
      .option('steps', { type: 'number', default: 10, coerce: intFlag('steps', 2, 50) })
      .option('arithmetic', { type: 'string', default: '7-1+9,8-3+5', describe: 'class triples a-b+c' })
      .option('overwrite', { type: 'boolean', default: false }) as unknown as Argv<ExploreArgs>,
  handler: async (a) => {
    const triples = parseTriples(a.arithmetic);
    const out = a.out ?? join(a.run, 'explore');
    checkOutDir(out, a.overwrite, a.run);
    await withRun(a, (run) => {
      for (const t of triples)
        if (t.some((k) => k >= run.numClasses))
          throw new Error(`--arithmetic: class ${Math.max(...t)} is outside the run's ${run.numClasses} classes`);
      const r = explore(run, out, { pairs: a.pairs, steps: a.steps, seed: a.seed, arithmetic: triples });
      for (const k of r.skipped)
        process.stderr.write(
          `ssgan: warning: --arithmetic ${k.a}-${k.b}+${k.c}: the classifier put no generated sample in class ${k.missing.join(', ')}; left out\n`,
        );
      process.stdout.write(
        `${out}: interpolations.png (${a.pairs} pairs x ${a.steps})${r.arithmetic ? `, arithmetic.png (${r.arithmetic.rows.length} rows)` : ''}, explore.json\n`,
      );
    });
  },
};
