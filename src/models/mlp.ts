import * as tf from '@tensorflow/tfjs';
import { batchNorm, dense, gaussianNoise, wnDense, type LayerCtx, type Mode } from './layers.ts';
import { minibatchLayer } from './minibatch-disc.ts';
import { ParamStore } from './params.ts';
import type { Discriminator, Generator, ModelSpec } from './types.ts';

/** The paper's MNIST discriminator: input noise 0.3, WN dense 1000-500-250-250-250 + noise 0.5, WN dense K. */
export function mlpDiscriminator(spec: ModelSpec): Discriminator {
  const params = new ParamStore('D');
  const hidden = [1000, 500, 250, 250, 250];
  const outUnits = spec.head === 'explicit' ? spec.numClasses + 1 : spec.numClasses;
  return {
    params,
    apply(x, mode) {
      const ctx: LayerCtx = { p: params, mode, initSeed: spec.initSeed };
      let h = gaussianNoise(ctx, tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D, 0.3, 0);
      let features = h;
      hidden.forEach((units, i) => {
        features = wnDense(ctx, `dense${i}`, h, units, i + 1, { activation: 'relu' });
        h = gaussianNoise(ctx, features, 0.5, i + 1);
      });
      if (spec.minibatchDisc) h = minibatchLayer(ctx, 'minibatch', h, spec.minibatchGroup ?? h.shape[0]);
      const out = wnDense(ctx, 'out', h, outUnits, 99, { trainScale: true });
      return splitHead(out, spec, features);
    },
  };
}

/** The paper's MNIST generator: uniform z (100) → dense 500-500 (BN, softplus) → WN dense 784, sigmoid. */
export function mlpGenerator(spec: ModelSpec): Generator {
  const params = new ParamStore('G');
  const [h, w, c] = spec.imageShape;
  return {
    params,
    latentDim: spec.latentDim,
    apply(z, mode: Mode) {
      const ctx: LayerCtx = { p: params, mode, initSeed: spec.initSeed + 1000 };
      let x = tf.softplus(batchNorm(ctx, 'bn0', dense(ctx, 'dense0', z, 500, 1, false), false)) as tf.Tensor2D;
      x = tf.softplus(batchNorm(ctx, 'bn1', dense(ctx, 'dense1', x, 500, 2, false), false)) as tf.Tensor2D;
      // Glorot-sized direction, like the reference's lasagne DenseLayer under l2normalize.
      x = tf.sigmoid(
        wnDense(ctx, 'out', x, h * w * c, 3, {
          trainScale: true,
          dataInit: false,
          initStd: Math.sqrt(2 / (500 + h * w * c)),
        }),
      );
      return tf.reshape(x, [z.shape[0], h, w, c]);
    },
  };
}

export function splitHead(out: tf.Tensor2D, spec: ModelSpec, features: tf.Tensor2D) {
  const n = out.shape[0];
  if (spec.head === 'explicit') {
    const K = spec.numClasses;
    return {
      logits: tf.slice(out, [0, 0], [n, K]) as tf.Tensor2D,
      fakeLogit: tf.reshape(tf.slice(out, [0, K], [n, 1]), [n]) as tf.Tensor1D,
      features,
    };
  }
  return { logits: out, fakeLogit: tf.zeros([n]) as tf.Tensor1D, features };
}
