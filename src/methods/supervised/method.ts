import * as tf from '@tensorflow/tfjs';
import { gatherImages, gatherLabels, IndexStream } from '../../data/batch.ts';
import { labelledSet } from '../../data/labelled.ts';
import { buildDiscriminator } from '../../models/index.ts';
import { updateEma } from '../../train/ema.ts';
import { stepSeeds } from '../../train/step-seeds.ts';
import { createRng } from '../../util/random.ts';
import { adamFor, evalClassifier, initNetworks, modelSpec, setLearningRate } from '../shared/networks.ts';
import type { Method, MethodSetup } from '../types.ts';
import type { SupervisedConfig } from './options.ts';
import { shiftImages } from '../../data/augment.ts';
import { supervisedStep } from './step.ts';

/** The same classifier trained on the labelled images only: the baseline every gain is measured against. */
export function createSupervised({ cfg: base, ds, split }: MethodSetup): Method {
  const cfg = base as SupervisedConfig;
  const lab = labelledSet(ds, split.labelled, cfg.augmentWith);
  const all = Int32Array.from({ length: lab.count }, (_, i) => i);
  const spec = modelSpec(cfg, ds);
  const D = buildDiscriminator(spec);
  const Dema = buildDiscriminator(spec);
  // Only labelled images seed the init: a baseline sees nothing else.
  initNetworks(cfg, spec, { D, Dema }, lab, all);
  const optD = adamFor(cfg);
  const labStream = new IndexStream(all, createRng(cfg.seed, 'labelled'));
  const B = cfg.batchSize;
  const { height: H, width: W, channels: C } = lab;
  const generated = lab.count - split.labelled.length;

  return {
    spec,
    labelled: lab,
    imagesPerStep: B,
    generator: null,
    nets: () => ({ D: D.params, 'D-ema': Dema.params }),
    optimizers: () => ({ D: optD }),
    seek(step) {
      for (let i = 0; i < step; i++) labStream.next(B);
    },
    setLearningRate: (lr) => setLearningRate(optD, lr),
    trainStep(step) {
      const labIdx = labStream.next(B);
      const data = gatherImages(lab, labIdx);
      if (cfg.augment === 'shift') shiftImages(data, labIdx.length, H, W, C, createRng(cfg.seed, `shift/${step}`));
      const xLab = tf.tensor4d(data, [labIdx.length, H, W, C]);
      const yLab = tf.tensor1d(gatherLabels(lab, labIdx), 'int32');
      try {
        const out = supervisedStep(D, optD, xLab, yLab, stepSeeds(cfg.seed, step).dNoise);
        updateEma(Dema.params, D.params, cfg.emaDecay, step);
        return out;
      } finally {
        tf.dispose([xLab, yLab]);
      }
    },
    classify: evalClassifier(Dema),
    recordExtras: () => ({ augmentCount: generated }),
    describeData: () => `${split.labelled.length} labelled${generated ? ` + ${generated} generated` : ''}`,
    dispose() {
      D.params.dispose();
      Dema.params.dispose();
      optD.dispose();
    },
  };
}
