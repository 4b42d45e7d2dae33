import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { selectBackend } from '../../src/backend/select.ts';
import { planCells } from '../../src/bench/plan.ts';
import { configFromArgs, trainCommand } from '../../src/cli/commands/train.ts';
import { METHOD_REGISTRY, methodDefinition } from '../../src/methods/registry.ts';
import { makeConfig } from '../../src/train/config.ts';
import { readNetWeights } from '../../src/train/checkpoint.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';
import { labelSmoothing } from './label-smoothing/index.ts';

// The one registry line a new method needs.
METHOD_REGISTRY[labelSmoothing.id] = labelSmoothing;

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

const small = {
  method: 'supervised-smooth',
  labels: 50,
  batchSize: 20,
  initBatch: 50,
  steps: 15,
  logEvery: 5,
  backend: 'wasm' as const,
};

test.serial(
  'a method added through the registry alone trains, records its settings and is named by them',
  async (t) => {
    const dirA = tempDir();
    const dirB = tempDir();
    const before = tf.memory().numTensors;
    const a = await train(makeConfig({ ...small, smoothing: 0.3, runDir: dirA }));
    await train(makeConfig({ ...small, smoothing: 0, runDir: dirB }));
    t.is(tf.memory().numTensors, before);
    t.is(a.method, 'supervised-smooth-0.3');
    t.is(a.kind, 'baseline');
    t.is(a.steps, 15);
    const record = JSON.parse(readFileSync(join(dirA, 'run.json'), 'utf8'));
    t.is(record.config.method, 'supervised-smooth');
    t.is(record.config.smoothing, 0.3);
    const rows = readFileSync(join(dirA, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    t.true(rows.every((r) => Number.isFinite(r.lossLab)));
    // The setting reaches the step: the same seed with another smoothing trains other weights.
    const wa = readNetWeights(join(dirA, 'checkpoint'), 'D');
    const wb = readNetWeights(join(dirB, 'checkpoint'), 'D');
    t.notDeepEqual(wa['dense0/b'].dataSync(), wb['dense0/b'].dataSync());
    tf.dispose([...Object.values(wa), ...Object.values(wb)]);
  },
);

test('its settings are checked and turned into flags, and sweeps can name its variants', (t) => {
  t.throws(() => makeConfig({ ...small, smoothing: 2, runDir: tempDir() }), {
    message: '--smoothing: expected a number in [0, 0.9], got 2',
  });
  t.throws(() => makeConfig({ ...small, gLoss: 'minimax', runDir: tempDir() }), {
    message: '--g-loss: not a setting of method supervised-smooth',
  });
  const parse = (argv: string[]) =>
    (trainCommand.builder as (y: ReturnType<typeof yargs>) => ReturnType<typeof yargs>)(yargs(argv))
      .exitProcess(false)
      .parseSync() as Record<string, unknown>;
  const args = parse(['--method', 'supervised-smooth', '--smoothing', '0.25', '--steps', '5']);
  t.is(configFromArgs(args, 'supervised-smooth').smoothing, 0.25);
  t.throws(() => configFromArgs(parse(['--method', 'sslgan', '--smoothing', '0.2', '--steps', '5']), 'sslgan'), {
    message: '--smoothing: a setting of method supervised-smooth, not of sslgan',
  });
  const cells = planCells({
    name: 'x',
    dataset: 'mnist-10k',
    labels: [20],
    methods: ['supervised-smooth-0.1'],
    seeds: [1],
    arch: 'mlp',
    bounds: ['--steps', '5'],
    runFlags: [],
    backend: 'wasm',
    reportsDir: tempDir(),
    ganAugCount: 1000,
  });
  t.deepEqual(cells[0].args, ['train', '--method', 'supervised-smooth', '--arch', 'mlp', '--smoothing', '0.1']);
});

test('run names say what differs from a method default: other shifts, flips, consistency weights', (t) => {
  const name = (method: string, s: Record<string, unknown> = {}) =>
    methodDefinition(method).runName(makeConfig({ method, dataset: 'mnist-10k', steps: 1, ...s }));
  t.is(name('sslgan-ct-aug'), 'sslgan-ct-aug-mlp');
  t.is(name('sslgan-ct-aug', { augShift: 4, ctWeight: 0.3 }), 'sslgan-ct-aug-mlp-ct0.3-shift4');
  t.is(name('sslgan-aug', { augFlip: true }), 'sslgan-aug-mlp-flip');
  t.is(name('sslgan-ct', { entropyWeight: 0.1 }), 'sslgan-ct-mlp-ent');
  t.not(name('sslgan-aug', { augShift: 3 }), name('sslgan-aug'));
});
