import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from '../../src/train/checkpoint.ts';
import { tempDir } from '../helpers/tmp.ts';
import { BIN } from './harness.ts';

const args = (runDir: string, steps: number) => [
  BIN,
  'train',
  '--labels',
  '20',
  '--batch-size',
  '10',
  '--steps',
  String(steps),
  '--checkpoint-every',
  '1000',
  '--log-every',
  '2',
  '--backend',
  'wasm',
  '--quiet',
  '--run-dir',
  runDir,
];

test('SIGTERM stops at the next step with the step checkpointed, no result, and --resume finishes the run', async (t) => {
  const dir = tempDir();
  const child = spawn(process.execPath, args(dir, 2000), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const metrics = join(dir, 'metrics.jsonl');
  // Signal once training is under way (a few rows written), far from any periodic checkpoint.
  const started = Date.now();
  while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').length > 4)) {
    if (Date.now() - started > 120_000) t.fail('no metrics rows after 120 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  t.is(code, 143, stderr);
  t.regex(stderr, /interrupted at step \d+; the checkpoint holds it, --resume continues/);
  t.false(existsSync(join(dir, 'result.json')));
  const step = readState(join(dir, 'checkpoint')).step;
  t.true(step >= 8 && step < 2000, `checkpointed at step ${step}`);
  const resumed = spawn(process.execPath, [...args(dir, step + 4), '--resume'], { stdio: 'ignore' });
  t.is(await new Promise<number | null>((r) => resumed.on('close', r)), 0);
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
  t.is(result.steps, step + 4);
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  t.is(record.resumedAtStep, step);
});
