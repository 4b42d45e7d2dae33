import * as tf from '@tensorflow/tfjs';
import { supervisedLoss, realnessLogit, unsupervisedLoss } from '../losses/kplus1.ts';
import { featureMatchingLoss } from '../losses/generator.ts';
import { buildDiscriminator, buildGenerator, sampleLatent } from '../models/index.ts';
import type { ModelSpec } from '../models/types.ts';
import { adam } from '../train/adam.ts';

/** Timed steps after the warm-up ones; ~0.2 s on wasm + native, ~0.6 s on node (2-core machine). */
export const PROBE_STEPS = 3;
const B = 100;

/**
 * Images per second of the paper's mlp K+1 GAN step (D on 100 labelled + 100 unlabelled + 100
 * generated images, then G by feature matching, Adam on both) on the backend now set. The whole
 * step rather than a matmul/conv mix: what separates the backends here is less GEMM speed than
 * per-kernel overhead and the fused layers, and only the real step has the real count of small
 * kernels. mlp rather than dcgan because it is the default and takes a tenth of the time; the
 * dcgan ratios point the same way (scripts/bench-backends.ts). The numbers do not matter, so the
 * images are seeded noise and no dataset is read.
 */
export function probeImagesPerSecond(steps = PROBE_STEPS): number {
  const spec: ModelSpec = {
    arch: 'mlp',
    head: 'implicit',
    imageShape: [28, 28, 1],
    numClasses: 10,
    latentDim: 100,
    initSeed: 1,
  };
  const D = buildDiscriminator(spec);
  const G = buildGenerator(spec);
  const optD = adam(0.003, 0.5, 0.999, 1e-8);
  const optG = adam(0.003, 0.5, 0.999, 1e-8);
  const xLab = tf.randomUniform([B, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const yLab = tf.tensor1d(
    Array.from({ length: B }, (_, i) => i % 10),
    'int32',
  );
  const xUnl = tf.randomUniform([B, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
  try {
    tf.tidy(() => {
      D.apply(xUnl, { training: true, init: true, seed: 1 });
      G.apply(sampleLatent('mlp', B, 100, 2), { training: true, init: true, seed: 3 });
    });
    const step = (t: number) =>
      tf.tidy(() => {
        const gen = tf.tidy(() => G.apply(sampleLatent('mlp', B, 100, 10 + t), { training: true, seed: 20 + t }));
        const { grads: gD } = tf.variableGrads(() => {
          const out = D.apply(tf.concat([xLab, xUnl, gen]) as tf.Tensor4D, { training: true, seed: 30 + t });
          const d = realnessLogit(out.logits, out.fakeLogit);
          const lab = supervisedLoss(tf.slice(out.logits, [0, 0], [B, 10]), yLab);
          return tf.add(lab, unsupervisedLoss(tf.slice(d, [B], [B]), tf.slice(d, [2 * B], [B]))) as tf.Scalar;
        }, D.params.trainable());
        optD.applyGradients(gD);
        const { value, grads: gG } = tf.variableGrads(() => {
          const g = G.apply(sampleLatent('mlp', B, 100, 40 + t), { training: true, seed: 50 + t });
          const out = D.apply(tf.concat([xUnl, g]) as tf.Tensor4D, { training: true, seed: 60 + t });
          return featureMatchingLoss(
            tf.slice(out.features, [0, 0], [B, -1]) as tf.Tensor2D,
            tf.slice(out.features, [B, 0], [B, -1]) as tf.Tensor2D,
          );
        }, G.params.trainable());
        optG.applyGradients(gG);
        // Reading the loss waits for the step to finish on every backend.
        value.dataSync();
      });
    // Two warm-up steps: the first compiles and allocates on every backend.
    step(0);
    step(1);
    const t0 = performance.now();
    for (let t = 0; t < steps; t++) step(t + 2);
    return (steps * 3 * B) / ((performance.now() - t0) / 1000);
  } finally {
    tf.dispose([xLab, yLab, xUnl]);
    D.params.dispose();
    G.params.dispose();
    optD.dispose();
    optG.dispose();
  }
}
