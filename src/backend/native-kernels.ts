import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { setNormalFiller } from '../util/gaussian.ts';
import { registerFusedLayers, unregisterFusedLayers } from './fused-layers.ts';
import { heapOperands, offsetOf, type WasmBackendLike } from './wasm-heap.ts';

/** What native/ssgan_blas.c exports. */
export interface BlasAddon {
  sgemmBatched(
    heap: ArrayBuffer,
    transA: boolean,
    transB: boolean,
    batch: number,
    M: number,
    N: number,
    K: number,
    aOff: number,
    aStride: number,
    bOff: number,
    bStride: number,
    cOff: number,
    cStride: number,
    alpha: number,
    beta: number,
  ): void;
  setThreads(n: number): void;
  info(): string;
  /** mode 0 forward, 1 input gradient, 2 filter gradient; see native/ssgan_blas.c. */
  conv(heap: ArrayBuffer, mode: 0 | 1 | 2, dims: Int32Array, offsets: Float64Array): void;
  /** The noise layers' Gaussian stream; see src/util/gaussian.ts. */
  fillNormal(out: Float32Array, seed: number, sigma: number): void;
  /** avg = avg * decay + value * (1 - decay) in place; offsets [avg, value]. */
  ema?(heap: ArrayBuffer, offsets: Float64Array, n: number, decay: number): void;
  /** One in-place Adam update; offsets (in floats) of param, m, v, grad. */
  adam(
    heap: ArrayBuffer,
    offsets: Float64Array,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  /** out[j] = sum_i x[i*inner + j] / divisor; offsets [x, out] in floats. */
  sumLeading?(heap: ArrayBuffer, offsets: Float64Array, outer: number, inner: number, divisor?: number): void;
  leaky?(heap: ArrayBuffer, offsets: Float64Array, n: number, alpha: number): void;
  leakyGrad?(heap: ArrayBuffer, offsets: Float64Array, n: number, alpha: number): void;
  dropout?(heap: ArrayBuffer, offsets: Float64Array, n: number, seed: number, rate: number): void;
  /** The weight-normalised dense layer and its gradients; see src/backend/fused-layers.ts. */
  wnDenseCore?(heap: ArrayBuffer, offsets: Float64Array, dims: Int32Array): void;
  wnDenseCoreGradV?(heap: ArrayBuffer, offsets: Float64Array, dims: Int32Array): void;
  wnDenseAct?(heap: ArrayBuffer, offsets: Float64Array, dims: Int32Array): void;
  wnDenseActBack?(heap: ArrayBuffer, offsets: Float64Array, dims: Int32Array): void;
  /** 'onednn' or 'im2col' for convolutions; switches when given a name. */
  convEngine?(name?: string): string;
  /** The oneDNN version built in, or ''. */
  onednnInfo?(): string;
  /** log(1 + e^x) with tfjs' cut-offs (log1p by Goldberg's formula in between); offsets [x, out]. */
  softplus?(heap: ArrayBuffer, offsets: Float64Array, n: number): void;
  /** out = x + fillNormal's stream; offsets [x, out]. */
  addNormal?(heap: ArrayBuffer, offsets: Float64Array, n: number, seed: number, sigma: number): void;
}

const originals = new Map<string, tf.KernelConfig>();
const NATIVE_KERNELS = [
  'BatchMatMul',
  '_FusedMatMul',
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'Identity',
  'Cast',
  'Sum',
  'Mean',
  'Softplus',
];
let active = false;
let loaded: BlasAddon | null = null;

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

type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'prelu' | 'sigmoid';

/** Bias and activation applied in place on the output; `per` broadcasts a vector over the last axis. */
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

function broadcastable(t: tf.TensorInfo | undefined, N: number, outSize: number): boolean {
  if (!t) return true;
  const size = t.shape.reduce((x, y) => x * y, 1);
  return size === 1 || (size === N && t.shape[t.shape.length - 1] === N) || size === outSize;
}

/** SSGAN_BLAS_THREADS, or every core. */
export function blasThreads(): number {
  const v = process.env.SSGAN_BLAS_THREADS;
  if (v === undefined || v === '') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new Error(`SSGAN_BLAS_THREADS: expected a whole number of threads from 1, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * Replaces the wasm backend's BatchMatMul and _FusedMatMul with cblas_sgemm on the wasm heap.
 * Cases outside what the native path handles (int dtypes, mixed batch broadcasting, unusual
 * bias shapes) are passed to the original wasm kernels, so results never depend on coverage.
 */
export function registerNativeKernels(addon: BlasAddon, threads = blasThreads()): { enabled: boolean; detail: string } {
  // A lone run uses every core (the mlp GAN step: 6,274 images/s on 2 threads against 5,776 on
  // one); `ssgan bench` runs one worker per core and gives each one thread (SSGAN_BLAS_THREADS).
  addon.setThreads(threads);
  // An addon built before fillNormal existed still serves the GEMMs; noise then stays in JavaScript.
  setNormalFiller(typeof addon.fillNormal === 'function' ? addon.fillNormal : null);
  loaded = addon;
  if (active) return { enabled: true, detail: describe(addon, threads) };
  for (const name of NATIVE_KERNELS) {
    const k = tf.getKernel(name, 'wasm');
    if (k) {
      originals.set(name, k);
      tf.unregisterKernel(name, 'wasm');
    }
  }
  const fallback = (name: string, args: Parameters<tf.KernelFunc>[0]) => {
    const k = originals.get(name);
    if (!k) throw new Error(`${name} on wasm: this case (NCHW or an unusual shape) has no kernel without native BLAS`);
    return k.kernelFunc(args) as tf.TensorInfo;
  };

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
      const buf = backend.wasm.HEAPU8.buffer as ArrayBuffer;
      const view = (t: tf.TensorInfo) =>
        new Float32Array(
          buf,
          backend.dataIdMap.get(t.dataId).memoryOffset,
          t.shape.reduce((x, y) => x * y, 1),
        );
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
  registerConvKernels(addon, fallback);
  registerSharingKernels(fallback);
  // An addon built from an older checkout may lack these; wasm's own kernels then stay.
  if (typeof addon.sumLeading === 'function') {
    registerReduction('Sum', addon, fallback);
    registerReduction('Mean', addon, fallback);
  } else {
    tf.registerKernel(originals.get('Sum')!);
    tf.registerKernel(originals.get('Mean')!);
  }
  if (typeof addon.softplus === 'function') registerSoftplus(addon, fallback);
  else tf.registerKernel(originals.get('Softplus')!);
  registerFusedLayers(addon);
  active = true;
  return { enabled: true, detail: describe(addon, threads) };
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

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
function registerConvKernels(
  addon: BlasAddon,
  fallback: (name: string, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo,
): void {
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
  const forward = (name: 'Conv2D' | 'FusedConv2D') => (args: Parameters<tf.KernelFunc>[0]) => {
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
      const buf = backend.wasm.HEAPU8.buffer as ArrayBuffer;
      const view = (t: tf.TensorInfo) =>
        new Float32Array(
          buf,
          backend.dataIdMap.get(t.dataId).memoryOffset,
          t.shape.reduce((a, b) => a * b, 1),
        );
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

/**
 * One Adam update of `param` in place, natively: native kernels on, wasm running, float32.
 * Returns false where the caller must use tfjs ops instead.
 */
export function nativeAdamUpdate(
  param: tf.Variable,
  m: tf.Variable,
  v: tf.Variable,
  grad: tf.Tensor,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  c1: number,
  c2: number,
): boolean {
  if (!active || !loaded || typeof loaded.adam !== 'function' || tf.getBackend() !== 'wasm') return false;
  if (param.dtype !== 'float32' || grad.dtype !== 'float32' || grad.size !== param.size) return false;
  const backend = tf.backend() as unknown as WasmBackendLike;
  ownBuffers(backend, [param, m, v]);
  loaded.adam(...heapOperands(backend, [param, m, v, grad]), param.size, lr, beta1, beta2, eps, c1, c2);
  return true;
}

/**
 * wasm's Identity and same-dtype Cast copy the tensor; tfjs calls Identity for every tensor it
 * saves for the backward pass (~300 copies a GAN step). Sharing the buffer, as the cpu backend
 * does, is safe because the in-place writers, the native Adam and EMA passes, first un-share.
 */
function registerSharingKernels(fallback: (name: string, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo): void {
  const share = (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo => {
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

/** Sum or mean over leading axes of a float32 tensor natively; every other reduction stays with wasm. */
function registerReduction(
  name: 'Sum' | 'Mean',
  addon: BlasAddon,
  fallback: (name: string, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo,
): void {
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
      else if (inner > 0)
        new Float32Array(backend.wasm.HEAPU8.buffer, backend.dataIdMap.get(out.dataId).memoryOffset, inner).fill(0);
      return out;
    },
  });
}

/** Softplus (the generator's activation) on float32 natively. */
function registerSoftplus(
  addon: BlasAddon,
  fallback: (name: string, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo,
): void {
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

/**
 * Gives each variable shared with another tensor (a clone, an assign from a checkpoint or an EMA
 * copy) a buffer of its own, so an in-place update changes it alone.
 */
function ownBuffers(backend: WasmBackendLike, vars: tf.Variable[]): void {
  for (const t of vars) {
    if (backend.refCount(t.dataId) === 1) continue;
    const own = tf.tidy(() => tf.add(t, 0));
    t.assign(own);
    own.dispose();
  }
}

/** avg ← avg·decay + value·(1 − decay) in place, natively; false where tfjs ops must do it. */
export function nativeEmaUpdate(avg: tf.Variable, value: tf.Tensor, decay: number): boolean {
  if (!active || !loaded || typeof loaded.ema !== 'function' || tf.getBackend() !== 'wasm') return false;
  if (avg.dtype !== 'float32' || value.dtype !== 'float32' || avg.size !== value.size) return false;
  const backend = tf.backend() as unknown as WasmBackendLike;
  ownBuffers(backend, [avg]);
  const [heap, offsets] = heapOperands(backend, [avg, value]);
  loaded.ema(heap, offsets, avg.size, decay);
  return true;
}

/** Puts the plain wasm kernels back (for `--native off` after native kernels were enabled in-process). */
export function unregisterNativeKernels(): void {
  setNormalFiller(null);
  loaded = null;
  if (!active) return;
  for (const name of NATIVE_KERNELS) tf.unregisterKernel(name, 'wasm');
  for (const k of originals.values()) tf.registerKernel(k);
  unregisterFusedLayers();
  originals.clear();
  active = false;
}

function describe(addon: BlasAddon, threads: number): string {
  const info = addon.info().trim().split(/\s+/).slice(0, 2).join(' ');
  const onednn = addon.convEngine?.() === 'onednn' ? `, ${addon.onednnInfo!()} convolutions` : '';
  return `${info}${onednn}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * Chooses the convolution engine of the loaded addon ('onednn' where it was built with oneDNN,
 * else 'im2col'); returns the engine now in use, or null without native kernels.
 */
export function setConvEngine(name: 'onednn' | 'im2col'): string | null {
  if (!loaded) return null;
  return loaded.convEngine?.(name) ?? 'im2col';
}
