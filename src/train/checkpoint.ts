import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TRAIN_DEFAULTS } from '../config/defaults.ts';
import type { ModelSpec } from '../models/types.ts';
import type { ParamStore } from '../models/params.ts';
import { fileError, fsyncDir, writeFileAtomic, writeFileDurable } from '../util/fs.ts';
import { faultPause } from './fault-pause.ts';

/**
 * A checkpoint manager in the way of tf.train.CheckpointManager and Orbax. Under the checkpoint
 * root (a run's `checkpoint/`) every save is its own folder `step-<8 digits>[-<n>]` holding, per
 * network, a model.json (our model spec plus the standard weightsManifest, readable with
 * tf.io.decodeWeights) and weights.bin, a state.json, and a manifest.json with each file's size
 * and SHA-256. A save is written to `<folder>.partial`, fsynced file by file, renamed into place,
 * and committed by atomically replacing the pointer file `latest.json`; the newest
 * `keepCheckpoints` are kept. Loading takes the pointer's checkpoint, verifies every file
 * against its manifest and falls back to the one before (with a warning naming the damaged file).
 *
 * Folders written before this layout (the checkpoint files directly in `checkpoint/`, or left as
 * `checkpoint.old-*` by a crash inside the old directory swap) still load, as the oldest candidate.
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

export interface SaveOptions {
  /** How many checkpoints to keep (default TRAIN_DEFAULTS.keepCheckpoints). */
  keep?: number;
}

export interface LoadOptions {
  /** Where fallback warnings go (default: stderr, once per message per process). */
  warn?: (msg: string) => void;
}

export const POINTER_FILE = 'latest.json';
export const MANIFEST_FILE = 'manifest.json';
const STEP_FOLDER = /^step-(\d{8,})(?:-(\d+))?$/;

interface ManifestEntry {
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: 'ssgan-checkpoint';
  version: 1;
  step: number;
  files: Record<string, ManifestEntry>;
}

interface Pointer {
  step: number;
  path: string;
}

/** One checkpoint on disk, before verification. */
interface Candidate {
  dir: string;
  /** Sort key: step, then the save counter of a re-save at the same step. */
  step: number;
  rev: number;
  legacy: boolean;
}

export interface ResolvedCheckpoint {
  dir: string;
  step: number;
  legacy: boolean;
  state: CheckpointState;
}

function namedMap(store: ParamStore): tf.NamedTensorMap {
  return Object.fromEntries(store.vars);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function folderName(step: number, rev: number): string {
  const base = `step-${String(step).padStart(8, '0')}`;
  return rev === 0 ? base : `${base}-${rev}`;
}

function listDir(dir: string): string[] {
  if (!existsSync(dir)) return [];
  try {
    return readdirSync(dir);
  } catch (e) {
    throw fileError(dir, 'list the checkpoint folder', e);
  }
}

function stepFolders(root: string): Candidate[] {
  const out: Candidate[] = [];
  for (const name of listDir(root)) {
    const m = STEP_FOLDER.exec(name);
    if (m) out.push({ dir: join(root, name), step: Number(m[1]), rev: Number(m[2] ?? 0), legacy: false });
  }
  return out.sort((a, b) => b.step - a.step || b.rev - a.rev);
}

/** The old layout: files directly in the root, or in `<root>.old-*` left by an interrupted swap. */
function legacyFolders(root: string): Candidate[] {
  const out: Candidate[] = [];
  const parent = dirname(root);
  const dirs = [
    root,
    ...listDir(parent)
      .filter((n) => n.startsWith(`${basename(root)}.old-`))
      .map((n) => join(parent, n)),
  ];
  for (const dir of dirs) {
    const p = join(dir, 'state.json');
    if (!existsSync(p)) continue;
    let step = -1;
    try {
      step = Number(JSON.parse(readFileSync(p, 'utf8')).step);
    } catch {
      // Damaged; verification reports it if it is ever the one to load.
    }
    out.push({ dir, step, rev: 0, legacy: true });
  }
  return out.sort((a, b) => b.step - a.step);
}

function readPointer(root: string, warn: (m: string) => void): Pointer | null {
  const p = join(root, POINTER_FILE);
  if (!existsSync(p)) return null;
  try {
    const v = JSON.parse(readFileSync(p, 'utf8'));
    if (typeof v.step === 'number' && typeof v.path === 'string' && STEP_FOLDER.test(v.path)) return v;
    warn(`${p}: not a checkpoint pointer (expected {"step", "path"}); using the newest intact checkpoint`);
  } catch (e) {
    warn(`${p}: unreadable (${(e as Error).message}); using the newest intact checkpoint`);
  }
  return null;
}

/**
 * Candidates in the order to try them: the pointer's checkpoint, then older ones. Folders newer
 * than the pointer were never committed (a save killed before its pointer update) and are ignored.
 */
function candidates(root: string, warn: (m: string) => void): Candidate[] {
  const folders = stepFolders(root);
  const pointer = readPointer(root, warn);
  let ordered = folders;
  if (pointer) {
    const target = folders.find((c) => basename(c.dir) === pointer.path);
    if (!target) warn(`${join(root, pointer.path)}: named by ${join(root, POINTER_FILE)} but missing`);
    ordered = [...(target ? [target] : []), ...folders.filter((c) => c !== target && c.step <= pointer.step)];
  } else if (folders.length && existsSync(root)) {
    warn(`${join(root, POINTER_FILE)}: missing; using the newest intact checkpoint`);
  }
  return [...ordered, ...legacyFolders(root)];
}

/** Bytes a tfjs weights manifest describes (float32/int32 only in our checkpoints). */
function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let n = 0;
  for (const s of specs) n += s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'bool' ? 1 : 4);
  return n;
}

/** Returns what is wrong with a checkpoint (naming the file), or null when it is intact. */
function damageOf(c: Candidate): string | null {
  if (c.legacy) return legacyDamage(c.dir);
  const mp = join(c.dir, MANIFEST_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(mp, 'utf8'));
  } catch (e) {
    return `${mp}: ${existsSync(mp) ? `unreadable (${(e as Error).message})` : 'missing'}`;
  }
  if (manifest.format !== 'ssgan-checkpoint' || typeof manifest.files !== 'object')
    return `${mp}: not an ssgan checkpoint manifest`;
  if (!manifest.files['state.json']) return `${mp}: lists no state.json`;
  for (const [rel, want] of Object.entries(manifest.files)) {
    const p = join(c.dir, rel);
    if (!existsSync(p)) return `${p}: missing`;
    const size = statSync(p).size;
    if (size !== want.bytes) return `${p}: ${size} bytes, the manifest says ${want.bytes}`;
    if (sha256(readFileSync(p)) !== want.sha256) return `${p}: checksum differs from the manifest (corrupted)`;
  }
  return null;
}

function legacyDamage(dir: string): string | null {
  for (const name of listDir(dir)) {
    const modelPath = join(dir, name, 'model.json');
    if (!existsSync(modelPath)) continue;
    let specs: tf.io.WeightsManifestEntry[];
    try {
      specs = JSON.parse(readFileSync(modelPath, 'utf8')).weightsManifest[0].weights;
    } catch (e) {
      return `${modelPath}: unreadable (${(e as Error).message})`;
    }
    const wp = join(dir, name, 'weights.bin');
    if (!existsSync(wp)) return `${wp}: missing`;
    const size = statSync(wp).size;
    if (size !== expectedBytes(specs)) return `${wp}: ${size} bytes, ${modelPath} describes ${expectedBytes(specs)}`;
  }
  return null;
}

function parseState(dir: string): CheckpointState {
  const p = join(dir, 'state.json');
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new Error(`${p}: unreadable checkpoint state (${(e as Error).message})`);
  }
}

const verified = new Map<string, string>();
const warned = new Set<string>();

function stderrWarn(msg: string): void {
  process.stderr.write(`ssgan: warning: ${msg}\n`);
}

/**
 * The newest intact checkpoint under `root`, or null when there is none at all. Throws (naming
 * every damaged file) when checkpoints exist but none is intact: starting over silently would
 * throw away the run.
 */
export function resolveCheckpoint(root: string, opts: LoadOptions = {}): ResolvedCheckpoint | null {
  // Each warning once per process, however many of the loaders below resolve the same checkpoint.
  const warn = (m: string) => {
    if (warned.has(m)) return;
    warned.add(m);
    (opts.warn ?? stderrWarn)(m);
  };
  const list = candidates(root, warn);
  const damaged: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    // Hash a checkpoint once per process while its manifest and its files' sizes and mtimes stay the same.
    const key = c.legacy ? '' : fingerprint(c.dir);
    const problem = verified.get(c.dir) === key && key !== '' ? null : damageOf(c);
    if (problem === null) {
      if (key) verified.set(c.dir, key);
      let state: CheckpointState;
      try {
        state = parseState(c.dir);
      } catch (e) {
        damaged.push((e as Error).message);
        continue;
      }
      if (damaged.length) warn(`${damaged.join('; ')}; fell back to the checkpoint at step ${state.step} (${c.dir})`);
      return { dir: c.dir, step: state.step, legacy: c.legacy, state };
    }
    verified.delete(c.dir);
    damaged.push(problem);
  }
  if (damaged.length) throw new Error(`${root}: no intact checkpoint (${damaged.join('; ')})`);
  return null;
}

function fingerprint(dir: string): string {
  try {
    const text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
    const files = Object.keys((JSON.parse(text) as Manifest).files);
    return text + files.map((f) => ((s) => `${s.size}:${s.mtimeMs}`)(statSync(join(dir, f)))).join(',');
  } catch {
    return '';
  }
}

function mustResolve(root: string, opts: LoadOptions): ResolvedCheckpoint {
  const r = resolveCheckpoint(root, opts);
  if (!r) throw new Error(`${root}: no checkpoint in this run folder`);
  return r;
}

export async function saveCheckpoint(root: string, c: CheckpointContents, opts: SaveOptions = {}): Promise<void> {
  const keep = Math.max(1, opts.keep ?? TRAIN_DEFAULTS.keepCheckpoints);
  const step = c.state.step;
  // Encode everything first (async), then write synchronously so no other work interleaves.
  const files: { rel: string; data: Uint8Array }[] = [];
  const add = async (name: string, kind: string, map: tf.NamedTensorMap) => {
    const e = await tf.io.encodeWeights(map);
    files.push({ rel: `${name}/weights.bin`, data: new Uint8Array(e.data) });
    const model = {
      format: 'ssgan-params',
      generatedBy: 'ssgan',
      modelTopology: { kind, spec: c.state.spec },
      weightsManifest: [{ paths: ['weights.bin'], weights: e.specs }],
    };
    files.push({ rel: `${name}/model.json`, data: Buffer.from(JSON.stringify(model, null, 1)) });
  };
  for (const [name, store] of Object.entries(c.nets)) await add(name, 'net', namedMap(store));
  for (const [name, opt] of Object.entries(c.optimizers)) {
    const ws = await opt.getWeights();
    // Optimizer slots are matched by position on restore, so keep the order in the names.
    await add(
      `optimizer-${name}`,
      'optimizer',
      Object.fromEntries(ws.map((w, i) => [`${String(i).padStart(5, '0')}:${w.name}`, w.tensor])),
    );
    // getWeights makes a fresh scalar of the iteration count beside the slot variables.
    tf.dispose(ws.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
  }
  files.push({ rel: 'state.json', data: Buffer.from(JSON.stringify(c.state, null, 2)) });

  try {
    mkdirSync(root, { recursive: true });
  } catch (e) {
    throw fileError(root, 'create the checkpoint folder', e);
  }
  dropAbandoned(root, step);
  faultPause('clear', step);

  const existing = stepFolders(root).filter((f) => f.step === step);
  const name = folderName(step, existing.length ? Math.max(...existing.map((f) => f.rev)) + 1 : 0);
  const tmp = join(root, `${name}.partial`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    const manifest: Manifest = { format: 'ssgan-checkpoint', version: 1, step, files: {} };
    const subdirs = new Set<string>();
    for (const [i, f] of files.entries()) {
      const p = join(tmp, f.rel);
      if (!subdirs.has(dirname(p))) {
        try {
          mkdirSync(dirname(p), { recursive: true });
        } catch (e) {
          throw fileError(dirname(p), 'create the folder', e);
        }
        subdirs.add(dirname(p));
      }
      writeFileDurable(p, f.data);
      manifest.files[f.rel] = { bytes: f.data.byteLength, sha256: sha256(f.data) };
      if (i === 0) faultPause('file', step);
    }
    for (const d of subdirs) fsyncDir(d);
    faultPause('files', step);
    writeFileDurable(join(tmp, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
    fsyncDir(tmp);
    faultPause('manifest', step);
    try {
      renameSync(tmp, join(root, name));
    } catch (e) {
      throw fileError(join(root, name), 'rename the new checkpoint into', e);
    }
  } catch (e) {
    // The previous checkpoint and the pointer are untouched; only the partial save goes.
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDir(root);
  faultPause('rename', step);
  const pointer: Pointer = { step, path: name };
  writeFileAtomic(join(root, POINTER_FILE), JSON.stringify(pointer) + '\n');
  faultPause('pointer', step);
  prune(root, name, keep);
  faultPause('prune', step);
}

/**
 * A run that resumed from an older checkpoint (the newest was damaged) and now saves step
 * `step` abandons everything newer: the pointer if it names a later step, and later folders.
 */
function dropAbandoned(root: string, step: number): void {
  const pp = join(root, POINTER_FILE);
  const pointer = readPointer(root, () => {});
  let changed = false;
  if (existsSync(pp) && (!pointer || pointer.step > step)) {
    rmSync(pp, { force: true });
    changed = true;
  }
  for (const f of stepFolders(root)) {
    if (f.step > step) {
      rmSync(f.dir, { recursive: true, force: true });
      changed = true;
    }
  }
  if (changed) fsyncDir(root);
}

/** Keeps the newest `keep` checkpoints (the just-committed `current` first); removes leftovers. */
function prune(root: string, current: string, keep: number): void {
  const folders = stepFolders(root);
  const currentStep = folders.find((f) => basename(f.dir) === current)?.step ?? Infinity;
  const kept: Candidate[] = [];
  const seenSteps = new Set<number>();
  for (const f of folders) {
    // Older saves at the same step were superseded by a re-save.
    const keepIt = f.step <= currentStep && !seenSteps.has(f.step) && kept.length < keep;
    seenSteps.add(f.step);
    if (keepIt) kept.push(f);
    else rmSync(f.dir, { recursive: true, force: true });
  }
  for (const n of listDir(root)) {
    if (STEP_FOLDER.test(n) || n === POINTER_FILE) continue;
    // Partial saves, pointer temp files and the old layout's files, now superseded.
    if (kept.length >= keep || !n.match(/^(state\.json|[^.]+)$/) || n.endsWith('.partial'))
      rmSync(join(root, n), { recursive: true, force: true });
  }
  if (kept.length >= keep) {
    const parent = dirname(root);
    for (const n of listDir(parent))
      if (n.startsWith(`${basename(root)}.old-`) || n.startsWith(`${basename(root)}.tmp-`))
        rmSync(join(parent, n), { recursive: true, force: true });
  }
  fsyncDir(root);
}

/** Removes every checkpoint under `root` (a run started afresh in an existing folder). */
export function clearCheckpoints(root: string): void {
  rmSync(root, { recursive: true, force: true });
  const parent = dirname(root);
  for (const n of listDir(parent))
    if (n.startsWith(`${basename(root)}.old-`) || n.startsWith(`${basename(root)}.tmp-`))
      rmSync(join(parent, n), { recursive: true, force: true });
  for (const k of [...verified.keys()]) if (k.startsWith(root)) verified.delete(k);
}

/** Loads a network's checkpointed weights into its parameters and releases the loaded copies. */
export function loadNetInto(root: string, name: string, params: ParamStore, opts: LoadOptions = {}): void {
  const w = readNetWeights(root, name, opts);
  try {
    params.assign(w);
  } finally {
    tf.dispose(Object.values(w));
  }
}

export function readNetWeights(root: string, name: string, opts: LoadOptions = {}): tf.NamedTensorMap {
  const netDir = join(mustResolve(root, opts).dir, name);
  const modelPath = join(netDir, 'model.json');
  if (!existsSync(modelPath)) throw new Error(`${modelPath}: missing (the checkpoint has no network ${name})`);
  let specs: tf.io.WeightsManifestEntry[];
  try {
    specs = JSON.parse(readFileSync(modelPath, 'utf8')).weightsManifest[0].weights;
  } catch (e) {
    throw new Error(`${modelPath}: unreadable (${(e as Error).message})`);
  }
  const wp = join(netDir, 'weights.bin');
  let buf: Buffer;
  try {
    buf = readFileSync(wp);
  } catch (e) {
    throw fileError(wp, 'read', e);
  }
  const data = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  try {
    return tf.io.decodeWeights(data, specs);
  } catch (e) {
    throw new Error(`${wp}: does not match ${modelPath} (${(e as Error).message})`);
  }
}

export function readState(root: string, opts: LoadOptions = {}): CheckpointState {
  return mustResolve(root, opts).state;
}

/** True when the root holds any checkpoint (intact or not: a damaged one must not be overwritten silently). */
export function hasCheckpoint(root: string): boolean {
  return stepFolders(root).length > 0 || legacyFolders(root).length > 0;
}

/** Whether the latest intact checkpoint holds network `name` (baselines have no G). */
export function hasNet(root: string, name: string, opts: LoadOptions = {}): boolean {
  return existsSync(join(mustResolve(root, opts).dir, name, 'model.json'));
}

export async function restoreOptimizer(
  root: string,
  name: string,
  opt: tf.Optimizer,
  opts: LoadOptions = {},
): Promise<void> {
  const map = readNetWeights(root, `optimizer-${name}`, opts);
  const entries = Object.keys(map)
    .sort()
    .map((k) => ({ name: k.slice(k.indexOf(':') + 1), tensor: map[k] }));
  await opt.setWeights(entries);
  // The optimizer's slot variables took their own references to these buffers.
  tf.dispose(Object.values(map));
}
