import * as tf from '@tensorflow/tfjs';
import { checkCollapse } from '../../quality/collapse.ts';
import { stepSeeds } from '../step-seeds.ts';
import type { Callback } from '../callback.ts';

/** Mode-collapse guard: classify 500 generated samples each epoch and watch the spread of their classes. */
export function collapseGuard(): Callback {
  return {
    name: 'collapse',
    onEpochEnd(ctx) {
      const gen = ctx.method.generator;
      if (!gen) return;
      const zSeed = stepSeeds(ctx.cfg.seed, ctx.step - 1).zG;
      const pred = tf.tidy(() => {
        const xs = [0, 1, 2, 3, 4].map((k) => gen.sample(gen.latent(100, zSeed + 104729 * (k + 1))));
        return tf.argMax(ctx.method.classify(tf.concat(xs) as tf.Tensor4D), 1).dataSync();
      });
      const check = checkCollapse(pred, ctx.ds.numClasses);
      ctx.row.sampleClassEntropy = check.classEntropy;
      if (check.warning) ctx.log(`epoch ${Math.round(ctx.step / ctx.stepsPerEpoch)}: ${check.warning}`);
    },
  };
}
