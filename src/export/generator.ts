import * as tf from '@tensorflow/tfjs';
import { dcganGeneratorWidths } from '../models/dcgan.ts';
import { sampleLatent } from '../models/index.ts';
import type { ModelSpec } from '../models/types.ts';
import { foldDense } from './fold.ts';

type Params = Map<string, tf.Tensor>;

function need(p: Params, name: string): tf.Tensor {
  const t = p.get(name);
  if (!t) throw new Error(`checkpoint has no G/${name}`);
  return t;
}

/**
 * The generator as a plain tf.Sequential. Training samples with batch statistics in its batch
 * norms (as the reference does); a standalone model needs fixed ones, so each batch norm gets the
 * mean and variance of its input over `statsCount` latents drawn with `statsSeed`: on exactly those
 * latents the export reproduces the run's samples.
 */
export function generatorModel(spec: ModelSpec, p: Params, statsCount: number, statsSeed: number): tf.Sequential {
  const [H, W, C] = spec.imageShape;
  const model = tf.sequential({ name: 'ssgan_generator' });
  const add = <L extends tf.layers.Layer>(layer: L, weights?: tf.Tensor[]) => {
    model.add(layer);
    if (weights) layer.setWeights(weights);
    return layer;
  };
  const bn = (name: string, scale: boolean) =>
    tf.layers.batchNormalization({ name, epsilon: 1e-5, scale, center: true, momentum: 0 });
  if (spec.arch === 'mlp') {
    add(tf.layers.dense({ units: 500, useBias: false, name: 'dense0', inputShape: [spec.latentDim] }), [
      need(p, 'dense0/w'),
    ]);
    add(bn('bn0', false));
    add(tf.layers.activation({ activation: 'softplus', name: 'softplus0' }));
    add(tf.layers.dense({ units: 500, useBias: false, name: 'dense1' }), [need(p, 'dense1/w')]);
    add(bn('bn1', false));
    add(tf.layers.activation({ activation: 'softplus', name: 'softplus1' }));
    tf.tidy(() => {
      add(tf.layers.dense({ units: H * W * C, activation: 'sigmoid', name: 'out' }), [
        foldDense(need(p, 'out/v'), need(p, 'out/g')),
        need(p, 'out/b'),
      ]);
    });
    add(tf.layers.reshape({ targetShape: [H, W, C], name: 'image' }));
  } else {
    const widths = dcganGeneratorWidths(spec);
    const base = H % 7 === 0 ? 7 : 4;
    const ups = Math.round(Math.log2(H / base));
    add(
      tf.layers.dense({ units: base * base * widths[0], useBias: false, name: 'dense0', inputShape: [spec.latentDim] }),
      [need(p, 'dense0/w')],
    );
    add(bn('bn0', true));
    add(tf.layers.activation({ activation: 'relu', name: 'relu0' }));
    add(tf.layers.reshape({ targetShape: [base, base, widths[0]], name: 'map' }));
    for (let i = 1; i < ups; i++) {
      const deconv = tf.layers.conv2dTranspose({
        filters: widths[i],
        kernelSize: 5,
        strides: 2,
        padding: 'same',
        name: `deconv${i}`,
      });
      add(deconv, [need(p, `deconv${i}/w`), need(p, `deconv${i}/b`)]);
      add(bn(`bn${i}`, true));
      add(tf.layers.activation({ activation: 'relu', name: `relu${i}` }));
    }
    add(
      tf.layers.conv2dTranspose({
        filters: C,
        kernelSize: 5,
        strides: 2,
        padding: 'same',
        activation: 'sigmoid',
        name: 'out',
      }),
      [need(p, 'out/w'), need(p, 'out/b')],
    );
  }
  freezeBatchNorms(model, p, sampleLatent(spec.arch, statsCount, spec.latentDim, statsSeed));
  return model;
}

/** Walks the layers on a batch, giving every batch norm its input's moments as fixed statistics. */
function freezeBatchNorms(model: tf.Sequential, p: Params, z: tf.Tensor2D): void {
  let x: tf.Tensor = z;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'BatchNormalization') {
      const name = layer.name;
      const cfg = layer.getConfig() as { scale: boolean };
      const axes = x.shape.map((_, i) => i).slice(0, -1);
      const { mean, variance } = tf.moments(x, axes);
      layer.setWeights([...(cfg.scale ? [need(p, `${name}/gamma`)] : []), need(p, `${name}/beta`), mean, variance]);
      mean.dispose();
      variance.dispose();
    }
    const next = layer.apply(x, { training: false }) as tf.Tensor;
    if (x !== z) x.dispose();
    x = next;
  }
  x.dispose();
  z.dispose();
}
