import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '../models/types.ts';
import type { ParamStore } from '../models/params.ts';
import { replaceDirAtomic } from '../util/fs.ts';

/**
 * Checkpoints in the tfjs weights format: per network a model.json (our model spec plus the
 * standard weightsManifest) and weights.bin, readable with tf.io.decodeWeights.
 */
export interface CheckpointState {
  step: number;
  spec: ModelSpec;
  /** Anything else needed to continue exactly (epoch counters, timers...). */
  extra: Record<string, unknown>;
}

export interface CheckpointContents {
  nets: Record<string, ParamStore>;
  optimizers: Record<string, tf.Optimizer>;
  state: CheckpointState;
}

function namedMap(store: ParamStore): tf.NamedTensorMap {
  return Object.fromEntries(store.vars);
}

export async function saveCheckpoint(dir: string, c: CheckpointContents): Promise<void> {
  // Encode everything first (async), then write the directory in one synchronous swap.
  const optWeights: Record<string, tf.NamedTensorMap> = {};
  for (const [name, opt] of Object.entries(c.optimizers)) {
    const ws = await opt.getWeights();
    // Optimizer slots are matched by position on restore, so keep the order in the names.
    optWeights[name] = Object.fromEntries(ws.map((w, i) => [`${String(i).padStart(5, '0')}:${w.name}`, w.tensor]));
  }
  const encoded: { name: string; data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[]; kind: string }[] = [];
  for (const [name, store] of Object.entries(c.nets)) {
    const e = await tf.io.encodeWeights(namedMap(store));
    encoded.push({ name, ...e, kind: 'net' });
  }
  for (const [name, m] of Object.entries(optWeights)) {
    const e = await tf.io.encodeWeights(m);
    encoded.push({ name: `optimizer-${name}`, ...e, kind: 'optimizer' });
    // getWeights makes a fresh scalar of the iteration count beside the slot variables.
    tf.dispose(Object.values(m).filter((t) => !(t instanceof tf.Variable)));
  }
  replaceDirAtomic(dir, (tmp) => {
    for (const e of encoded) {
      const netDir = join(tmp, e.name);
      mkdirSync(netDir, { recursive: true });
      writeFileSync(join(netDir, 'weights.bin'), new Uint8Array(e.data));
      writeFileSync(
        join(netDir, 'model.json'),
        JSON.stringify(
          {
            format: 'ssgan-params',
            generatedBy: 'ssgan',
            modelTopology: { kind: e.kind, spec: c.state.spec },
            weightsManifest: [{ paths: ['weights.bin'], weights: e.specs }],
          },
          null,
          1,
        ),
      );
    }
    writeFileSync(join(tmp, 'state.json'), JSON.stringify(c.state, null, 2));
  });
}

/** Loads a network's checkpointed weights into its parameters and releases the loaded copies. */
export function loadNetInto(dir: string, name: string, params: ParamStore): void {
  const w = readNetWeights(dir, name);
  try {
    params.assign(w);
  } finally {
    tf.dispose(Object.values(w));
  }
}

export function readNetWeights(dir: string, name: string): tf.NamedTensorMap {
  const netDir = join(dir, name);
  const modelPath = join(netDir, 'model.json');
  if (!existsSync(modelPath)) throw new Error(`${modelPath}: missing (incomplete checkpoint)`);
  const model = JSON.parse(readFileSync(modelPath, 'utf8'));
  const buf = readFileSync(join(netDir, 'weights.bin'));
  const data = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return tf.io.decodeWeights(data, model.weightsManifest[0].weights);
}

export function readState(dir: string): CheckpointState {
  const p = join(dir, 'state.json');
  if (!existsSync(p)) throw new Error(`${p}: missing (no checkpoint in this run folder)`);
  return JSON.parse(readFileSync(p, 'utf8'));
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'state.json'));
}

export async function restoreOptimizer(dir: string, name: string, opt: tf.Optimizer): Promise<void> {
  const map = readNetWeights(dir, `optimizer-${name}`);
  const entries = Object.keys(map)
    .sort()
    .map((k) => ({ name: k.slice(k.indexOf(':') + 1), tensor: map[k] }));
  await opt.setWeights(entries);
  // The optimizer's slot variables took their own references to these buffers.
  tf.dispose(Object.values(map));
}
