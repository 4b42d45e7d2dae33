import * as tf from '@tensorflow/tfjs';
import { batchTensor, gatherLabels } from '../../data/batch.ts';
import { conditionalGenerator, conditionalView } from '../../models/conditional.ts';
import { buildDiscriminator, sampleLatent } from '../../models/index.ts';
import type { Discriminator, ModelSpec } from '../../models/types.ts';
import { updateEma } from '../../train/ema.ts';
import { stepSeeds } from '../../train/step-seeds.ts';
import { createRng } from '../../util/random.ts';
import { adamFor, evalClassifier, initNetworks, modelSpec, setLearningRate } from '../shared/networks.ts';
import { ganBatches } from '../shared/gan-batches.ts';
import { realBatch } from '../shared/real-batch.ts';
import { realAugmenter } from '../sslgan-aug/augmenter.ts';
import type { Method, MethodSetup } from '../types.ts';
import type { SslganCondConfig } from './options.ts';
import { condDiscriminatorStep, condGeneratorStep } from './steps.ts';

/** G's classes for one update: uniform, or D's (noise-off) labels for real unlabelled images (Triple-GAN). */
function conditioningClasses(
  cfg: SslganCondConfig,
  D: Discriminator,
  x: tf.Tensor4D,
  K: number,
  label: string,
): tf.Tensor1D {
  if (cfg.condLabels === 'classifier')
    return tf.tidy(
      () => tf.cast(tf.argMax(D.apply(x, { training: false, seed: 0 }).logits, 1), 'int32') as tf.Tensor1D,
    );
  const rng = createRng(cfg.seed, label);
  return tf.tensor1d(
    Int32Array.from({ length: x.shape[0] }, () => rng.int(K)),
    'int32',
  );
}

/**
 * The K+1 GAN with a class-conditional generator: G(z, y) plays sslgan's game, and both nets
 * also play AC-GAN's class game on its samples (Odena et al. 2017), so that G's samples of
 * class y are what D calls y, the property labelled synthetic data needs.
 */
export function createSslganCond({ cfg: base, ds, split }: MethodSetup): Method {
  const cfg = base as SslganCondConfig;
  const batches = ganBatches(cfg, ds, split);
  const { lab, pool } = batches;
  const spec: ModelSpec = { ...modelSpec(cfg, ds), conditional: true };
  const K = spec.numClasses;
  const D = buildDiscriminator(spec);
  const Dema = buildDiscriminator(spec);
  const G = conditionalGenerator(spec);
  initNetworks(cfg, spec, { D, Dema }, ds.train, pool);
  const gInit = createRng(cfg.seed, 'init-g');
  tf.tidy(() => {
    const z = sampleLatent(spec.arch, cfg.batchSize, spec.latentDim, gInit.seedInt());
    const y = tf.tensor1d(
      Int32Array.from({ length: cfg.batchSize }, (_, i) => i % K),
      'int32',
    );
    G.apply(z, y, { training: true, init: true, seed: gInit.seedInt() });
  });
  const optD = adamFor(cfg);
  const optG = adamFor(cfg);
  const B = cfg.batchSize;
  // sslgan-aug's shifts (no flips: digits), the same random streams.
  const augment = cfg.augShift ? realAugmenter({ ...cfg, augFlip: false }, ds.train) : undefined;

  return {
    spec,
    labelled: lab,
    imagesPerStep: 3 * B,
    generator: conditionalView(G, spec),
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
      const xLab = realBatch(lab, idx.lab, step, 'labelled', augment);
      const yLab = tf.tensor1d(gatherLabels(lab, idx.lab), 'int32');
      const xUnl = realBatch(ds.train, idx.unl, step, 'unlabelled', augment);
      const xUnl2 = batchTensor(ds.train, idx.unlG);
      const yGen = conditioningClasses(cfg, D, xUnl, K, `cond-d/${step}`);
      const yG = conditioningClasses(cfg, D, xUnl2, K, `cond-g/${step}`);
      try {
        const d = condDiscriminatorStep(cfg, spec, D, G, optD, { xLab, yLab, xUnl, yGen }, s);
        updateEma(Dema.params, D.params, cfg.emaDecay, step);
        const g = condGeneratorStep(cfg, spec, D, G, optG, xUnl2, yG, s);
        return {
          lossLab: d.lossLab,
          lossUnl: d.lossUnl,
          lossAux: d.lossAux,
          lossGen: g.lossGen,
          lossGenAux: g.lossGenAux,
          trainAccuracy: d.accLab,
          genClassAccuracy: d.accGen,
        };
      } finally {
        tf.dispose([xLab, yLab, xUnl, xUnl2, yGen, yG]);
      }
    },
    classify: evalClassifier(Dema),
    recordExtras: () => ({ augmentCount: 0 }),
    describeData: () => `${split.labelled.length} labelled, ${pool.length} unlabelled, generator conditioned on class`,
    dispose() {
      D.params.dispose();
      Dema.params.dispose();
      G.params.dispose();
      optD.dispose();
      optG.dispose();
    },
  };
}
