import * as tf from '@tensorflow/tfjs';
import { gatherImages, gatherLabels } from '../../data/batch.ts';
import { labelledSet } from '../../data/labelled.ts';
import { buildDiscriminator } from '../../models/index.ts';
import { updateEma } from '../../train/ema.ts';
import { stepSeeds } from '../../train/step-seeds.ts';
import { createRng } from '../../util/random.ts';
import { batchDrawer } from './batches.ts';
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
  const B = cfg.batchSize;
  const { height: H, width: W, channels: C } = lab;
  const nReal = split.labelled.length;
  const generated = lab.count - nReal;
  // Rows past the split's labelled ones are the --augment-with images; before
  // --synthetic-from-step, the init and the batches use the real rows alone, exactly as a run
  // without them would.
  const delayed = generated > 0 && cfg.syntheticFromStep > 0;
  // Only labelled images seed the init: a baseline sees nothing else.
  initNetworks(cfg, spec, { D, Dema }, lab, delayed ? all.slice(0, nReal) : all);
  const optD = adamFor(cfg);
  const nextBatch = batchDrawer({
    real: nReal,
    synthetic: generated,
    batchSize: B,
    seed: cfg.seed,
    fromStep: cfg.syntheticFromStep,
    share: cfg.syntheticShare || undefined,
  });
  const weighted = generated > 0 && cfg.syntheticWeight !== 1;

  return {
    spec,
    labelled: lab,
    imagesPerStep: B,
    generator: null,
    nets: () => ({ D: D.params, 'D-ema': Dema.params }),
    optimizers: () => ({ D: optD }),
    seek(step) {
      for (let i = 0; i < step; i++) nextBatch(i);
    },
    setLearningRate: (lr) => setLearningRate(optD, lr),
    trainStep(step) {
      const labIdx = nextBatch(step);
      const data = gatherImages(lab, labIdx);
      if (cfg.augment === 'shift') shiftImages(data, labIdx.length, H, W, C, createRng(cfg.seed, `shift/${step}`));
      const xLab = tf.tensor4d(data, [labIdx.length, H, W, C]);
      const yLab = tf.tensor1d(gatherLabels(lab, labIdx), 'int32');
      const weights = weighted
        ? tf.tensor1d(Float32Array.from(labIdx, (i) => (i >= nReal ? cfg.syntheticWeight : 1)))
        : undefined;
      try {
        const out = supervisedStep(D, optD, xLab, yLab, stepSeeds(cfg.seed, step).dNoise, weights);
        updateEma(Dema.params, D.params, cfg.emaDecay, step);
        return out;
      } finally {
        tf.dispose([xLab, yLab, ...(weights ? [weights] : [])]);
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
