import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from '../addon.ts';
import { heapView, offsetOf, type WasmBackendLike } from '../wasm-heap.ts';
import { biasActivate, broadcastable } from './epilogue.ts';
import type { Activation, Fallback, KernelArgs } from './types.ts';

export const CONV_KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** The geometry native/conv.c's entry point reads, in its order. */
function dims(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
}

/** Conv2D, FusedConv2D and both convolution gradients in the addon (NHWC): oneDNN where it is built in, else im2col + GEMM. */
export function registerConvKernels(addon: BlasAddon, fallback: Fallback): void {
  const run = (
    backend: WasmBackendLike,
    mode: 0 | 1 | 2,
    info: tf.backend_util.Conv2DInfo,
    out: tf.TensorInfo,
    x: tf.TensorInfo | null,
    f: tf.TensorInfo | null,
    y: tf.TensorInfo | null,
  ) => {
    // `out` is already allocated; every offset is read after that, on the current heap.
    const off = (t: tf.TensorInfo | null) => (t ? offsetOf(backend, t) : 0);
    const o = Float64Array.from(
      mode === 0 ? [off(x), off(f), off(out)] : mode === 1 ? [off(out), off(f), off(y)] : [off(x), off(out), off(y)],
    );
    addon.conv(backend.wasm.HEAPU8.buffer as ArrayBuffer, mode, dims(info), o);
  };
  const forward = (name: 'Conv2D' | 'FusedConv2D') => (args: KernelArgs) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs & { activation?: Activation; leakyreluAlpha?: number };
    if (attrs.dataFormat === 'NCHW' || x!.dtype !== 'float32') return fallback(name, args);
    const info = tf.backend_util.computeConv2DInfo(
      x!.shape as [number, number, number, number],
      filter!.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const outSize = info.outShape.reduce((a, b) => a * b, 1);
    if (
      outSize === 0 ||
      !broadcastable(bias, info.outChannels, outSize) ||
      !broadcastable(preluActivationWeights, info.outChannels, outSize)
    )
      return fallback(name, args);
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(info.outShape, 'float32');
    run(backend, 0, info, out, x!, filter!, null);
    if (name === 'FusedConv2D') {
      const view = (t: tf.TensorInfo) => heapView(backend, t);
      biasActivate(
        view(out),
        info.outChannels,
        bias ? view(bias) : null,
        attrs.activation ?? 'linear',
        attrs.leakyreluAlpha ?? 0.2,
        preluActivationWeights ? view(preluActivationWeights) : null,
      );
    }
    return out;
  };
  tf.registerKernel({ kernelName: 'Conv2D', backendName: 'wasm', kernelFunc: forward('Conv2D') });
  tf.registerKernel({ kernelName: 'FusedConv2D', backendName: 'wasm', kernelFunc: forward('FusedConv2D') });
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
      if (attrs.dataFormat === 'NCHW') return fallback('Conv2DBackpropInput', args);
      const info = tf.backend_util.computeConv2DInfo(
        attrs.inputShape,
        filter.shape as [number, number, number, number],
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      if (info.inShape.reduce((a, b) => a * b, 1) === 0) return fallback('Conv2DBackpropInput', args);
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(info.inShape, 'float32');
      run(backend, 1, info, out, null, filter, dy);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
      if (attrs.dataFormat === 'NCHW') return fallback('Conv2DBackpropFilter', args);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(attrs.filterShape, 'float32');
      run(backend, 2, info, out, x, null, dy);
      return out;
    },
  });
}
