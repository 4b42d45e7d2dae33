import type { TrainConfig } from '../config/train-config.ts';
import type { Callback } from '../train/callback.ts';
import type { LoadedRun } from '../run/types.ts';
import { distance, judgeGenerator, judgeImages, scoreOf, type Judged } from './measure.ts';
import { referenceClassifier } from './reference.ts';

/**
 * Classifier score and Fréchet distance of the generator's samples every `qualityEvery` epochs,
 * judged by the cached reference classifier (a classifier that is not the run's own D).
 */
export function qualityScores(cfg: TrainConfig, log: (msg: string) => void): Callback {
  let ref: LoadedRun | null = null;
  let real: Judged | null = null;
  return {
    name: 'quality',
    async onTrainBegin(ctx) {
      if (!ctx.method.generator) return;
      const r = await referenceClassifier(cfg.dataset, {
        dataDir: cfg.dataDir,
        seed: cfg.seed,
        steps: cfg.referenceSteps,
        log,
      });
      ref = r.run;
      const n = Math.min(cfg.qualityCount, ctx.ds.test.count);
      real = judgeImages(
        ref,
        ctx.ds.test,
        Int32Array.from({ length: n }, (_, i) => i),
      );
    },
    onEpochEnd(ctx) {
      const gen = ctx.method.generator;
      if (!ref || !real || !gen || Math.round(ctx.step / ctx.stepsPerEpoch) % cfg.qualityEvery !== 0) return;
      const fake = judgeGenerator(ref, gen, cfg.qualityCount, cfg.seed + ctx.step);
      ctx.row.classifierScore = scoreOf(fake);
      ctx.row.frechetDistance = distance(real, fake);
    },
    onTrainEnd: () => ref?.dispose(),
    onException: () => ref?.dispose(),
  };
}
