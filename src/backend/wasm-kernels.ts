import * as tf from '@tensorflow/tfjs';

let registered = false;

/**
 * tfjs-backend-wasm 4.x has no Conv2DBackpropFilter, so conv nets cannot train on it. The filter
 * gradient is itself a convolution: with the batch and channel axes swapped,
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh − padTop, ow·s + kw − padLeft, ci] · dy[n,oh,ow,co]
 * is conv2d(xᵀ, dyᵀ) with stride 1 and dilation s, where xᵀ = x as [Ci,H,W,N] and dyᵀ = dy as
 * [OH,OW,N,Co]; the result [Ci,KH,KW,Co] is transposed back to [KH,KW,Ci,Co]. Exact, not approximate.
 */
export const wasmConv2DBackpropFilter: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) => {
    const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm: only NHWC is supported');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape,
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    return tf.tidy(() => filterGradient(x, dy, info));
  },
};

export function registerWasmConv2DBackpropFilter(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    registered = true;
    return;
  }
  tf.registerKernel(wasmConv2DBackpropFilter);
  registered = true;
}

/** The computation behind the kernel, on public ops (also used directly by the tests). */
export function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW, outHeight: OH, outWidth: OW } = info;
  const { top, left } = info.padInfo;
  const [, H, W] = x.shape;
  // Rows/columns the forward conv reads beyond the input on the far side (may be negative:
  // 'valid' with a stride that leaves trailing input unread).
  let bottom = KH + (OH - 1) * sh - H - top;
  let right = KW + (OW - 1) * sw - W - left;
  let xt = tf.transpose(x, [3, 1, 2, 0]);
  if (bottom < 0 || right < 0) {
    xt = tf.slice(xt, [0, 0, 0, 0], [-1, H + Math.min(0, bottom), W + Math.min(0, right), -1]);
    bottom = Math.max(0, bottom);
    right = Math.max(0, right);
  }
  const dyt = tf.transpose(dy, [1, 2, 0, 3]);
  const padding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ] as tf.backend_util.ExplicitPadding;
  const g = tf.conv2d(xt as tf.Tensor4D, dyt as tf.Tensor4D, 1, padding, 'NHWC', [sh, sw]);
  return tf.transpose(g, [1, 2, 0, 3]);
}
