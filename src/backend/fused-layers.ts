import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './native-kernels.ts';
import { heapOperands, type WasmBackendLike } from './wasm-heap.ts';

/**
 * Native kernels for whole layers of the paper's models, registered with the BLAS addon.
 *
 * The weight-normalised dense layer y = act((x v) * g/||v|| + b) is one kernel with its
 * own gradient. In tfjs ops the layer and its gradient take ~25 kernels (norms, divisions,
 * broadcasts, bias sums), each a pass over memory plus ~20 µs of engine overhead; the paper's
 * discriminator runs six of them twice a step. The kernel's other outputs, t = x v and the
 * norms ||v||, are what the gradient needs. Its gradient always makes dt, dg, db (one pass); the
 * GEMMs for dx and dv run only when tfjs asks for those inputs.
 */
const FORWARD = 'SsganWnDense';
const BACK = 'SsganWnDenseBack';
const GRAD_V = 'SsganWnDenseGradV';
/** x + N(0, sigma²) noise drawn straight into the output (the noise layers; see util/gaussian.ts). */
const NOISE = 'SsganAddNormal';
/** Leaky ReLU and its gradient, one pass each. */
const LEAKY = 'SsganLeaky';
const LEAKY_GRAD = 'SsganLeakyGrad';
/** Inverted dropout from a seeded stream (util/dropout.ts); its gradient redraws the same mask. */
const DROPOUT = 'SsganDropout';

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

interface LeakyAttrs {
  alpha: number;
}

interface DropoutAttrs {
  seed: number;
  rate: number;
}

const size = (t: tf.TensorInfo) => t.shape.reduce((p, d) => p * d, 1);

export function registerFusedLayers(a: BlasAddon): void {
  // An addon built from an older checkout lacks these; the layers then use tfjs ops.
  if (typeof a.wnDense !== 'function' || typeof a.wnDenseBack !== 'function' || typeof a.wnDenseGradV !== 'function' || typeof a.addNormal !== 'function' || typeof a.leaky !== 'function' || typeof a.leakyGrad !== 'function' || typeof a.dropout !== 'function') return;
  unregisterFusedLayers();
  addon = a;
  // Elementwise kernels: one float32 output shaped like the first input, then one native pass.
  const elementwise = (kernelName: string, inputs: string[], pass: (heap: ArrayBuffer, offsets: Float64Array, n: number, attrs: Record<string, number>) => void) =>
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const ins = inputs.map((name) => (args.inputs as Record<string, tf.TensorInfo>)[name]);
        const backend = args.backend as unknown as WasmBackendLike;
        const out = backend.makeOutput(ins[0].shape, 'float32');
        const [heap, offsets] = heapOperands(backend, [...ins, out]);
        pass(heap, offsets, size(ins[0]), args.attrs as unknown as Record<string, number>);
        return out;
      },
    });
  elementwise(NOISE, ['x'], (heap, offsets, n, { seed, sigma }) => a.addNormal!(heap, offsets, n, seed, sigma));
  elementwise(LEAKY, ['x'], (heap, offsets, n, { alpha }) => a.leaky!(heap, offsets, n, alpha));
  elementwise(LEAKY_GRAD, ['dy', 'y'], (heap, offsets, n, { alpha }) => a.leakyGrad!(heap, offsets, n, alpha));
  elementwise(DROPOUT, ['x'], (heap, offsets, n, { seed, rate }) => a.dropout!(heap, offsets, n, seed, rate));
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
      const n = backend.makeOutput([U], 'float32');
      a.wnDense!(...heapOperands(backend, [x, v, g, b, y, t, n]), dims(N, I, U, relu ? 1 : 0));
      return [y, t, n];
    },
  });
  tf.registerKernel({
    kernelName: BACK,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { dy, y, t, n, g } = args.inputs as Record<string, tf.TensorInfo>;
      const { relu } = args.attrs as unknown as DenseAttrs;
      const backend = args.backend as unknown as WasmBackendLike;
      const [N, U] = dy.shape;
      const outs = [backend.makeOutput([N, U], 'float32'), backend.makeOutput([U], 'float32'), backend.makeOutput([U], 'float32'), backend.makeOutput([U], 'float32')];
      a.wnDenseBack!(...heapOperands(backend, [dy, y, t, n, g, ...outs]), dims(N, U, relu ? 1 : 0));
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
      kernelName: LEAKY,
      outputsToSave: [true],
      gradFunc: (dy, [y], attrs) => ({ x: () => tf.engine().runKernel(LEAKY_GRAD, { dy: dy as tf.Tensor, y }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor }),
    });
    tf.registerGradient({
      kernelName: DROPOUT,
      gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(DROPOUT, { x: dy as tf.Tensor }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor }),
    });
    tf.registerGradient({
      kernelName: FORWARD,
      inputsToSave: ['x', 'v', 'g'],
      outputsToSave: [true, true, true],
      gradFunc: (dys, saved, attrs) => {
        const [x, v, g, y, t, n] = saved;
        const dy = (dys as tf.Tensor[])[0];
        // dt, dg, db and coef serve every input's gradient, so they are computed once, here;
        // each input's own work (two GEMMs for x and v) runs only if tfjs asks for it.
        const [dt, dg, db, coef] = tf.engine().runKernel(BACK, { dy, y, t, n, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
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
  for (const name of [FORWARD, BACK, GRAD_V, NOISE, LEAKY, LEAKY_GRAD, DROPOUT]) tf.unregisterKernel(name, 'wasm');
  addon = null;
}

/**
 * act((x v) * g/||v|| + b) in one native kernel, or null where that kernel cannot run (another
 * backend, native kernels off, or inside a gradient of a gradient, which WGAN-GP takes and this
 * kernel's hand-written gradient cannot).
 */
export function fusedWnDense(x: tf.Tensor2D, v: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, relu: boolean): tf.Tensor2D | null {
  // Empty or mismatched operands are left to tfjs ops, which say what is wrong (and BLAS refuses
  // zero leading dimensions).
  const U = v.shape[1];
  if (!available(x) || x.size === 0 || v.size === 0 || x.shape[1] !== v.shape[0] || g.size !== U || b.size !== U) return null;
  const attrs: DenseAttrs = { relu };
  const [y] = tf.engine().runKernel(FORWARD, { x, v, g, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return y as tf.Tensor2D;
}

/** x + N(0, sigma²) noise from the seeded stream of util/gaussian.ts, or null as above. */
export function fusedAddNormal<T extends tf.Tensor>(x: T, sigma: number, seed: number): T | null {
  if (!available(x)) return null;
  const attrs: NoiseAttrs = { seed: seed >>> 0, sigma };
  return tf.engine().runKernel(NOISE, { x }, attrs as unknown as tf.NamedAttrMap) as T;
}

/** Leaky ReLU in one native pass, or null as above (its gradient has no gradient of its own). */
export function fusedLeaky<T extends tf.Tensor>(x: T, alpha: number): T | null {
  if (!available(x)) return null;
  const attrs: LeakyAttrs = { alpha };
  return tf.engine().runKernel(LEAKY, { x }, attrs as unknown as tf.NamedAttrMap) as T;
}

/** Inverted dropout with util/dropout.ts's mask for this seed, or null as above. */
export function fusedDropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T | null {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  if (!available(x)) return null;
  const attrs: DropoutAttrs = { seed: seed >>> 0, rate };
  return tf.engine().runKernel(DROPOUT, { x }, attrs as unknown as tf.NamedAttrMap) as T;
}

/** Whether a native layer kernel may run on x here (see fusedWnDense). */
function available(x: tf.Tensor): boolean {
  return addon !== null && tf.getBackend() === 'wasm' && x.dtype === 'float32' && (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth <= 1;
}
