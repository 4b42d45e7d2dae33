import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { readNetWeights, readState } from '../../src/train/checkpoint.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

function rows(runDir: string): Record<string, unknown>[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { wallSeconds: _w, imagesPerSecond: _i, ...rest } = JSON.parse(l);
      return rest;
    });
}

test('a metrics row that spans a resume averages the same steps as without one', async (t) => {
  // Rows every 4 steps, checkpoints every 3: the row at step 8 covers steps 5-8, the resume is at 6.
  const cfg = (runDir: string) =>
    makeConfig({
      kind: 'gan',
      dataset: 'mnist-10k',
      labels: 20,
      batchSize: 10,
      initBatch: 100,
      steps: 14,
      checkpointEvery: 3,
      logEvery: 4,
      backend: 'wasm',
      runDir,
    });
  const straight = cfg(tempDir());
  await train(straight);
  const cut = cfg(tempDir());
  await t.throwsAsync(
    () =>
      train(cut, {
        onStep: (step) => {
          if (step === 7) throw new Error('killed');
        },
      }),
    { message: 'killed' },
  );
  t.is(readState(join(cut.runDir, 'checkpoint')).step, 6);
  await train(cut, { resume: true });
  t.deepEqual(rows(cut.runDir), rows(straight.runDir));
  t.deepEqual(
    rows(cut.runDir).map((r) => r.step),
    [4, 8, 12],
  );
  for (const net of ['D', 'D-ema', 'G']) {
    const a = readNetWeights(join(straight.runDir, 'checkpoint'), net);
    const b = readNetWeights(join(cut.runDir, 'checkpoint'), net);
    for (const k of Object.keys(a)) t.deepEqual(b[k].dataSync(), a[k].dataSync(), `${net}/${k}`);
  }
});
