import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../models/types.ts';
import { dcganDiscriminatorWidths } from '../models/dcgan.ts';
import { firstColumns, foldConv, foldDense } from './fold.ts';

type Params = Map<string, tf.Tensor>;

function need(p: Params, name: string): tf.Tensor {
  const t = p.get(name);
  if (!t) throw new Error(`checkpoint has no D-ema/${name}`);
  return t;
}

/**
 * The evaluation-mode classifier (noise and dropout off) as a plain tf.Sequential: weight norm
 * folded into Dense/Conv2D kernels, the K real-class logits into a softmax. Its output equals
 * softmax(run.classify(x)); it needs nothing of ssgan to run.
 */
export function classifierModel(spec: ModelSpec, p: Params): tf.Sequential {
  if (spec.minibatchDisc)
    throw new Error(
      'export: this run uses minibatch discrimination, which compares the images of a batch with each other: no per-image classifier to export',
    );
  const K = spec.numClasses;
  const model = tf.sequential({ name: 'ssgan_classifier' });
  const out = (units: number, w: tf.Tensor2D, b: tf.Tensor) => {
    const kernel = spec.head === 'explicit' ? firstColumns(w, K) : w;
    const bias = spec.head === 'explicit' ? tf.slice(b, [0], [K]) : b;
    const layer = tf.layers.dense({ units, activation: 'softmax', name: 'probabilities' });
    model.add(layer);
    layer.setWeights([kernel, bias]);
  };
  if (spec.arch === 'mlp') {
    model.add(tf.layers.flatten({ inputShape: spec.imageShape, name: 'flatten' }));
    [1000, 500, 250, 250, 250].forEach((units, i) => {
      const layer = tf.layers.dense({ units, activation: 'relu', name: `dense${i}` });
      model.add(layer);
      tf.tidy(() =>
        layer.setWeights([foldDense(need(p, `dense${i}/v`), need(p, `dense${i}/g`)), need(p, `dense${i}/b`)]),
      );
    });
  } else {
    let first = true;
    dcganDiscriminatorWidths(spec).forEach((f, i) => {
      for (const [suffix, kernel, stride] of dcganConvs(spec)) {
        const name = `conv${i}${suffix}`;
        const layer = tf.layers.conv2d({
          filters: f,
          kernelSize: kernel,
          strides: stride,
          padding: 'same',
          name,
          ...(first ? { inputShape: spec.imageShape } : {}),
        });
        first = false;
        model.add(layer);
        tf.tidy(() => layer.setWeights([foldConv(need(p, `${name}/v`), need(p, `${name}/g`)), need(p, `${name}/b`)]));
        model.add(tf.layers.leakyReLU({ alpha: 0.2, name: `${name}_leaky` }));
      }
    });
    model.add(tf.layers.globalAveragePooling2d({ name: 'features' }));
  }
  tf.tidy(() => out(K, foldDense(need(p, 'out/v'), need(p, 'out/g')), need(p, 'out/b')));
  return model;
}

/** The two convolutions of each dcgan block: name suffix, kernel, stride. */
function dcganConvs(spec: ModelSpec): [string, number, number][] {
  return spec.imageShape[0] === 64
    ? [['', 4, 2]]
    : [
        ['', 3, 1],
        ['s', 3, 2],
      ];
}
