import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { ParamStore } from '../../src/models/params.ts';
import type { ModelSpec } from '../../src/models/types.ts';
import {
  clearCheckpoints,
  hasCheckpoint,
  hasNet,
  loadNetInto,
  readNetWeights,
  readState,
  resolveCheckpoint,
  restoreOptimizer,
  saveCheckpoint,
} from '../../src/train/checkpoint.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

const SPEC = {
  arch: 'mlp',
  head: 'implicit',
  imageShape: [2, 2, 1],
  numClasses: 2,
  latentDim: 3,
  initSeed: 1,
  minibatchDisc: false,
  minibatchGroup: 4,
} as ModelSpec;

/** A real parameter store and Adam state whose values depend on `step`, so checkpoints differ. */
function netAt(step: number): { D: ParamStore; opt: tf.Optimizer } {
  const D = new ParamStore('D');
  const w = D.get('w', () => tf.fill([3, 4], step + 0.5));
  D.get('b', () => tf.range(0, 4).add(step));
  const opt = tf.train.adam(0.01);
  // One real update gives the optimizer its moment slots.
  opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
  return { D, opt };
}

async function saveAt(root: string, step: number, keep = 2): Promise<void> {
  const { D, opt } = netAt(step);
  await saveCheckpoint(
    root,
    { nets: { D }, optimizers: { D: opt }, state: { step, spec: SPEC, extra: { step } } },
    { keep },
  );
  D.dispose();
  opt.dispose();
}

function bValues(root: string, warn?: (m: string) => void): number[] {
  const w = readNetWeights(root, 'D', { warn });
  const out = Array.from(w.b.dataSync());
  tf.dispose(Object.values(w));
  return out;
}

function collect(): { warn: (m: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (m) => messages.push(m), messages };
}

test('each save gets its own step folder, the pointer names the newest, only the newest N stay', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  t.false(hasCheckpoint(root));
  t.is(resolveCheckpoint(root), null);
  for (const step of [0, 5, 10, 15]) await saveAt(root, step, 3);
  t.deepEqual(readdirSync(root).sort(), ['latest.json', 'step-00000005', 'step-00000010', 'step-00000015']);
  t.deepEqual(JSON.parse(readFileSync(join(root, 'latest.json'), 'utf8')), { step: 15, path: 'step-00000015' });
  t.is(readState(root).step, 15);
  t.deepEqual(bValues(root), [15, 16, 17, 18]);
  const manifest = JSON.parse(readFileSync(join(root, 'step-00000015', 'manifest.json'), 'utf8'));
  t.deepEqual(Object.keys(manifest.files).sort(), [
    'D/model.json',
    'D/weights.bin',
    'optimizer-D/model.json',
    'optimizer-D/weights.bin',
    'state.json',
  ]);
  t.is(manifest.files['D/weights.bin'].bytes, (12 + 4) * 4);
  t.regex(manifest.files['D/weights.bin'].sha256, /^[0-9a-f]{64}$/);
  t.true(hasNet(root, 'D'));
  t.false(hasNet(root, 'G'));
});

test.serial('weights and optimizer state come back exactly, and loading leaks no tensors', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  const { D, opt } = netAt(7);
  await saveCheckpoint(root, { nets: { D }, optimizers: { D: opt }, state: { step: 7, spec: SPEC, extra: {} } });
  const want = (await opt.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
  const { D: D2, opt: other } = netAt(1);
  other.dispose();
  const before = tf.memory().numTensors;
  loadNetInto(root, 'D', D2);
  t.is(tf.memory().numTensors, before);
  const opt2 = tf.train.adam(0.01);
  await restoreOptimizer(root, 'D', opt2);
  t.deepEqual(Array.from(D2.vars.get('w')!.dataSync()), Array.from(D.vars.get('w')!.dataSync()));
  const got = await opt2.getWeights();
  t.deepEqual(
    got.map((w) => Array.from(w.tensor.dataSync())),
    want,
  );
  // getWeights makes a fresh scalar for the iteration count; the rest are the optimizer's own.
  got.filter((w) => w.name === 'iter').forEach((w) => w.tensor.dispose());
  // Everything the restore allocated belongs to the optimizer.
  opt2.dispose();
  t.is(tf.memory().numTensors, before);
  for (const x of [D, D2]) x.dispose();
  opt.dispose();
});

test('a truncated weights file: falls back to the previous checkpoint, the warning names the file', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5]) await saveAt(root, step);
  const damaged = join(root, 'step-00000005', 'D', 'weights.bin');
  truncateSync(damaged, 10);
  const { warn, messages } = collect();
  t.is(readState(root, { warn }).step, 0);
  t.deepEqual(bValues(root, warn), [0, 1, 2, 3]);
  t.is(messages.length, 1, messages.join('\n'));
  t.true(messages[0].startsWith(`${damaged}: 10 bytes, the manifest says 64`), messages[0]);
  t.regex(messages[0], /fell back to the checkpoint at step 0/);
});

test('a flipped bit in a weights file fails its checksum and falls back', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5]) await saveAt(root, step);
  t.is(readState(root).step, 5);
  const damaged = join(root, 'step-00000005', 'optimizer-D', 'weights.bin');
  const bytes = readFileSync(damaged);
  bytes[bytes.length >> 1] ^= 0x10;
  writeFileSync(damaged, bytes);
  const { warn, messages } = collect();
  t.is(readState(root, { warn }).step, 0);
  t.true(messages[0].startsWith(`${damaged}: checksum differs from the manifest`), messages[0]);
});

test('every checkpoint damaged: one error naming each damaged file, never a silent fresh start', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5]) await saveAt(root, step);
  truncateSync(join(root, 'step-00000005', 'D', 'weights.bin'), 3);
  rmSync(join(root, 'step-00000000', 'state.json'));
  t.true(hasCheckpoint(root));
  const e = t.throws(() => readState(root, { warn: () => {} }));
  t.is(e.message.split('\n').length, 1);
  t.true(e.message.startsWith(`${root}: no intact checkpoint`));
  t.true(e.message.includes(join(root, 'step-00000005', 'D', 'weights.bin')));
  t.true(e.message.includes(join(root, 'step-00000000', 'state.json')));
});

test('a missing pointer: the newest intact folder is used, with a warning', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5]) await saveAt(root, step);
  rmSync(join(root, 'latest.json'));
  const { warn, messages } = collect();
  t.is(readState(root, { warn }).step, 5);
  t.regex(messages[0], /latest\.json: missing; using the newest intact checkpoint/);
});

test('a folder newer than the pointer (a save killed before its commit) is ignored, then replaced', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5, 10]) await saveAt(root, step, 5);
  // As if step 10's save had stopped between its rename and its pointer update.
  writeFileSync(join(root, 'latest.json'), JSON.stringify({ step: 5, path: 'step-00000005' }));
  t.is(readState(root).step, 5);
  // The run resumes from 5 and saves 8: the abandoned step 10 goes.
  await saveAt(root, 8, 5);
  t.deepEqual(readdirSync(root).sort(), ['latest.json', 'step-00000000', 'step-00000005', 'step-00000008']);
});

test('a re-save at the same step is a new folder; the older one goes only after the commit', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5, 5]) await saveAt(root, step);
  t.deepEqual(readdirSync(root).sort(), ['latest.json', 'step-00000000', 'step-00000005-1']);
  t.is(readState(root).step, 5);
});

test('a bad pointer file is reported and the newest intact checkpoint used', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  for (const step of [0, 5]) await saveAt(root, step);
  writeFileSync(join(root, 'latest.json'), '{"step": 5, "pa');
  const { warn, messages } = collect();
  t.is(readState(root, { warn }).step, 5);
  t.true(messages[0].startsWith(`${join(root, 'latest.json')}: unreadable`), messages[0]);
});

/** The layout every run folder had before step folders: files directly under checkpoint/. */
async function writeLegacy(dir: string, step: number): Promise<void> {
  const { D, opt } = netAt(step);
  const put = async (name: string, map: tf.NamedTensorMap) => {
    const e = await tf.io.encodeWeights(map);
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'weights.bin'), new Uint8Array(e.data));
    writeFileSync(
      join(dir, name, 'model.json'),
      JSON.stringify({ format: 'ssgan-params', weightsManifest: [{ paths: ['weights.bin'], weights: e.specs }] }),
    );
  };
  await put('D', Object.fromEntries(D.vars));
  const ws = await opt.getWeights();
  await put('optimizer-D', Object.fromEntries(ws.map((w, i) => [`${String(i).padStart(5, '0')}:${w.name}`, w.tensor])));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ step, spec: SPEC, extra: {} }));
  D.dispose();
  opt.dispose();
}

test('old run folders (checkpoint files directly in checkpoint/) still load, and give way to new saves', async (t) => {
  const root = join(tempDir(), 'checkpoint');
  await writeLegacy(root, 12);
  t.true(hasCheckpoint(root));
  t.is(readState(root).step, 12);
  t.deepEqual(bValues(root), [12, 13, 14, 15]);
  const { D: D2, opt: opt2 } = netAt(0);
  await restoreOptimizer(root, 'D', opt2);
  opt2.dispose();
  D2.dispose();
  // A truncated legacy file is caught by the sizes its model.json describes.
  truncateSync(join(root, 'D', 'weights.bin'), 8);
  t.throws(() => readState(root, { warn: () => {} }), { message: /D\/weights\.bin: 8 bytes, .*describes 64/ });
  await writeLegacy(root, 12);
  // Saving on: the legacy files stay as a fallback until `keep` new checkpoints exist.
  await saveAt(root, 15);
  t.true(existsSync(join(root, 'state.json')));
  await saveAt(root, 18);
  t.deepEqual(readdirSync(root).sort(), ['latest.json', 'step-00000015', 'step-00000018']);
});

test('a crash inside the old directory swap (only checkpoint.old-* left) still resumes from it', async (t) => {
  const run = tempDir();
  const root = join(run, 'checkpoint');
  await writeLegacy(root, 9);
  renameSync(root, join(run, 'checkpoint.old-123-456'));
  t.true(hasCheckpoint(root));
  t.is(readState(root).step, 9);
  t.deepEqual(bValues(root), [9, 10, 11, 12]);
  clearCheckpoints(root);
  t.false(hasCheckpoint(root));
  t.deepEqual(readdirSync(run), []);
});
