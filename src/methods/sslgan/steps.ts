import * as tf from '@tensorflow/tfjs';
import { realnessLogit, supervisedLoss, unsupervisedLoss } from '../../losses/kplus1.ts';
import { featureMatchingLoss, minimaxGeneratorLoss } from '../../losses/generator.ts';
import { criticLoss, gradientPenalty, wganGeneratorLoss } from '../../losses/wgan.ts';
import { sampleLatent } from '../../models/index.ts';
import type { Discriminator, Generator, ModelSpec } from '../../models/types.ts';
import type { StepSeeds } from '../../train/step-seeds.ts';
import type { SslganConfig } from './options.ts';

export interface StepBatch {
  xLab: tf.Tensor4D;
  yLab: tf.Tensor1D;
  /** Unlabelled real images for D's update. */
  xUnl: tf.Tensor4D;
}

export interface StepLosses {
  lossLab: number;
  lossUnl: number;
  accLab: number;
}

/** What a variant of the K+1 game adds to D's loss, from the same forward pass. */
export type ExtraDLoss = (p: {
  D: Discriminator;
  /** Logits of the unlabelled rows of D's pass. */
  logitsUnl: tf.Tensor2D;
  xUnl: tf.Tensor4D;
  seeds: StepSeeds;
}) => { loss: tf.Scalar; logs: Record<string, tf.Scalar> };

export function sliceRows(t: tf.Tensor2D | tf.Tensor1D, start: number, n: number) {
  return t.rank === 1 ? tf.slice(t, [start], [n]) : tf.slice(t, [start, 0], [n, t.shape[1]!]);
}

/**
 * One discriminator update. Labelled, unlabelled and generated images go through D in one
 * concatenated batch: D has no batch norm, so this equals three calls and runs one large GEMM.
 */
export function discriminatorStep(
  cfg: SslganConfig,
  spec: ModelSpec,
  D: Discriminator,
  G: Generator,
  opt: tf.Optimizer,
  b: StepBatch,
  s: StepSeeds,
  extra?: ExtraDLoss,
): StepLosses & { extra: Record<string, number> } {
  return tf.tidy(() => {
    const nL = b.xLab.shape[0];
    const nU = b.xUnl.shape[0];
    const gen = tf.tidy(() =>
      G.apply(sampleLatent(spec.arch, nU, spec.latentDim, s.zD), { training: true, seed: s.gNoiseD }),
    );
    const kept: tf.Tensor[] = [];
    const extraKept: Record<string, tf.Tensor> = {};
    const { grads } = tf.variableGrads(() => {
      const x = tf.concat([b.xLab, b.xUnl, gen]) as tf.Tensor4D;
      const out = D.apply(x, { training: true, seed: s.dNoise });
      const logitsLab = sliceRows(out.logits, 0, nL) as tf.Tensor2D;
      const lossLab = supervisedLoss(logitsLab, b.yLab);
      const acc = tf.mean(tf.cast(tf.equal(tf.argMax(logitsLab, 1), tf.cast(b.yLab, 'int32')), 'float32'));
      const d = realnessLogit(out.logits, out.fakeLogit);
      const dUnl = sliceRows(d, nL, nU) as tf.Tensor1D;
      const dGen = sliceRows(d, nL + nU, gen.shape[0]) as tf.Tensor1D;
      let lossUnl: tf.Scalar;
      if (cfg.gan === 'wgan-gp' || cfg.gan === 'wgan-clip') {
        lossUnl = criticLoss(dUnl, dGen);
        if (cfg.gan === 'wgan-gp') {
          const critic = (xi: tf.Tensor4D) => {
            const o = D.apply(xi, { training: true, seed: s.dNoise + 1 });
            return realnessLogit(o.logits, o.fakeLogit);
          };
          const eps = tf.randomUniform([nU, 1, 1, 1], 0, 1, 'float32', s.gpEps);
          lossUnl = tf.add(lossUnl, tf.mul(cfg.gpWeight, gradientPenalty(critic, b.xUnl, gen, eps)));
        }
      } else {
        lossUnl = unsupervisedLoss(dUnl, dGen, cfg.labelSmoothing);
      }
      kept.push(tf.keep(lossLab.clone()), tf.keep(lossUnl.clone()), tf.keep(acc));
      const total = tf.add(lossLab, tf.mul(cfg.unlabelledWeight, lossUnl)) as tf.Scalar;
      if (!extra) return total;
      const logitsUnl = sliceRows(out.logits, nL, nU) as tf.Tensor2D;
      const e = extra({ D, logitsUnl, xUnl: b.xUnl, seeds: s });
      for (const [k, v] of Object.entries(e.logs)) extraKept[k] = tf.keep(v.clone());
      return tf.add(total, e.loss) as tf.Scalar;
    }, D.params.trainable());
    opt.applyGradients(grads);
    if (cfg.gan === 'wgan-clip') clipWeights(D, cfg.clipValue);
    const [lossLab, lossUnl, acc] = kept.map((t) => t.dataSync()[0]);
    const extraLogs = Object.fromEntries(Object.entries(extraKept).map(([k, t]) => [k, t.dataSync()[0]]));
    // Kept tensors outlive every tidy, so they are released here.
    tf.dispose([...kept, ...Object.values(extraKept)]);
    return { lossLab, lossUnl, accLab: acc, extra: extraLogs };
  });
}

/**
 * Weight clipping keeps the critic Lipschitz where second-order gradients are unavailable.
 * Weight-norm directions (`/v`) are scale-free, so only scales, biases and plain weights are clipped.
 */
function clipWeights(D: Discriminator, c: number): void {
  tf.tidy(() => {
    for (const [name, v] of D.params.vars) if (!name.endsWith('/v')) v.assign(tf.clipByValue(v, -c, c));
  });
}

export function generatorStep(
  cfg: SslganConfig,
  spec: ModelSpec,
  D: Discriminator,
  G: Generator,
  opt: tf.Optimizer,
  xUnl2: tf.Tensor4D,
  s: StepSeeds,
): number {
  return tf.tidy(() => {
    const n = xUnl2.shape[0];
    const { value, grads } = tf.variableGrads(() => {
      const gen = G.apply(sampleLatent(spec.arch, n, spec.latentDim, s.zG), { training: true, seed: s.gNoiseG });
      if (cfg.gLoss === 'feature-matching') {
        // Noise stays on in D here, as in the reference implementation.
        const out = D.apply(tf.concat([xUnl2, gen]) as tf.Tensor4D, { training: true, seed: s.dNoiseG });
        const fReal = sliceRows(out.features, 0, n) as tf.Tensor2D;
        const fGen = sliceRows(out.features, n, n) as tf.Tensor2D;
        return featureMatchingLoss(fReal, fGen);
      }
      const out = D.apply(gen, { training: true, seed: s.dNoiseG });
      const dGen = realnessLogit(out.logits, out.fakeLogit);
      return cfg.gan === 'standard' ? minimaxGeneratorLoss(dGen) : wganGeneratorLoss(dGen);
    }, G.params.trainable());
    opt.applyGradients(grads);
    return value.dataSync()[0];
  });
}
