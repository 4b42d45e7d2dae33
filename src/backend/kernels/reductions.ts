import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from '../addon.ts';
import { heapOperands, heapView, type WasmBackendLike } from '../wasm-heap.ts';
import type { Fallback } from './types.ts';

export const REDUCTION_KERNELS = ['Sum', 'Mean'];

/** Whether this addon can serve the reductions (one built from an older checkout cannot). */
export const hasReductions = (addon: BlasAddon) => typeof addon.sumLeading === 'function';

/** Sum and mean over leading axes of a float32 tensor natively; every other reduction stays with wasm. */
export function registerReductionKernels(addon: BlasAddon, fallback: Fallback): void {
  for (const name of ['Sum', 'Mean'] as const)
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
        const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
        const k = axes.length;
        if (x.dtype !== 'float32' || k === 0 || k === x.shape.length || axes.some((a, i) => a !== i))
          return fallback(name, args);
        const outer = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
        const inner = x.shape.slice(k).reduce((a, b) => a * b, 1);
        // The mean of nothing is NaN, as in tfjs.
        if (name === 'Mean' && outer === 0) return fallback(name, args);
        const backend = args.backend as unknown as WasmBackendLike;
        const out = backend.makeOutput(keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k), 'float32');
        if (outer * inner > 0)
          addon.sumLeading!(...heapOperands(backend, [x, out]), outer, inner, name === 'Mean' ? outer : 1);
        else if (inner > 0) heapView(backend, out).fill(0);
        return out;
      },
    });
}
