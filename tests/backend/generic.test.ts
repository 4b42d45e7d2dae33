import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { readIdxPair } from '../../src/data/idx.ts';
import { readNetWeights, readState } from '../../src/train/checkpoint.ts';
import { makeConfig, type TrainConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { TEST_BACKEND, TEST_ENGINE } from '../helpers/backend.ts';
import { tempDir } from '../helpers/tmp.ts';

// What every backend must do, run on wasm in the main group and on node in the node group
// (SSGAN_TEST_BACKEND): train both architectures, leak nothing, resume exactly, evaluate, generate.

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
const ssgan = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--backend', TEST_BACKEND], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test.before(async () => {
  await selectBackend({ backend: TEST_BACKEND });
});

function config(arch: 'mlp' | 'dcgan', extra: Partial<TrainConfig> = {}): TrainConfig {
  return makeConfig({
    kind: 'gan',
    arch,
    dataset: 'mnist-10k',
    labels: 20,
    batchSize: 10,
    initBatch: 100,
    steps: 10,
    checkpointEvery: 4,
    logEvery: 2,
    backend: TEST_BACKEND,
    runDir: tempDir(),
    ...extra,
  });
}

const runs: Partial<Record<'mlp' | 'dcgan', string>> = {};

for (const arch of ['mlp', 'dcgan'] as const) {
  test.serial(
    `${arch} on ${TEST_BACKEND}: GAN steps train, leak nothing, and a resumed run ends where a straight one does`,
    async (t) => {
      t.is(tf.getBackend(), TEST_ENGINE);
      const straight = config(arch);
      const counts: number[] = [];
      const r1 = await train(straight, {
        onStep: (step) => {
          if (step === 5 || step === 7) counts.push(tf.memory().numTensors);
        },
      });
      t.is(r1.steps, 10);
      t.is(counts[1], counts[0], `numTensors after steps 5 and 7 (between checkpoints): ${counts}`);
      const record = JSON.parse(readFileSync(join(straight.runDir, 'run.json'), 'utf8'));
      t.is(record.environment.backend.name, TEST_BACKEND);
      const rows = readFileSync(join(straight.runDir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      t.true(rows.length >= 4);
      for (const row of rows)
        for (const [k, v] of Object.entries(row))
          if (typeof v === 'number') t.true(Number.isFinite(v), `${k} at ${row.step}`);

      const interrupted = { ...straight, runDir: tempDir() };
      await t.throwsAsync(
        () =>
          train(interrupted, {
            onStep: (step) => {
              if (step === 6) throw new Error('killed');
            },
          }),
        { message: 'killed' },
      );
      t.is(readState(join(interrupted.runDir, 'checkpoint')).step, 4);
      const r2 = await train(interrupted, { resume: true });
      t.is(r2.steps, 10);
      t.is(r2.accuracy, r1.accuracy);
      for (const net of ['D', 'D-ema', 'G']) {
        const a = readNetWeights(join(straight.runDir, 'checkpoint'), net);
        const b = readNetWeights(join(interrupted.runDir, 'checkpoint'), net);
        for (const k of Object.keys(a)) t.deepEqual(b[k].dataSync(), a[k].dataSync(), `${net}/${k}`);
        tf.dispose([...Object.values(a), ...Object.values(b)]);
      }
      runs[arch] = straight.runDir;
    },
  );
}

// tf.Optimizer.getWeights() makes an iterations scalar that a checkpoint must release.
test.serial(`a checkpoint on ${TEST_BACKEND} leaks no tensors`, async (t) => {
  const counts: number[] = [];
  await train(config('mlp', { steps: 9, checkpointEvery: 4 }), {
    onStep: (step) => {
      if (step === 3 || step === 9) counts.push(tf.memory().numTensors);
    },
  });
  t.is(counts[1], counts[0], `numTensors after steps 3 and 9, two checkpoints apart: ${counts}`);
});

test.serial(`evaluate on ${TEST_BACKEND} gives the accuracy the run reported`, (t) => {
  for (const arch of ['mlp', 'dcgan'] as const) {
    const dir = runs[arch];
    if (!dir) return t.fail(`the ${arch} run failed`);
    const r = ssgan('evaluate', '--run', dir, '--json');
    t.is(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    t.is(out.count, 2000);
    t.true(out.backend.startsWith(TEST_BACKEND), out.backend);
    // Same classifier, same test images: the same count of right answers.
    t.is(Math.round(out.accuracy * 2000), Math.round(result.accuracy * 2000), arch);
  }
});

test.serial(`generate on ${TEST_BACKEND} writes labelled images any IDX reader loads`, (t) => {
  const dir = runs.mlp;
  if (!dir) return t.fail('the mlp run failed');
  const out = join(tempDir(), 'gen');
  const r = ssgan('generate', '--run', dir, '--count', '30', '--out', out, '--min-confidence', '0');
  t.is(r.code, 0, r.err);
  t.regex(r.err, new RegExp(`^backend: ${TEST_BACKEND}`, 'm'));
  const back = readIdxPair(join(out, 'images-idx3-ubyte'), join(out, 'labels-idx1-ubyte'));
  t.deepEqual(back.images.dims, [30, 28, 28]);
  t.true(Array.from(back.labels.data).every((l) => l >= 0 && l < 10));
  // Real generator output: pixels vary, within a uint8 image.
  t.true(new Set(back.images.data).size > 10);
});
