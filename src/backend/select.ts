import * as tf from '@tensorflow/tfjs';

export const BACKENDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** tfjs' own name for the engine backend ('tensorflow', 'wasm', 'cpu'). */
  engine: string;
  /** Native BLAS kernels on wasm: on, or why not. */
  native: { enabled: boolean; detail: string } | null;
  /** One line for logs and run records, e.g. "wasm + native kernels (openblas ...)". */
  description: string;
}

export interface SelectOptions {
  backend?: BackendChoice;
  /** 'off' keeps plain wasm kernels even where the BLAS addon is built. */
  native?: 'auto' | 'off';
}

const INSTALL_HINT: Record<BackendName, string> = {
  'node-gpu': 'npm install @tensorflow/tfjs-node-gpu (needs CUDA; its install script downloads libtensorflow)',
  node: 'npm install @tensorflow/tfjs-node (its install script downloads libtensorflow)',
  wasm: 'npm install @tensorflow/tfjs-backend-wasm',
  cpu: 'npm install @tensorflow/tfjs',
};

class BackendUnavailable extends Error {}

async function tryNode(pkg: string): Promise<void> {
  try {
    // Importing the binding registers the 'tensorflow' backend with the shared tfjs-core.
    await import(pkg);
  } catch (e) {
    throw new BackendUnavailable(
      `${pkg} is not installed or its native library did not load (${(e as Error).message.split('\n')[0]})`,
    );
  }
  if (!(await tf.setBackend('tensorflow')))
    throw new BackendUnavailable(`${pkg} loaded but the 'tensorflow' backend failed to initialise`);
}

async function activate(name: BackendName, opts: SelectOptions): Promise<BackendInfo> {
  if (name === 'node-gpu' || name === 'node') {
    await tryNode(name === 'node' ? '@tensorflow/tfjs-node' : '@tensorflow/tfjs-node-gpu');
    return {
      name,
      engine: 'tensorflow',
      native: null,
      description: name === 'node' ? 'node (libtensorflow, CPU)' : 'node-gpu (libtensorflow, CUDA)',
    };
  }
  if (name === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      throw new BackendUnavailable(
        `@tensorflow/tfjs-backend-wasm did not load (${(e as Error).message.split('\n')[0]})`,
      );
    }
    if (!(await tf.setBackend('wasm'))) throw new BackendUnavailable('the wasm backend failed to initialise');
    await tf.ready();
    const { registerWasmConv2DBackpropFilter } = await import('./wasm-kernels.ts');
    registerWasmConv2DBackpropFilter();
    let native: { enabled: boolean; detail: string } = { enabled: false, detail: 'disabled by --native off' };
    if (opts.native === 'off') {
      const { unregisterNativeKernels } = await import('./native-kernels.ts');
      unregisterNativeKernels();
    } else {
      const { enableNativeKernels } = await import('./native-kernels.ts');
      native = enableNativeKernels();
    }
    const description = native.enabled
      ? `wasm + native kernels (${native.detail})`
      : `wasm (plain kernels: ${native.detail})`;
    return { name, engine: 'wasm', native, description };
  }
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailable('the cpu backend failed to initialise');
  return { name, engine: 'cpu', native: null, description: 'cpu (pure JavaScript, slow)' };
}

let current: BackendInfo | null = null;
/** The --native choice `current` was activated with: asking again with another one re-activates. */
let currentNative: 'auto' | 'off' = 'auto';

/**
 * Picks the fastest backend that works here: node-gpu, node, wasm (+ native BLAS kernels), cpu.
 * An explicitly requested backend that is missing is an error that says how to install it.
 */
export async function selectBackend(opts: SelectOptions = {}): Promise<BackendInfo> {
  const choice = opts.backend ?? 'auto';
  const native = opts.native ?? 'auto';
  if (current && (choice === 'auto' || choice === current.name)) {
    if (current.name !== 'wasm' || native === currentNative) return current;
    // Same backend, other --native setting: only the wasm kernels change.
    current = await activate('wasm', opts);
    currentNative = native;
    return current;
  }
  if (choice !== 'auto') {
    try {
      current = await activate(choice, opts);
    } catch (e) {
      if (e instanceof BackendUnavailable) {
        throw new Error(`--backend ${choice}: ${e.message}. Install it with: ${INSTALL_HINT[choice]}`);
      }
      throw e;
    }
    currentNative = native;
    return current;
  }
  const reasons: string[] = [];
  for (const name of BACKENDS) {
    try {
      current = await activate(name, opts);
      currentNative = native;
      return current;
    } catch (e) {
      if (!(e instanceof BackendUnavailable)) throw e;
      reasons.push(`${name}: ${e.message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start:\n  ${reasons.join('\n  ')}`);
}

export function currentBackend(): BackendInfo | null {
  return current;
}
