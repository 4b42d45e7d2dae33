import * as tf from '@tensorflow/tfjs';
import { setNormalFiller } from '../util/gaussian.ts';
import { addonInUse, blasThreads, loadAddon, setAddonInUse, type BlasAddon } from './addon.ts';
import { registerFusedLayers, unregisterFusedLayers } from './fused-layers.ts';
import { CONV_KERNELS, registerConvKernels } from './kernels/conv.ts';
import { ELEMENTWISE_KERNELS, hasElementwise, registerElementwiseKernels } from './kernels/elementwise.ts';
import { MATMUL_KERNELS, registerMatMulKernels } from './kernels/matmul.ts';
import { hasReductions, REDUCTION_KERNELS, registerReductionKernels } from './kernels/reductions.ts';
import { registerSharingKernels, SHARING_KERNELS } from './kernels/sharing.ts';
import type { Fallback } from './kernels/types.ts';

/**
 * The registry of the native wasm kernels: it swaps wasm's own kernels for the addon's families
 * (kernels/*) and fused-layers.ts, and puts them back.
 */
// src/train/adam.ts and ema.ts reach the in-place updates through here.
export { nativeAdamUpdate, nativeEmaUpdate } from './kernels/updates.ts';

const REPLACED = [...MATMUL_KERNELS, ...CONV_KERNELS, ...SHARING_KERNELS, ...REDUCTION_KERNELS, ...ELEMENTWISE_KERNELS];
const originals = new Map<string, tf.KernelConfig>();
let active = false;

/** Loads the addon and registers its kernels, or says why plain wasm kernels stay. */
export function enableNativeKernels(): { enabled: boolean; detail: string } {
  const loaded = loadAddon();
  if ('missing' in loaded) return { enabled: false, detail: loaded.missing };
  // A bad SSGAN_BLAS_THREADS is the user's to fix, not a reason to fall back quietly.
  const threads = blasThreads();
  try {
    return registerNativeKernels(loaded.addon, threads);
  } catch (e) {
    return { enabled: false, detail: `native BLAS addon failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}

/**
 * Replaces the wasm backend's kernels with the addon's, working in place on the wasm heap. Each
 * family passes the cases it does not handle to the original wasm kernel, so results never depend
 * on coverage.
 */
export function registerNativeKernels(addon: BlasAddon, threads = blasThreads()): { enabled: boolean; detail: string } {
  // A lone run uses every core (the mlp GAN step: 6,274 images/s on 2 threads against 5,776 on
  // one); `ssgan bench` runs one worker per core and gives each one thread (SSGAN_BLAS_THREADS).
  addon.setThreads(threads);
  // An addon built before fillNormal existed still serves the GEMMs; noise then stays in JavaScript.
  setNormalFiller(typeof addon.fillNormal === 'function' ? addon.fillNormal : null);
  setAddonInUse(addon, active);
  if (active) return { enabled: true, detail: describe(addon, threads) };
  for (const name of REPLACED) {
    const k = tf.getKernel(name, 'wasm');
    if (k) {
      originals.set(name, k);
      tf.unregisterKernel(name, 'wasm');
    }
  }
  const fallback: Fallback = (name, args) => {
    const k = originals.get(name);
    if (!k) throw new Error(`${name} on wasm: this case (NCHW or an unusual shape) has no kernel without native BLAS`);
    return k.kernelFunc(args) as tf.TensorInfo;
  };
  // An addon built from an older checkout may lack a family; wasm's own kernels then stay.
  const restore = (names: string[]) => names.forEach((n) => tf.registerKernel(originals.get(n)!));
  registerMatMulKernels(addon, fallback);
  registerConvKernels(addon, fallback);
  registerSharingKernels(fallback);
  if (hasReductions(addon)) registerReductionKernels(addon, fallback);
  else restore(REDUCTION_KERNELS);
  if (hasElementwise(addon)) registerElementwiseKernels(addon, fallback);
  else restore(ELEMENTWISE_KERNELS);
  registerFusedLayers(addon);
  active = true;
  setAddonInUse(addon, true);
  return { enabled: true, detail: describe(addon, threads) };
}

/** Puts the plain wasm kernels back (for `--native off` after native kernels were enabled in-process). */
export function unregisterNativeKernels(): void {
  setNormalFiller(null);
  setAddonInUse(null, false);
  if (!active) return;
  for (const name of REPLACED) tf.unregisterKernel(name, 'wasm');
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
  const addon = addonInUse();
  if (!addon) return null;
  return addon.convEngine?.(name) ?? 'im2col';
}
