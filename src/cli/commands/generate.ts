import type { Argv, CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { generateLabelled } from '../../augment/generate.ts';
import { generatePerClass } from '../../augment/per-class.ts';
import { checkOutDir, intFlag, numberFlag, UsageError, withCommon } from '../options.ts';
import { withRun, type RunArgs } from '../with-run.ts';

interface GenerateArgs extends RunArgs {
  count?: number;
  'per-class'?: number;
  out: string;
  format: 'idx' | 'png';
  'min-confidence': number;
  'max-generated-prob': number;
  balance: boolean;
  rank: boolean;
  'max-draw-factor': number;
  overwrite: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: "labelled synthetic images: sample a run's generator, label with its classifier, keep the confident ones",
  builder: (y) =>
    withCommon(y)
      .option('run', { type: 'string', demandOption: true, describe: 'a run folder of `ssgan train`' })
      .option('count', {
        type: 'number',
        coerce: intFlag('count', 1),
        describe: 'images to write, labelled by the classifier',
      })
      .option('per-class', {
        type: 'number',
        coerce: intFlag('per-class', 1),
        describe:
          'images of each class, from a conditional run (`--method sslgan-cond`): G(z, y) kept where the classifier agrees',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('format', { choices: ['idx', 'png'] as const, default: 'idx' })
      .option('min-confidence', {
        type: 'number',
        default: 0.9,
        coerce: numberFlag('min-confidence', 0, 1),
        describe: 'minimum class probability among the K real classes',
      })
      .option('max-generated-prob', {
        type: 'number',
        default: 1,
        coerce: numberFlag('max-generated-prob', 0, 1),
        describe:
          'maximum probability of the "generated" class; 1 = off, since a K+1 discriminator learns to spot nearly every sample (measured: p > 0.95 for 49,900 of 50,000)',
      })
      .option('balance', { type: 'boolean', default: false, describe: 'the same number of images per class' })
      .option('rank', {
        type: 'boolean',
        default: false,
        describe:
          'draw count × --max-draw-factor samples and keep the most confident (K+1 generators rarely produce confident samples)',
      })
      .option('max-draw-factor', {
        type: 'number',
        default: 20,
        coerce: intFlag('max-draw-factor', 1),
        describe: 'give up after drawing this many times --count (or, per class, --per-class) samples',
      })
      .option('overwrite', {
        type: 'boolean',
        default: false,
        describe: 'replace a non-empty --out',
      }) as unknown as Argv<GenerateArgs>,
  handler: async (a) => {
    if ((a.count === undefined) === (a['per-class'] === undefined))
      throw new UsageError('--count or --per-class: expected exactly one of them');
    checkOutDir(a.out, a.overwrite, a.run);
    await withRun(a, (run, backend) => {
      process.stderr.write(`backend: ${backend.description}\n`);
      const perClass = a['per-class'];
      if (perClass !== undefined) {
        const m = generatePerClass(run, {
          perClass,
          out: resolve(a.out),
          format: a.format,
          minConfidence: a['min-confidence'],
          maxGeneratedProb: a['max-generated-prob'],
          seed: a.seed,
          batch: 100,
          maxDrawFactor: a['max-draw-factor'],
          classNames: (run.result?.classNames ?? []) as string[],
        });
        if (m.accepted === 0)
          throw new Error(
            `--min-confidence ${a['min-confidence']}: the classifier agreed with no sample's class in ${m.drawn} draws, nothing written; lower it`,
          );
        process.stdout.write(
          `${a.out}: ${m.accepted} images, ${m.drawnPerKept.toFixed(2)} drawn per kept (${m.drawn} drawn, mean confidence ${(m.meanConfidence * 100).toFixed(1)}%), per class ${m.classHistogram.join(' ')}\n`,
        );
        if (m.shortfall)
          process.stderr.write(`ssgan: warning: ${m.shortfall}; lower --min-confidence or raise --max-draw-factor\n`);
        return;
      }
      const m = generateLabelled(run, {
        count: a.count!,
        out: resolve(a.out),
        format: a.format,
        minConfidence: a['min-confidence'],
        maxGeneratedProb: a['max-generated-prob'],
        balance: a.balance,
        rank: a.rank,
        seed: a.seed,
        batch: 100,
        maxDrawFactor: a['max-draw-factor'],
        classNames: (run.result?.classNames ?? []) as string[],
      });
      if (m.accepted === 0)
        throw new Error(
          `--min-confidence ${a['min-confidence']}: no sample passed the thresholds in ${m.drawn} draws, nothing written; lower it or raise --max-generated-prob`,
        );
      process.stdout.write(
        `${a.out}: ${m.accepted} images (${(m.acceptanceRate * 100).toFixed(1)}% of ${m.drawn} drawn accepted, mean confidence ${(m.meanConfidence * 100).toFixed(1)}%), per class ${m.classHistogram.join(' ')}\n`,
      );
      if (m.shortfall)
        process.stderr.write(`ssgan: warning: ${m.shortfall}; lower --min-confidence or raise --max-draw-factor\n`);
    });
  },
};
