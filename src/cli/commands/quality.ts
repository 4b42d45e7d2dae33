import type { Argv, CommandModule } from 'yargs';
import { checkCollapse, classHistogram, featureSpread } from '../../quality/collapse.ts';
import {
  distance,
  judgeConditional,
  judgeGenerator,
  judgeImages,
  perClassQuality,
  scoreOf,
  type ClassQuality,
} from '../../quality/measure.ts';
import { referenceClassifier } from '../../quality/reference.ts';
import { intFlag, withCommon } from '../options.ts';
import { withRun, type RunArgs } from '../with-run.ts';

interface QualityArgs extends RunArgs {
  count: number;
  'reference-steps': number;
  'data-dir'?: string;
  json: boolean;
}

function argmaxRows(probs: Float32Array, K: number): Int32Array {
  const out = new Int32Array(probs.length / K);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[i * K + k] > probs[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

export const qualityCommand: CommandModule<object, QualityArgs> = {
  command: 'quality',
  describe: "classifier score and Fréchet distance of a run's generator, judged by a reference classifier",
  builder: (y) =>
    withCommon(y)
      .option('run', { type: 'string', demandOption: true })
      .option('count', {
        type: 'number',
        default: 2000,
        coerce: intFlag('count', 2),
        describe: 'generated images to judge',
      })
      .option('reference-steps', {
        type: 'number',
        default: 2000,
        coerce: intFlag('reference-steps', 1),
        describe: 'training steps of the reference classifier (cached)',
      })
      .option('data-dir', { type: 'string', default: process.env.SSGAN_DATA_DIR })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<QualityArgs>,
  handler: (a) =>
    withRun(a, async (run, backend) => {
      const gen = run.generator;
      if (!gen)
        throw new Error(
          `--run ${a.run}: this run has no generator (a ${run.record.method} run); quality scores judge generators`,
        );
      const reference = await referenceClassifier(run.record.data.name, {
        dataDir: a['data-dir'] ?? (run.record.config.dataDir as string | undefined),
        seed: a.seed,
        steps: a['reference-steps'],
        log: (m: string) => process.stderr.write(m + '\n'),
      });
      const { run: ref, ds } = reference;
      try {
        const n = Math.min(a.count, ds.test.count);
        const testIdx = Int32Array.from({ length: n }, (_, i) => i);
        const real = judgeImages(ref, ds.test, testIdx);
        // A conditional generator is judged on a balanced draw, each sample also scored against its class.
        const cond = gen.conditional ? judgeConditional(ref, gen, a.count, a.seed) : null;
        const fake = cond ? cond.judged : judgeGenerator(ref, gen, a.count, a.seed);
        const perClass: ClassQuality[] | null = cond
          ? perClassQuality(fake, cond.classes, real, ds.test.labels.subarray(0, n))
          : null;
        // Mode-collapse check by the same judge: spread of the samples' predicted classes, and of
        // their features against the real test images'.
        const collapse = checkCollapse(argmaxRows(fake.probs, fake.K), fake.K, {
          features: fake.features,
          d: fake.d,
          realSpread: featureSpread(real.features, real.n, real.d),
        });
        const out = {
          run: a.run,
          dataset: ds.name,
          count: a.count,
          classifierScore: scoreOf(fake),
          realClassifierScore: scoreOf(real),
          frechetDistance: distance(real, fake),
          sampleClassEntropy: collapse.classEntropy,
          sampleClassHistogram: classHistogram(argmaxRows(fake.probs, fake.K), fake.K),
          featureSpreadRatio: collapse.featureSpreadRatio,
          collapseWarning: collapse.warning,
          referenceAccuracy: ref.result?.accuracy ?? null,
          conditional: gen.conditional,
          perClass,
          backend: backend.description,
        };
        if (a.json) process.stdout.write(JSON.stringify(out) + '\n');
        else
          process.stdout.write(
            `${a.run}: classifier score ${out.classifierScore.toFixed(3)} (real test images: ${out.realClassifierScore.toFixed(3)}), Fréchet distance to the test set ${out.frechetDistance.toFixed(3)}, ${a.count} samples; reference classifier ${(100 * (out.referenceAccuracy ?? NaN)).toFixed(2)}% test accuracy; sample class entropy ${out.sampleClassEntropy.toFixed(2)} of the maximum, feature spread ${((out.featureSpreadRatio ?? NaN) * 100).toFixed(0)}% of real\n`,
          );
        if (perClass && !a.json)
          process.stdout.write(
            `per conditioning class (agreement: the reference classifier calls a sample its class; Fréchet distance to that class's test images):\n${perClass
              .map(
                (c) =>
                  `  class ${c.class}: ${c.count} samples, agreement ${(100 * c.agreement).toFixed(1)}%, classifier score ${c.classifierScore.toFixed(3)}, Fréchet distance ${c.frechetDistance.toFixed(3)}`,
              )
              .join('\n')}\n`,
          );
        if (out.collapseWarning) process.stderr.write(`ssgan: warning: ${out.collapseWarning}\n`);
      } finally {
        ref.dispose();
      }
    }),
};
