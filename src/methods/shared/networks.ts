import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../config/train-config.ts';
import { batchTensor } from '../../data/batch.ts';
import type { Dataset, ImageSet } from '../../data/types.ts';
import { sampleLatent } from '../../models/index.ts';
import type { Discriminator, Generator, ModelSpec } from '../../models/types.ts';
import { adam } from '../../train/adam.ts';
import { copyParams } from '../../train/ema.ts';
import { createRng } from '../../util/random.ts';

/** The networks' shape for this data and these settings; the init seed comes from the run seed. */
export function modelSpec(cfg: TrainConfig, ds: Dataset, minibatchDisc = false): ModelSpec {
  const { height: H, width: W, channels: C } = ds.train;
  return {
    arch: cfg.arch,
    head: cfg.head,
    imageShape: [H, W, C],
    numClasses: ds.numClasses,
    latentDim: cfg.latentDim,
    initSeed: createRng(cfg.seed, 'init').seedInt(),
    minibatchDisc,
    minibatchGroup: cfg.batchSize,
  };
}

/**
 * Weight norm's data-dependent init from up to `initBatch` images of `set` at `pool`, for D, its
 * EMA copy (which then takes D's weights) and the generator if there is one. The seeds are drawn
 * in a fixed order, so every method that shares this start starts identically.
 */
export function initNetworks(
  cfg: TrainConfig,
  spec: ModelSpec,
  nets: { D: Discriminator; Dema: Discriminator; G?: Generator },
  set: ImageSet,
  pool: ArrayLike<number>,
): void {
  const initRng = createRng(cfg.seed, 'init-batch');
  const initIdx = initRng.shuffle(Int32Array.from(pool)).slice(0, cfg.initBatch);
  tf.tidy(() => {
    const x = batchTensor(set, initIdx);
    nets.D.apply(x, { training: true, init: true, seed: initRng.seedInt() });
    nets.Dema.apply(tf.slice(x, 0, 1), { training: false, seed: 0 });
    if (nets.G) {
      const z = sampleLatent(spec.arch, cfg.batchSize, spec.latentDim, initRng.seedInt());
      nets.G.apply(z, { training: true, init: true, seed: initRng.seedInt() });
    }
  });
  copyParams(nets.Dema.params, nets.D.params);
}

export function adamFor(cfg: TrainConfig): tf.Optimizer {
  return adam(cfg.lr, cfg.beta1, cfg.beta2, cfg.adamEpsilon);
}

/** tfjs reads `learningRate` at every update but exposes no setter; the linear decay needs one. */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** The evaluation-mode classifier: EMA weights, noise off. */
export function evalClassifier(Dema: Discriminator): (x: tf.Tensor4D) => tf.Tensor2D {
  return (x) => Dema.apply(x, { training: false, seed: 0 }).logits;
}

/** A generator as the rest of the toolkit samples it (batch statistics, as in training). */
export function generatorView(G: Generator, spec: ModelSpec) {
  return {
    latentDim: spec.latentDim,
    conditional: false,
    sample: (z: tf.Tensor2D) => G.apply(z, { training: true, seed: 0 }),
    latent: (n: number, seed: number) => sampleLatent(spec.arch, n, spec.latentDim, seed),
  };
}
