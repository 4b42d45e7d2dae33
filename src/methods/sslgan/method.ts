import * as tf from '@tensorflow/tfjs';
import { batchTensor, gatherLabels } from '../../data/batch.ts';
import { buildDiscriminator, buildGenerator } from '../../models/index.ts';
import { updateEma } from '../../train/ema.ts';
import { stepSeeds } from '../../train/step-seeds.ts';
import { ganBatches } from '../shared/gan-batches.ts';
import { realBatch, type Augment } from '../shared/real-batch.ts';
import type { Method, MethodSetup } from '../types.ts';
import {
  adamFor,
  evalClassifier,
  generatorView,
  initNetworks,
  modelSpec,
  setLearningRate,
} from '../shared/networks.ts';
import type { SslganConfig } from './options.ts';
import { discriminatorStep, generatorStep, type ExtraDLoss } from './steps.ts';

/** What a variant of the K+1 game changes: an extra term in D's loss, augmented real batches. */
export interface SslganVariant {
  extraDLoss?: ExtraDLoss;
  augment?: Augment;
}

/**
 * The K+1-class GAN of Salimans et al. 2016: D classifies labelled images, tells unlabelled from
 * generated ones through the log-sum-exp of its logits, and G chases D's features.
 */
export function createSslgan({ cfg: base, ds, split }: MethodSetup, variant: SslganVariant = {}): Method {
  const cfg = base as SslganConfig;
  const batches = ganBatches(cfg, ds, split);
  const { lab, pool } = batches;
  const spec = modelSpec(cfg, ds, cfg.minibatchDisc);
  const D = buildDiscriminator(spec);
  const Dema = buildDiscriminator(spec);
  const G = buildGenerator(spec);
  initNetworks(cfg, spec, { D, Dema, G }, ds.train, pool);
  const optD = adamFor(cfg);
  const optG = adamFor(cfg);
  const B = cfg.batchSize;

  return {
    spec,
    labelled: lab,
    imagesPerStep: 3 * B,
    generator: generatorView(G, spec),
    nets: () => ({ D: D.params, 'D-ema': Dema.params, G: G.params }),
    optimizers: () => ({ D: optD, G: optG }),
    seek: batches.seek,
    setLearningRate(lr) {
      setLearningRate(optD, lr);
      setLearningRate(optG, lr * cfg.gLrMult);
    },
    trainStep(step) {
      const s = stepSeeds(cfg.seed, step);
      const idx = batches.next();
      const xLab = realBatch(lab, idx.lab, step, 'labelled', variant.augment);
      const yLab = tf.tensor1d(gatherLabels(lab, idx.lab), 'int32');
      const xUnl = realBatch(ds.train, idx.unl, step, 'unlabelled', variant.augment);
      const xUnl2 = batchTensor(ds.train, idx.unlG);
      try {
        const d = discriminatorStep(cfg, spec, D, G, optD, { xLab, yLab, xUnl }, s, variant.extraDLoss);
        updateEma(Dema.params, D.params, cfg.emaDecay, step);
        let lossGen = NaN;
        for (let k = 0; k < cfg.gSteps; k++) {
          const seeds = k === 0 ? s : stepSeeds(cfg.seed + 7919 * k, step);
          lossGen = generatorStep(cfg, spec, D, G, optG, xUnl2, seeds);
        }
        return { lossLab: d.lossLab, lossUnl: d.lossUnl, lossGen, trainAccuracy: d.accLab, ...d.extra };
      } finally {
        tf.dispose([xLab, yLab, xUnl, xUnl2]);
      }
    },
    classify: evalClassifier(Dema),
    recordExtras: () => ({ augmentCount: 0 }),
    describeData: () => `${split.labelled.length} labelled, ${pool.length} unlabelled`,
    dispose() {
      D.params.dispose();
      Dema.params.dispose();
      G.params.dispose();
      optD.dispose();
      optG.dispose();
    },
  };
}
