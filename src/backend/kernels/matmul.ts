import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from '../addon.ts';
import { heapView, offsetOf, type WasmBackendLike } from '../wasm-heap.ts';
import { biasActivate, broadcastable } from './epilogue.ts';
import type { Activation, Fallback } from './types.ts';

export const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'];

interface MatMulPlan {
  batch: number;
  M: number;
  N: number;
  K: number;
  aStride: number;
  bStride: number;
  outShape: number[];
}

/** Shapes of a (batched) matmul, or null when the batch broadcasting is of a kind we leave to wasm. */
export function planMatMul(aShape: number[], bShape: number[], transA: boolean, transB: boolean): MatMulPlan | null {
  const ra = aShape.length;
  const rb = bShape.length;
  const M = transA ? aShape[ra - 1] : aShape[ra - 2];
  const K = transA ? aShape[ra - 2] : aShape[ra - 1];
  const Kb = transB ? bShape[rb - 1] : bShape[rb - 2];
  const N = transB ? bShape[rb - 2] : bShape[rb - 1];
  if (K !== Kb)
    throw new Error(
      `Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${aShape} and ${bShape} and transposeA=${transA} and transposeB=${transB} must match.`,
    );
  const outer = tf.backend_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  const batchA = aShape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = bShape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batch = outer.reduce((x, y) => x * y, 1);
  // One operand shared by every batch (stride 0), or both with the full batch: that covers what
  // dense layers and their gradients produce. Mixed broadcasting goes to the wasm kernel.
  if (!((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1))) return null;
  return {
    batch,
    M,
    N,
    K,
    aStride: batchA === 1 ? 0 : M * K,
    bStride: batchB === 1 ? 0 : K * N,
    outShape: [...outer, M, N],
  };
}

function gemm(
  addon: BlasAddon,
  backend: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transA: boolean,
  transB: boolean,
  plan: MatMulPlan,
): tf.TensorInfo {
  // Allocate first: makeOutput can grow the heap, which detaches any view taken before it.
  const out = backend.makeOutput(plan.outShape, 'float32');
  const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
  addon.sgemmBatched(
    heap,
    transA,
    transB,
    plan.batch,
    plan.M,
    plan.N,
    plan.K,
    offsetOf(backend, a),
    plan.aStride,
    offsetOf(backend, b),
    plan.bStride,
    offsetOf(backend, out),
    plan.M * plan.N,
    1,
    0,
  );
  return out;
}

/**
 * BatchMatMul and _FusedMatMul as cblas_sgemm on the wasm heap. Cases outside what the native
 * path handles (int dtypes, mixed batch broadcasting, unusual bias shapes) go to the original
 * wasm kernels, so results never depend on coverage.
 */
export function registerMatMulKernels(addon: BlasAddon, fallback: Fallback): void {
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      const plan =
        a.dtype === 'float32' && b.dtype === 'float32' ? planMatMul(a.shape, b.shape, transposeA, transposeB) : null;
      if (!plan || plan.M * plan.N * plan.batch === 0) return fallback('BatchMatMul', args);
      return gemm(addon, args.backend as unknown as WasmBackendLike, a, b, transposeA, transposeB, plan);
    },
  });

  tf.registerKernel({
    kernelName: '_FusedMatMul',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as {
        transposeA: boolean;
        transposeB: boolean;
        activation: Activation;
        leakyreluAlpha?: number;
      };
      const plan =
        a!.dtype === 'float32' && b!.dtype === 'float32'
          ? planMatMul(a!.shape, b!.shape, transposeA, transposeB)
          : null;
      const outSize = plan ? plan.batch * plan.M * plan.N : 0;
      if (
        !plan ||
        outSize === 0 ||
        !broadcastable(bias, plan.N, outSize) ||
        !broadcastable(preluActivationWeights, plan.N, outSize)
      ) {
        return fallback('_FusedMatMul', args);
      }
      const backend = args.backend as unknown as WasmBackendLike;
      const out = gemm(addon, backend, a!, b!, transposeA, transposeB, plan);
      // Views taken after every allocation of this kernel.
      const view = (t: tf.TensorInfo) => heapView(backend, t);
      biasActivate(
        view(out),
        plan.N,
        bias ? view(bias) : null,
        activation ?? 'linear',
        leakyreluAlpha ?? 0.2,
        preluActivationWeights ? view(preluActivationWeights) : null,
      );
      return out;
    },
  });
}
