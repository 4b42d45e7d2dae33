import * as tf from '@tensorflow/tfjs';
import { featureMatchingLoss, minimaxGeneratorLoss } from '../../losses/generator.ts';
import { realnessLogit, supervisedLoss, unsupervisedLoss } from '../../losses/kplus1.ts';
import type { ConditionalGenerator } from '../../models/conditional.ts';
import { sampleLatent } from '../../models/index.ts';
import type { Discriminator, ModelSpec } from '../../models/types.ts';
import type { StepSeeds } from '../../train/step-seeds.ts';
import { sliceRows } from '../sslgan/steps.ts';
import type { SslganCondConfig } from './options.ts';

export interface CondBatch {
  xLab: tf.Tensor4D;
  yLab: tf.Tensor1D;
  /** Unlabelled real images for D's update. */
  xUnl: tf.Tensor4D;
  /** The classes G draws for D's update. */
  yGen: tf.Tensor1D;
}

export interface CondLosses {
  lossLab: number;
  lossUnl: number;
  /** Cross-entropy of D's class for G(z, y) against y. */
  lossAux: number;
  accLab: number;
  /** How often D's class for G(z, y) is y. */
  accGen: number;
}

const accuracy = (logits: tf.Tensor2D, y: tf.Tensor1D) =>
  tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32'));

/**
 * One discriminator update: sslgan's K+1 losses on labelled, unlabelled and generated images in
 * one batch, plus AC-GAN's auxiliary term, which trains D to call G(z, y) class y.
 */
export function condDiscriminatorStep(
  cfg: SslganCondConfig,
  spec: ModelSpec,
  D: Discriminator,
  G: ConditionalGenerator,
  opt: tf.Optimizer,
  b: CondBatch,
  s: StepSeeds,
): CondLosses {
  return tf.tidy(() => {
    const nL = b.xLab.shape[0];
    const nU = b.xUnl.shape[0];
    const nG = b.yGen.shape[0];
    const gen = tf.tidy(() =>
      G.apply(sampleLatent(spec.arch, nG, spec.latentDim, s.zD), b.yGen, { training: true, seed: s.gNoiseD }),
    );
    const kept: tf.Tensor[] = [];
    const { grads } = tf.variableGrads(() => {
      const out = D.apply(tf.concat([b.xLab, b.xUnl, gen]) as tf.Tensor4D, { training: true, seed: s.dNoise });
      const logitsLab = sliceRows(out.logits, 0, nL) as tf.Tensor2D;
      const logitsGen = sliceRows(out.logits, nL + nU, nG) as tf.Tensor2D;
      const d = realnessLogit(out.logits, out.fakeLogit);
      const lossLab = supervisedLoss(logitsLab, b.yLab);
      const lossUnl = unsupervisedLoss(
        sliceRows(d, nL, nU) as tf.Tensor1D,
        sliceRows(d, nL + nU, nG) as tf.Tensor1D,
        cfg.labelSmoothing,
      );
      const lossAux = supervisedLoss(logitsGen, b.yGen);
      kept.push(
        ...[lossLab, lossUnl, lossAux].map((t) => tf.keep(t.clone())),
        tf.keep(accuracy(logitsLab, b.yLab)),
        tf.keep(accuracy(logitsGen, b.yGen)),
      );
      return tf.addN([lossLab, tf.mul(cfg.unlabelledWeight, lossUnl), tf.mul(cfg.auxWeightD, lossAux)]) as tf.Scalar;
    }, D.params.trainable());
    opt.applyGradients(grads);
    const [lossLab, lossUnl, lossAux, accLab, accGen] = kept.map((t) => t.dataSync()[0]);
    tf.dispose(kept);
    return { lossLab, lossUnl, lossAux, accLab, accGen };
  });
}

/**
 * One generator update: feature matching (or the minimax loss) against D, plus the class term
 * that asks D to call G(z, y) class y.
 */
export function condGeneratorStep(
  cfg: SslganCondConfig,
  spec: ModelSpec,
  D: Discriminator,
  G: ConditionalGenerator,
  opt: tf.Optimizer,
  xUnl2: tf.Tensor4D,
  yG: tf.Tensor1D,
  s: StepSeeds,
): { lossGen: number; lossGenAux: number } {
  return tf.tidy(() => {
    const n = yG.shape[0];
    let aux: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const gen = G.apply(sampleLatent(spec.arch, n, spec.latentDim, s.zG), yG, {
        training: true,
        seed: s.gNoiseG,
      });
      let game: tf.Scalar;
      let logitsGen: tf.Tensor2D;
      if (cfg.gLoss === 'feature-matching') {
        // Noise stays on in D here, as in sslgan's generator step.
        const out = D.apply(tf.concat([xUnl2, gen]) as tf.Tensor4D, { training: true, seed: s.dNoiseG });
        const m = xUnl2.shape[0];
        game = featureMatchingLoss(
          sliceRows(out.features, 0, m) as tf.Tensor2D,
          sliceRows(out.features, m, n) as tf.Tensor2D,
        );
        logitsGen = sliceRows(out.logits, m, n) as tf.Tensor2D;
      } else {
        const out = D.apply(gen, { training: true, seed: s.dNoiseG });
        game = minimaxGeneratorLoss(realnessLogit(out.logits, out.fakeLogit));
        logitsGen = out.logits;
      }
      const lossAux = supervisedLoss(logitsGen, yG);
      aux = tf.keep(lossAux.clone());
      return tf.add(game, tf.mul(cfg.auxWeightG, lossAux)) as tf.Scalar;
    }, G.params.trainable());
    opt.applyGradients(grads);
    const lossGenAux = aux!.dataSync()[0];
    aux!.dispose();
    return { lossGen: value.dataSync()[0], lossGenAux };
  });
}
