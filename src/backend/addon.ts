import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** What the native addon (native/addon.c and its families) exports. */
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
  /** mode 0 forward, 1 input gradient, 2 filter gradient; see native/conv.c. */
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

const require = createRequire(import.meta.url);
/** Where `npm ci` (scripts/build-native.js) puts the addon. */
export const ADDON_PATH = fileURLToPath(new URL('../../native/build/Release/ssgan_blas.node', import.meta.url));

/**
 * The addon, or why there is none. It is optional: without a compiler or OpenBLAS everything runs
 * on plain wasm kernels, and the backend line says why.
 */
export function loadAddon(): { addon: BlasAddon } | { missing: string } {
  if (!existsSync(ADDON_PATH)) return { missing: 'native BLAS addon not built (npm run build:native)' };
  try {
    return { addon: require(ADDON_PATH) as BlasAddon };
  } catch (e) {
    return { missing: `native BLAS addon failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
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

let inUse: BlasAddon | null = null;
let kernelsOn = false;

/** The addon the wasm kernels were last registered with (null after unregistering). */
export function addonInUse(): BlasAddon | null {
  return inUse;
}

/** The addon while its kernels replace wasm's: the in-place updates write through it only then. */
export function activeAddon(): BlasAddon | null {
  return kernelsOn ? inUse : null;
}

/** For the kernel registry (native-kernels.ts) alone. */
export function setAddonInUse(addon: BlasAddon | null, registered: boolean): void {
  inUse = addon;
  kernelsOn = registered;
}
