import type * as tf from '@tensorflow/tfjs';
import type { Activation } from './types.ts';

/** Bias and activation applied in place on the output; a bias or PReLU weight of N values broadcasts over the last axis. */
export function biasActivate(
  y: Float32Array,
  N: number,
  bias: Float32Array | null,
  activation: Activation,
  alpha: number,
  prelu: Float32Array | null,
): void {
  const len = y.length;
  if (bias) {
    if (bias.length === 1) for (let i = 0; i < len; i++) y[i] += bias[0];
    else if (bias.length === N) for (let i = 0; i < len; i++) y[i] += bias[i % N];
    else for (let i = 0; i < len; i++) y[i] += bias[i];
  }
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < len; i++) if (y[i] < 0) y[i] = 0;
      return;
    case 'relu6':
      for (let i = 0; i < len; i++) y[i] = y[i] < 0 ? 0 : y[i] > 6 ? 6 : y[i];
      return;
    case 'elu':
      for (let i = 0; i < len; i++) if (y[i] < 0) y[i] = Math.expm1(y[i]);
      return;
    case 'leakyrelu':
      for (let i = 0; i < len; i++) if (y[i] < 0) y[i] *= alpha;
      return;
    case 'prelu': {
      const w = prelu!;
      for (let i = 0; i < len; i++) if (y[i] < 0) y[i] *= w.length === 1 ? w[0] : w.length === N ? w[i % N] : w[i];
      return;
    }
    case 'sigmoid':
      for (let i = 0; i < len; i++) y[i] = 1 / (1 + Math.exp(-y[i]));
      return;
  }
}

/** Whether a bias or PReLU weight is a shape biasActivate handles: one value, one per channel, or one per output. */
export function broadcastable(t: tf.TensorInfo | undefined, N: number, outSize: number): boolean {
  if (!t) return true;
  const size = t.shape.reduce((x, y) => x * y, 1);
  return size === 1 || (size === N && t.shape[t.shape.length - 1] === N) || size === outSize;
}
