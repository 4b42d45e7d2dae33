import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../wasm-heap.ts';
import type { Fallback, KernelArgs } from './types.ts';

export const SHARING_KERNELS = ['Identity', 'Cast'];

/**
 * wasm's Identity and same-dtype Cast copy the tensor; tfjs calls Identity for every tensor it
 * saves for the backward pass (~300 copies a GAN step). Sharing the buffer, as the cpu backend
 * does, is safe because the in-place writers, the native Adam and EMA passes (updates.ts), first
 * un-share.
 */
export function registerSharingKernels(fallback: Fallback): void {
  const share = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) =>
      (args.inputs as { x: tf.TensorInfo }).x.dtype === 'string' ? fallback('Identity', args) : share(args),
  });
  tf.registerKernel({
    kernelName: 'Cast',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      return x.dtype === (args.attrs as { dtype: string }).dtype && x.dtype !== 'string'
        ? share(args)
        : fallback('Cast', args);
    },
  });
}
