import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './addon.ts';
import { heapOperands, type WasmBackendLike } from './wasm-heap.ts';

/**
 * Native kernels for whole layers of the paper's models, registered with the BLAS addon.
 *
 * The weight-normalised dense layer y = act(t * g/n + b), t = x v, n = ||v||, is two kernels with
 * their own gradients: CORE makes t and n, ACT makes y from them. In tfjs ops the layer and its
 * gradient take ~25 kernels (norms, divisions, broadcasts, bias sums), each a pass over memory
 * plus ~20 µs of engine overhead; the paper's discriminator runs six of them twice a step. Two
 * kernels rather than one with t and n as extra outputs: tfjs gives every output without a
 * gradient a zero gradient it builds in JavaScript (~2.6 ms a GAN step for these layers). ACT's
 * gradient is one pass; CORE's GEMMs for dx and dv run only when tfjs asks for those inputs (the
 * generator's update needs D's dx only).
 */
const CORE = 'SsganWnDenseCore';
const CORE_GRAD_V = 'SsganWnDenseCoreGradV';
const ACT = 'SsganWnDenseAct';
const ACT_BACK = 'SsganWnDenseActBack';
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
  if (
    typeof a.wnDenseCore !== 'function' ||
    typeof a.wnDenseCoreGradV !== 'function' ||
    typeof a.wnDenseAct !== 'function' ||
    typeof a.wnDenseActBack !== 'function' ||
    typeof a.addNormal !== 'function' ||
    typeof a.leaky !== 'function' ||
    typeof a.leakyGrad !== 'function' ||
    typeof a.dropout !== 'function'
  )
    return;
  unregisterFusedLayers();
  addon = a;
  // Elementwise kernels: one float32 output shaped like the first input, then one native pass.
  const elementwise = (
    kernelName: string,
    inputs: string[],
    pass: (heap: ArrayBuffer, offsets: Float64Array, n: number, attrs: Record<string, number>) => void,
  ) =>
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
    kernelName: CORE,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, v } = args.inputs as Record<string, tf.TensorInfo>;
      const backend = args.backend as unknown as WasmBackendLike;
      const [N, I] = x.shape;
      const U = v.shape[1];
      const t = backend.makeOutput([N, U], 'float32');
      const n = backend.makeOutput([U], 'float32');
      a.wnDenseCore!(...heapOperands(backend, [x, v, t, n]), dims(N, I, U));
      return [t, n];
    },
  });
  tf.registerKernel({
    kernelName: CORE_GRAD_V,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, dt, v, n, dn } = args.inputs as Record<string, tf.TensorInfo>;
      const backend = args.backend as unknown as WasmBackendLike;
      const dv = backend.makeOutput(v.shape, 'float32');
      a.wnDenseCoreGradV!(...heapOperands(backend, [x, dt, v, n, dn, dv]), dims(x.shape[0], v.shape[0], v.shape[1]));
      return dv;
    },
  });
  tf.registerKernel({
    kernelName: ACT,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { t, n, g, b } = args.inputs as Record<string, tf.TensorInfo>;
      const backend = args.backend as unknown as WasmBackendLike;
      const y = backend.makeOutput(t.shape, 'float32');
      a.wnDenseAct!(
        ...heapOperands(backend, [t, n, g, b, y]),
        dims(t.shape[0], t.shape[1], (args.attrs as unknown as DenseAttrs).relu ? 1 : 0),
      );
      return y;
    },
  });
  tf.registerKernel({
    kernelName: ACT_BACK,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { dy, y, t, n, g } = args.inputs as Record<string, tf.TensorInfo>;
      const backend = args.backend as unknown as WasmBackendLike;
      const [N, U] = dy.shape;
      const outs = [
        backend.makeOutput([N, U], 'float32'),
        backend.makeOutput([U], 'float32'),
        backend.makeOutput([U], 'float32'),
        backend.makeOutput([U], 'float32'),
      ];
      a.wnDenseActBack!(
        ...heapOperands(backend, [dy, y, t, n, g, ...outs]),
        dims(N, U, (args.attrs as unknown as DenseAttrs).relu ? 1 : 0),
      );
      return outs;
    },
  });
  if (!gradientRegistered) {
    // Gradients are registered globally and cannot be removed; they only run for these kernels.
    tf.registerGradient({ kernelName: NOISE, gradFunc: (dy) => ({ x: () => dy as tf.Tensor }) });
    tf.registerGradient({
      kernelName: LEAKY,
      outputsToSave: [true],
      gradFunc: (dy, [y], attrs) => ({
        x: () =>
          tf
            .engine()
            .runKernel(LEAKY_GRAD, { dy: dy as tf.Tensor, y }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      }),
    });
    tf.registerGradient({
      kernelName: DROPOUT,
      gradFunc: (dy, _saved, attrs) => ({
        x: () =>
          tf.engine().runKernel(DROPOUT, { x: dy as tf.Tensor }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      }),
    });
    tf.registerGradient({
      kernelName: ACT,
      inputsToSave: ['t', 'n', 'g'],
      outputsToSave: [true],
      gradFunc: (dy, [t, n, g, y], attrs) => {
        // One pass makes all four; only what tfjs asks for is handed on.
        const [dt, dn, dg, db] = tf
          .engine()
          .runKernel(ACT_BACK, { dy: dy as tf.Tensor, y, t, n, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        return { t: () => dt, n: () => dn, g: () => dg, b: () => db };
      },
    });
    tf.registerGradient({
      kernelName: CORE,
      inputsToSave: ['x', 'v'],
      outputsToSave: [false, true],
      gradFunc: (dys, [x, v, n]) => {
        const [dt, dn] = dys as tf.Tensor[];
        return {
          x: () => tf.matMul(dt, v as tf.Tensor2D, false, true),
          v: () => tf.engine().runKernel(CORE_GRAD_V, { x, dt, v, n, dn }, {}) as tf.Tensor,
        };
      },
    });
    gradientRegistered = true;
  }
}

export function unregisterFusedLayers(): void {
  if (!addon) return;
  for (const name of [CORE, CORE_GRAD_V, ACT, ACT_BACK, NOISE, LEAKY, LEAKY_GRAD, DROPOUT])
    tf.unregisterKernel(name, 'wasm');
  addon = null;
}

/**
 * act((x v) * g/||v|| + b) in two native kernels, or null where they cannot run (another
 * backend, native kernels off, or inside a gradient of a gradient, which WGAN-GP takes and this
 * kernels' hand-written gradients cannot).
 */
export function fusedWnDense(
  x: tf.Tensor2D,
  v: tf.Tensor2D,
  g: tf.Tensor1D,
  b: tf.Tensor1D,
  relu: boolean,
): tf.Tensor2D | null {
  // Empty or mismatched operands are left to tfjs ops, which say what is wrong (and BLAS refuses
  // zero leading dimensions).
  const U = v.shape[1];
  if (!available(x) || x.size === 0 || v.size === 0 || x.shape[1] !== v.shape[0] || g.size !== U || b.size !== U)
    return null;
  const attrs: DenseAttrs = { relu };
  const [t, n] = tf.engine().runKernel(CORE, { x, v }, {}) as tf.Tensor[];
  return tf.engine().runKernel(ACT, { t, n, g, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
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
  return (
    addon !== null &&
    tf.getBackend() === 'wasm' &&
    x.dtype === 'float32' &&
    (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth <= 1
  );
}
