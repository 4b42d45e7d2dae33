import * as tf from '@tensorflow/tfjs';
import type { OptionsOf } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import { conditionalEntropy, consistencyLoss } from '../../losses/regularisers.ts';
import { gameName, sslgan, tag } from '../sslgan/index.ts';
import { createSslgan } from '../sslgan/method.ts';
import { SSLGAN_OPTIONS } from '../sslgan/options.ts';
import type { MethodDefinition } from '../types.ts';

const OPTIONS = {
  ...SSLGAN_OPTIONS,
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
type Config = TrainConfig & OptionsOf<typeof OPTIONS>;

/**
 * The K+1 game with D asked to agree with itself under its own noise on unlabelled images
 * (Wei et al. 2018), and optionally to be sure of them (entropy minimisation).
 */
export const sslganCt: MethodDefinition<typeof OPTIONS> = {
  id: 'sslgan-ct',
  kind: 'gan',
  summary: 'the K+1 GAN plus a consistency term on unlabelled images (CT-GAN)',
  options: OPTIONS,
  runName: (cfg) => `${gameName('sslgan-ct', cfg)}${(cfg as Config).entropyWeight > 0 ? '-ent' : ''}`,
  runTag: (cfg) => `ct-${tag(cfg)}`,
  variants: {
    'sslgan-ct-mlp': { settings: { arch: 'mlp' } },
    'sslgan-ct-dcgan': { settings: { arch: 'dcgan' } },
  },
  adapt: sslgan.adapt,
  create(setup) {
    const cfg = setup.cfg as Config;
    return createSslgan(setup, {
      extraDLoss: ({ D, logitsUnl, xUnl, seeds }) => {
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
      },
    });
  },
};
