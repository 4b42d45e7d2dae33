import * as tf from '@tensorflow/tfjs';
import { activeAddon } from '../addon.ts';
import { heapOperands, type WasmBackendLike } from '../wasm-heap.ts';

/**
 * Gives each variable shared with another tensor (a clone, an assign from a checkpoint, an EMA
 * copy, or a buffer the sharing kernels handed out) a buffer of its own, so an in-place update
 * changes it alone.
 */
function ownBuffers(backend: WasmBackendLike, vars: tf.Variable[]): void {
  for (const t of vars) {
    if (backend.refCount(t.dataId) === 1) continue;
    const own = tf.tidy(() => tf.add(t, 0));
    t.assign(own);
    own.dispose();
  }
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
  const addon = activeAddon();
  if (!addon || typeof addon.adam !== 'function' || tf.getBackend() !== 'wasm') return false;
  if (param.dtype !== 'float32' || grad.dtype !== 'float32' || grad.size !== param.size) return false;
  const backend = tf.backend() as unknown as WasmBackendLike;
  ownBuffers(backend, [param, m, v]);
  addon.adam(...heapOperands(backend, [param, m, v, grad]), param.size, lr, beta1, beta2, eps, c1, c2);
  return true;
}

/** avg ← avg·decay + value·(1 − decay) in place, natively; false where tfjs ops must do it. */
export function nativeEmaUpdate(avg: tf.Variable, value: tf.Tensor, decay: number): boolean {
  const addon = activeAddon();
  if (!addon || typeof addon.ema !== 'function' || tf.getBackend() !== 'wasm') return false;
  if (avg.dtype !== 'float32' || value.dtype !== 'float32' || avg.size !== value.size) return false;
  const backend = tf.backend() as unknown as WasmBackendLike;
  ownBuffers(backend, [avg]);
  const [heap, offsets] = heapOperands(backend, [avg, value]);
  addon.ema(heap, offsets, avg.size, decay);
  return true;
}
