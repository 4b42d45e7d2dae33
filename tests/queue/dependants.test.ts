import test from 'ava';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ssgan, stopProc, worker, redisForFile, queueTarget, benchGrid } from './helpers.ts';

// A gan-aug cell and the GAN cell it draws from.
const GRID = benchGrid({
  labels: 20,
  methods: 'supervised+gan-aug',
  steps: 20,
  'gan-aug-count': 30,
  // 20 GAN steps: keep every sample its classifier agrees with, however unsure.
  'gan-aug-min-confidence': 0,
  name: 'dep',
  'no-report': true,
  attempts: 2,
  'backoff-seconds': 0.5,
});

const redisNow = redisForFile();

test.serial('a failed GAN cell fails its gan-aug cell with the reason; --retry-failed runs both', async (t) => {
  const redis = redisNow();
  const { results, q, args } = queueTarget(redis);
  const submit = ssgan(['bench', ...GRID, ...args, '--detach']);
  t.is(await submit.exited, 0, submit.log());
  const plan = JSON.parse(readFileSync(join(results, 'dep', 'sweep.json'), 'utf8'));
  const gan = plan.cells.find((c: { method: string }) => c.method === 'sslgan-cond-mlp-shift2');
  // A file where the GAN's run folder must go: every attempt of the GAN cell fails.
  mkdirSync(join(results, 'dep', 'runs'), { recursive: true });
  const blocker = join(results, 'dep', 'runs', gan.folder);
  writeFileSync(blocker, 'not a folder');
  const w = worker(redis.url, q, results);
  const first = ssgan(['bench', ...GRID, ...args]);
  t.is(await first.exited, 1, first.log() + w.log());
  let rows = JSON.parse(readFileSync(join(results, 'dep', 'results.json'), 'utf8')).rows;
  const ganRow = rows.find((r: { id: string }) => r.id === gan.id);
  const augRow = rows.find((r: { id: string }) => r.id !== gan.id);
  t.is(ganRow.status, 'failed');
  t.true(ganRow.failure.includes(gan.folder), ganRow.failure);
  t.is(augRow.status, 'failed');
  t.regex(augRow.failure, new RegExp(`^its GAN cell ${gan.id} failed: `));
  t.is([...w.log().matchAll(new RegExp(`${gan.id}\\.\\S+: started`, 'g'))].length, 2, 'both attempts of the GAN');

  // The cause removed, the failed cells go again: the GAN first, then the cell waiting on it.
  rmSync(blocker);
  const retry = ssgan(['bench', ...GRID, ...args, '--retry-failed']);
  t.is(await retry.exited, 0, retry.log() + w.log());
  await stopProc(w);
  t.regex(retry.log(), new RegExp(`1 failed cell back in the queue: ${gan.id}`));
  rows = JSON.parse(readFileSync(join(results, 'dep', 'results.json'), 'utf8')).rows;
  t.is(rows.length, 2);
  t.true(
    rows.every((r: { status: string }) => r.status === 'ok'),
    JSON.stringify(rows),
  );
});
