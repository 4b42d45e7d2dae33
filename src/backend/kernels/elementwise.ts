import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from '../addon.ts';
import { heapOperands, type WasmBackendLike } from '../wasm-heap.ts';
import type { Fallback } from './types.ts';

export const ELEMENTWISE_KERNELS = ['Softplus'];

export const hasElementwise = (addon: BlasAddon) => typeof addon.softplus === 'function';

/** Softplus (the generator's activation) on float32 natively. */
export function registerElementwiseKernels(addon: BlasAddon, fallback: Fallback): void {
  tf.registerKernel({
    kernelName: 'Softplus',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== 'float32') return fallback('Softplus', args);
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(x.shape, 'float32');
      const [heap, offsets] = heapOperands(backend, [x, out]);
      addon.softplus!(
        heap,
        offsets,
        x.shape.reduce((a, b) => a * b, 1),
      );
      return out;
    },
  });
}
