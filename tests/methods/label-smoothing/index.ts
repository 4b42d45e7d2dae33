import * as tf from '@tensorflow/tfjs';
import type { OptionsOf } from '../../../src/config/options.ts';
import type { TrainConfig } from '../../../src/config/train-config.ts';
import { batchTensor, gatherLabels, IndexStream } from '../../../src/data/batch.ts';
import { labelledSet } from '../../../src/data/labelled.ts';
import { buildDiscriminator } from '../../../src/models/index.ts';
import {
  adamFor,
  evalClassifier,
  initNetworks,
  modelSpec,
  setLearningRate,
} from '../../../src/methods/shared/networks.ts';
import type { MethodDefinition } from '../../../src/methods/types.ts';
import { updateEma } from '../../../src/train/ema.ts';
import { stepSeeds } from '../../../src/train/step-seeds.ts';
import { createRng } from '../../../src/util/random.ts';

/**
 * An example method, kept with the tests: the supervised classifier with label smoothing. It is
 * one folder plus one registry line, and nothing else in the toolkit knows of it.
 */
const OPTIONS = {
  smoothing: { type: 'number', default: 0.1, min: 0, max: 0.9, describe: 'label smoothing of the targets' },
} as const;
type Config = TrainConfig & OptionsOf<typeof OPTIONS>;

export const labelSmoothing: MethodDefinition<typeof OPTIONS> = {
  id: 'supervised-smooth',
  kind: 'baseline',
  summary: 'supervised, with label smoothing',
  options: OPTIONS,
  runName: (cfg) => `supervised-smooth-${(cfg as Config).smoothing}`,
  runTag: () => 'smooth',
  variants: { 'supervised-smooth-0.1': { settings: { smoothing: 0.1 } } },
  create({ cfg: base, ds, split }) {
    const cfg = base as Config;
    const lab = labelledSet(ds, split.labelled);
    const all = Int32Array.from({ length: lab.count }, (_, i) => i);
    const spec = modelSpec(cfg, ds);
    const D = buildDiscriminator(spec);
    const Dema = buildDiscriminator(spec);
    initNetworks(cfg, spec, { D, Dema }, lab, all);
    const opt = adamFor(cfg);
    const stream = new IndexStream(all, createRng(cfg.seed, 'labelled'));
    const K = ds.numClasses;
    return {
      spec,
      labelled: lab,
      imagesPerStep: cfg.batchSize,
      generator: null,
      nets: () => ({ D: D.params, 'D-ema': Dema.params }),
      optimizers: () => ({ D: opt }),
      seek: (step) => {
        for (let i = 0; i < step; i++) stream.next(cfg.batchSize);
      },
      setLearningRate: (lr) => setLearningRate(opt, lr),
      trainStep(step) {
        const idx = stream.next(cfg.batchSize);
        const lossLab = tf.tidy(() => {
          const x = batchTensor(lab, idx);
          const y = tf.oneHot(tf.tensor1d(gatherLabels(lab, idx), 'int32'), K);
          const target = tf.add(tf.mul(y, 1 - cfg.smoothing), cfg.smoothing / K);
          const { value, grads } = tf.variableGrads(() => {
            const { logits } = D.apply(x, { training: true, seed: stepSeeds(cfg.seed, step).dNoise });
            return tf.losses.softmaxCrossEntropy(target, logits) as tf.Scalar;
          }, D.params.trainable());
          opt.applyGradients(grads);
          return value.dataSync()[0];
        });
        updateEma(Dema.params, D.params, cfg.emaDecay, step);
        return { lossLab };
      },
      classify: evalClassifier(Dema),
      recordExtras: () => ({}),
      describeData: () => `${split.labelled.length} labelled`,
      dispose() {
        D.params.dispose();
        Dema.params.dispose();
        opt.dispose();
      },
    };
  },
};
