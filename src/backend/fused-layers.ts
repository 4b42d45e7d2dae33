import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './native-kernels.ts';
import { heapOperands, type WasmBackendLike } from './wasm-heap.ts';

/**
 * Native kernels for whole layers of the paper's models, registered with the BLAS addon.
 *
 * The weight-normalised dense layer y = act((x v) * g/||v|| + b) is one kernel with its
 * own gradient. In tfjs ops the layer and its gradient take ~25 kernels (norms, divisions,
 * broadcasts, bias sums), each a pass over memory plus ~20 µs of engine overhead; the paper's
 * discriminator runs six of them twice a step. The kernel's second output t = x v is what the
 * gradient of the scale needs.
 */
const FORWARD = 'SsganWnDense';
const BACK = 'SsganWnDenseBack';
const GRAD_V = 'SsganWnDenseGradV';
/** x + N(0, sigma²) noise drawn straight into the output (the noise layers; see util/gaussian.ts). */
const NOISE = 'SsganAddNormal';

let addon: BlasAddon | null = null;
let gradientRegistered = false;

interface DenseAttrs {
  relu: boolean;
}

const dims = (...d: number[]) => Int32Array.from(d);

interface NoiseAttrs {
  seed: number;
  sigma: number;
}

export function registerFusedLayers(a: BlasAddon): void {
  // An addon built from an older checkout lacks these; the layers then use tfjs ops.
  if (typeof a.wnDense !== 'function' || typeof a.wnDenseBack !== 'function' || typeof a.wnDenseGradV !== 'function' || typeof a.addNormal !== 'function') return;
  unregisterFusedLayers();
  addon = a;
  tf.registerKernel({
    kernelName: NOISE,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { seed, sigma } = args.attrs as unknown as NoiseAttrs;
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(x.shape, 'float32');
      const [heap, offsets] = heapOperands(backend, [x, out]);
      a.addNormal!(heap, offsets, x.shape.reduce((p, d) => p * d, 1), seed, sigma);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: FORWARD,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, v, g, b } = args.inputs as Record<string, tf.TensorInfo>;
      const { relu } = args.attrs as unknown as DenseAttrs;
      const backend = args.backend as unknown as WasmBackendLike;
      const [N, I] = x.shape;
      const U = v.shape[1];
      const y = backend.makeOutput([N, U], 'float32');
      const t = backend.makeOutput([N, U], 'float32');
      a.wnDense!(...heapOperands(backend, [x, v, g, b, y, t]), dims(N, I, U, relu ? 1 : 0));
      return [y, t];
    },
  });
  tf.registerKernel({
    kernelName: BACK,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { dy, y, t, v, g } = args.inputs as Record<string, tf.TensorInfo>;
      const { relu } = args.attrs as unknown as DenseAttrs;
      const backend = args.backend as unknown as WasmBackendLike;
      const [N, U] = dy.shape;
      const outs = [backend.makeOutput([N, U], 'float32'), backend.makeOutput([U], 'float32'), backend.makeOutput([U], 'float32'), backend.makeOutput([U], 'float32')];
      a.wnDenseBack!(...heapOperands(backend, [dy, y, t, v, g, ...outs]), dims(N, v.shape[0], U, relu ? 1 : 0));
      return outs;
    },
  });
  tf.registerKernel({
    kernelName: GRAD_V,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, dt, v, coef } = args.inputs as Record<string, tf.TensorInfo>;
      const backend = args.backend as unknown as WasmBackendLike;
      const dv = backend.makeOutput(v.shape, 'float32');
      a.wnDenseGradV!(...heapOperands(backend, [x, dt, v, coef, dv]), dims(x.shape[0], v.shape[0], v.shape[1]));
      return dv;
    },
  });
  if (!gradientRegistered) {
    // Gradients are registered globally and cannot be removed; they only run for these kernels.
    tf.registerGradient({ kernelName: NOISE, gradFunc: (dy) => ({ x: () => dy as tf.Tensor }) });
    tf.registerGradient({
      kernelName: FORWARD,
      inputsToSave: ['x', 'v', 'g'],
      outputsToSave: [true, true],
      gradFunc: (dys, saved, attrs) => {
        const [x, v, g, y, t] = saved;
        const dy = (dys as tf.Tensor[])[0];
        // dt, dg, db and coef serve every input's gradient, so they are computed once, here;
        // each input's own work (two GEMMs for x and v) runs only if tfjs asks for it.
        const [dt, dg, db, coef] = tf.engine().runKernel(BACK, { dy, y, t, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        return {
          x: () => tf.matMul(dt, v as tf.Tensor2D, false, true),
          v: () => tf.engine().runKernel(GRAD_V, { x, dt, v, coef }, {}) as tf.Tensor,
          g: () => dg,
          b: () => db,
        };
      },
    });
    gradientRegistered = true;
  }
}

export function unregisterFusedLayers(): void {
  if (!addon) return;
  for (const name of [FORWARD, BACK, GRAD_V, NOISE]) tf.unregisterKernel(name, 'wasm');
  addon = null;
}

/**
 * act((x v) * g/||v|| + b) in one native kernel, or null where that kernel cannot run (another
 * backend, native kernels off, or inside a gradient of a gradient, which WGAN-GP takes and this
 * kernel's hand-written gradient cannot).
 */
export function fusedWnDense(x: tf.Tensor2D, v: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, relu: boolean): tf.Tensor2D | null {
  if (!addon || tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return null;
  if ((tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 1) return null;
  const attrs: DenseAttrs = { relu };
  const [y] = tf.engine().runKernel(FORWARD, { x, v, g, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return y as tf.Tensor2D;
}

/** x + N(0, sigma²) noise from the seeded stream of util/gaussian.ts, or null as above. */
export function fusedAddNormal<T extends tf.Tensor>(x: T, sigma: number, seed: number): T | null {
  if (!addon || tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return null;
  const attrs: NoiseAttrs = { seed: seed >>> 0, sigma };
  return tf.engine().runKernel(NOISE, { x }, attrs as unknown as tf.NamedAttrMap) as T;
}
