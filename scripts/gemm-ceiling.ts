/**
 * The machine's SGEMM ceiling for one training step, for scripts/bench-backends.ts: the GEMMs the
 * step runs (recorded from the native addon's calls during one step: matmuls, the weight-norm
 * layers' products, convolutions as their im2col GEMMs), each timed alone on the addon's GEMM with
 * the same thread count. The step can go no faster than the sum of those times, so images/s over
 * the ceiling's images/s is the fraction of the machine's GEMM speed a step reaches.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BlasAddon } from '../src/backend/addon.ts';
import { registerNativeKernels, unregisterNativeKernels } from '../src/backend/native-kernels.ts';

const ADDON = fileURLToPath(new URL('../native/build/Release/ssgan_blas.node', import.meta.url));

/** One GEMM shape of a step (row-major C[M,N] = op(A) op(B), K the inner size) and how often it runs. */
export interface GemmShape {
  ta: boolean;
  tb: boolean;
  M: number;
  N: number;
  K: number;
  count: number;
}

export interface Ceiling {
  gemm: string;
  /** GEMM floating-point operations of one step */
  flops: number;
  /** the step's GEMMs alone, at the measured rate of each shape */
  seconds: number;
  shapes: (GemmShape & { gflops: number })[];
  /** the GEMM's rate on a square 1024^3 product, the shape it runs best: the step's flops at it bound any shape-blind speed-up */
  squareGflops: number;
}

export function loadAddon(): BlasAddon {
  return createRequire(import.meta.url)(ADDON) as BlasAddon;
}

/** The GEMMs `runStep` sends through the addon, by shape; the addon's kernels are in place again afterwards. */
export function recordStepGemms(addon: BlasAddon, threads: number, runStep: () => void): GemmShape[] {
  const shapes = new Map<string, GemmShape>();
  const add = (ta: boolean, tb: boolean, M: number, N: number, K: number, times = 1) => {
    if (M * N * K === 0) return;
    const key = `${ta}${tb}${M}x${N}x${K}`;
    const s = shapes.get(key) ?? { ta, tb, M, N, K, count: 0 };
    s.count += times;
    shapes.set(key, s);
  };
  // The addon's own properties are read-only: the counting copy is a plain object.
  const counting = Object.fromEntries(
    Object.getOwnPropertyNames(addon).map((k) => [k, (addon as unknown as Record<string, unknown>)[k]]),
  ) as unknown as BlasAddon;
  counting.sgemmBatched = (heap, ta, tb, batch, M, N, K, ...rest) => {
    add(ta, tb, M, N, K, batch);
    addon.sgemmBatched(heap, ta, tb, batch, M, N, K, ...rest);
  };
  counting.wnDenseCore = (heap, offsets, dims) => {
    add(false, false, dims[0], dims[2], dims[1]);
    addon.wnDenseCore!(heap, offsets, dims);
  };
  counting.wnDenseCoreGradV = (heap, offsets, dims) => {
    add(true, false, dims[1], dims[2], dims[0]);
    addon.wnDenseCoreGradV!(heap, offsets, dims);
  };
  counting.conv = (heap, mode, d, offsets) => {
    // dims [N, H, W, C, KH, KW, F, OH, OW, ...]: the im2col GEMM of native/conv.c for each mode
    const rows = d[0] * d[7] * d[8],
      K = d[4] * d[5] * d[3],
      F = d[6];
    if (mode === 0) add(false, false, rows, F, K);
    else if (mode === 1) add(false, true, rows, K, F);
    else add(true, false, K, F, rows);
    addon.conv(heap, mode, d, offsets);
  };
  unregisterNativeKernels();
  registerNativeKernels(counting, threads);
  try {
    runStep();
  } finally {
    unregisterNativeKernels();
    registerNativeKernels(addon, threads);
  }
  return [...shapes.values()];
}

/** GFLOP/s of the addon's GEMM on one shape, on a heap of its own, timed for at least `seconds`. */
function gemmRate(addon: BlasAddon, s: GemmShape, seconds: number): number {
  const a = s.M * s.K,
    b = s.K * s.N,
    c = s.M * s.N;
  const heap = new Float32Array(a + b + c);
  for (let i = 0; i < a + b; i++) heap[i] = Math.sin(i) * 0.5;
  const run = () => addon.sgemmBatched(heap.buffer, s.ta, s.tb, 1, s.M, s.N, s.K, 0, 0, a, 0, a + b, 0, 1, 0);
  run(); // packing buffers and first-touch pages
  let reps = 0;
  const t0 = performance.now();
  let dt = 0;
  while (dt < seconds * 1000 || reps < 3) {
    run();
    reps++;
    dt = performance.now() - t0;
  }
  return (2 * s.M * s.N * s.K * reps) / (dt / 1000) / 1e9;
}

export function measureCeiling(addon: BlasAddon, shapes: GemmShape[], secondsPerShape = 0.15): Ceiling {
  const timed = shapes.map((s) => ({ ...s, gflops: gemmRate(addon, s, secondsPerShape) }));
  let flops = 0,
    seconds = 0;
  for (const s of timed) {
    const f = 2 * s.M * s.N * s.K * s.count;
    flops += f;
    seconds += f / (s.gflops * 1e9);
  }
  const square = { ta: false, tb: false, M: 1024, N: 1024, K: 1024, count: 1 };
  return {
    gemm: addon.info().trim().split(/\s+/).slice(0, 2).join(' '),
    flops,
    seconds,
    shapes: timed,
    squareGflops: gemmRate(addon, square, secondsPerShape),
  };
}
