import * as tf from '@tensorflow/tfjs';
import type { OptionsOf } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import { conditionalEntropy, consistencyLoss } from '../../losses/regularisers.ts';
import type { ExtraDLoss } from '../sslgan/steps.ts';

export const CT_OPTIONS = {
  ctWeight: {
    type: 'number',
    default: 0.1,
    min: 0,
    max: 100,
    describe: 'weight of the consistency of two noisy passes over the unlabelled batch (CT-GAN)',
  },
  entropyWeight: {
    type: 'number',
    default: 0,
    min: 0,
    max: 100,
    describe: 'weight of the conditional entropy of the class distribution on unlabelled images',
  },
} as const;
export type CtConfig = TrainConfig & OptionsOf<typeof CT_OPTIONS>;

/** "-ct0.3" for another consistency weight than the default, "-ent" where the entropy term is on: two objectives never share a run name. */
export function ctSuffix(cfg: TrainConfig): string {
  const c = cfg as CtConfig;
  const w = c.ctWeight === CT_OPTIONS.ctWeight.default ? '' : `-ct${c.ctWeight}`;
  return `${w}${c.entropyWeight > 0 ? '-ent' : ''}`;
}

/**
 * D's extra loss: agree with itself under its own noise on unlabelled images (Wei et al. 2018),
 * and optionally be sure of them (entropy minimisation).
 */
export function consistencyTerm(cfg: CtConfig): ExtraDLoss {
  return ({ D, logitsUnl, xUnl, seeds }) => {
    // A second pass with other noise (and dropout) draws: the first is D's main pass.
    const again = D.apply(xUnl, { training: true, seed: seeds.dNoise + 3 }).logits;
    const ct = consistencyLoss(logitsUnl, again);
    const logs: Record<string, tf.Scalar> = { lossConsistency: ct };
    let loss = tf.mul(cfg.ctWeight, ct) as tf.Scalar;
    if (cfg.entropyWeight > 0) {
      logs.lossEntropy = conditionalEntropy(logitsUnl);
      loss = tf.add(loss, tf.mul(cfg.entropyWeight, logs.lossEntropy)) as tf.Scalar;
    }
    return { loss, logs };
  };
}
