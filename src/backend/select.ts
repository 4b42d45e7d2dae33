import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ADDON_PATH, blasThreads } from './addon.ts';
import { chooseCpuEngine, contenders, type CpuEngine, type Speeds } from './auto-choice.ts';
import { fileDigest, loadPerCore, machineParts, readSpeeds, writeSpeeds, type ProbeKeyParts } from './speed-cache.ts';

export const BACKENDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** tfjs' own name for the engine backend ('tensorflow', 'wasm', 'cpu'). */
  engine: string;
  /** Native BLAS kernels on wasm: on, or why not. */
  native: { enabled: boolean; detail: string } | null;
  /** One line for logs and run records, e.g. "wasm + native kernels (openblas ...)"; with auto, why. */
  description: string;
  /** Why `--backend auto` chose it, e.g. "node present but wasm + native is 2.9x faster here (...)". */
  reason?: string;
}

export interface SelectOptions {
  backend?: BackendChoice;
  /** 'off' keeps plain wasm kernels even where the BLAS addon is built. */
  native?: 'auto' | 'off';
}

const INSTALL_HINT: Record<BackendName, string> = {
  'node-gpu': 'npm install @tensorflow/tfjs-node-gpu (needs CUDA; its install script downloads libtensorflow)',
  node: 'npm install @tensorflow/tfjs-node (its install script downloads libtensorflow; in a clone of ssgan where it cannot, scripts/setup-tfjs-node.sh builds it from pip)',
  wasm: 'npm install @tensorflow/tfjs-backend-wasm',
  cpu: 'npm install @tensorflow/tfjs',
};

class BackendUnavailable extends Error {}

async function tryNode(pkg: string): Promise<void> {
  try {
    // TensorFlow's start-up lines on stderr, unless the user asked for them.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
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
 * `auto` picks the fastest backend that works here (autoSelect): node-gpu with a GPU, else the
 * faster of node and wasm (+ native BLAS kernels) as measured on this machine, else wasm, else cpu.
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
  current = await autoSelect(opts);
  currentNative = native;
  return current;
}

const require = createRequire(import.meta.url);

/** The package's directory where it is installed (without loading it), else null. */
function packageDir(pkg: string): string | null {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return null;
  }
}

/** tfjs-node's compiled binding (lib/napi-vN/tfjs_binding.node), or null. */
function nodeBinding(dir: string): string | null {
  try {
    const napi = readdirSync(join(dir, 'lib')).find((d) => d.startsWith('napi-v'));
    return napi ? join(dir, 'lib', napi, 'tfjs_binding.node') : null;
  } catch {
    return null;
  }
}

/** Bumped when the probe's workload changes, so old measurements are not reused. */
const PROBE_VERSION = 'mlp-kplus1-step-1';
const PROBE_ROUNDS = 2;
const underLoad = (load: number) => (load > 1 ? ` under load ${load.toFixed(1)} per core` : '');

/**
 * node-gpu where it loads and finds a GPU; otherwise the fastest CPU backend present, measured
 * once per machine (speed-probe.ts) where node and wasm are both present, and cached.
 */
async function autoSelect(opts: SelectOptions): Promise<BackendInfo> {
  const missing: Partial<Record<CpuEngine, string>> = {};
  const withReason = (info: BackendInfo, reason: string): BackendInfo => ({
    ...info,
    reason,
    description: `${info.description}; auto: ${reason}`,
  });
  // Which tfjs-node package stands for 'node': node-gpu without a GPU runs libtensorflow on CPU too.
  let nodePkg: 'node' | 'node-gpu' = 'node';
  const gpuDir = packageDir('@tensorflow/tfjs-node-gpu');
  if (gpuDir) {
    try {
      const info = await activate('node-gpu', opts);
      if ((tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice)
        return withReason(info, 'node-gpu loaded and found a GPU');
      nodePkg = 'node-gpu';
    } catch (e) {
      if (!(e instanceof BackendUnavailable)) throw e;
    }
  }
  const nodeDir = nodePkg === 'node-gpu' ? gpuDir : packageDir('@tensorflow/tfjs-node');
  const present: CpuEngine[] = ['cpu'];
  if (nodeDir) present.push('node');
  else missing.node = 'not installed';
  let wasmEngine: CpuEngine | null = null;
  try {
    const info = await activate('wasm', opts);
    wasmEngine = info.native?.enabled ? 'wasm+native' : 'wasm';
    present.push(wasmEngine);
    if (!info.native?.enabled) missing['wasm+native'] = info.native?.detail ?? 'not built';
  } catch (e) {
    if (!(e instanceof BackendUnavailable)) throw e;
    missing.wasm = missing['wasm+native'] = e.message;
  }
  const dropNode = (why: string) => {
    present.splice(present.indexOf('node'), 1);
    missing.node = why;
  };

  let speeds: Speeds = {};
  let when = '';
  if (contenders(present).length === 2) {
    const parts: ProbeKeyParts = {
      ...machineParts(),
      probe: PROBE_VERSION,
      tfjs: tf.version_core,
      node_package: `${nodePkg} ${(require(join(nodeDir!, 'package.json')) as { version: string }).version}`,
      node_binding: fileDigest(nodeBinding(nodeDir!)),
      addon: wasmEngine === 'wasm+native' ? fileDigest(ADDON_PATH) : 'off',
      threads: String(blasThreads()),
    };
    const cached = readSpeeds(parts);
    if (cached && cached.speeds.node && cached.speeds[wasmEngine!]) {
      speeds = cached.speeds;
      when = `measured ${cached.measuredAt.slice(0, 10)}${underLoad(cached.load)}, cached`;
    } else {
      const { probeImagesPerSecond } = await import('./speed-probe.ts');
      // Alternating rounds, best of each: on a shared machine, load that comes and goes then
      // slows both rather than one, and the best round is the least disturbed.
      for (let round = 0; round < PROBE_ROUNDS && present.includes('node'); round++) {
        for (const engine of ['node', wasmEngine!] as const) {
          try {
            await activate(engine === 'node' ? nodePkg : 'wasm', opts);
          } catch (e) {
            if (!(e instanceof BackendUnavailable) || engine !== 'node') throw e;
            dropNode(e.message);
            break;
          }
          speeds[engine] = Math.max(speeds[engine] ?? 0, probeImagesPerSecond());
        }
      }
      if (present.includes('node')) {
        const load = loadPerCore();
        writeSpeeds(parts, speeds, undefined, load);
        when = `measured now${underLoad(load)}`;
      }
    }
  }
  for (;;) {
    const choice = chooseCpuEngine(present, speeds, missing, when);
    try {
      const name: BackendName = choice.pick === 'node' ? nodePkg : choice.pick === 'cpu' ? 'cpu' : 'wasm';
      return withReason(await activate(name, opts), choice.reason);
    } catch (e) {
      if (!(e instanceof BackendUnavailable) || choice.pick !== 'node') throw e;
      // Installed but not loadable (a cached measurement of an older state): the next one present.
      dropNode(e.message);
    }
  }
}

export function currentBackend(): BackendInfo | null {
  return current;
}
