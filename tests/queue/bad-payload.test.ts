import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { redisOptions } from '../../src/bench/queue/connection.ts';
import { sweepPrefix } from '../../src/bench/queue/jobs.ts';
import { ssgan, stopProc, worker, redisForFile, queueTarget, benchGrid } from './helpers.ts';

const GRID = benchGrid({
  labels: 20,
  methods: 'supervised',
  steps: 20,
  name: 'bad',
  attempts: 3,
  'backoff-seconds': 1,
});

const redisNow = redisForFile();

test.serial('a bad payload fails once, is not retried, and is named in results.json and the report', async (t) => {
  const redis = redisNow();
  const { results, q, args } = queueTarget(redis);
  const submit = ssgan(['bench', ...GRID, ...args, '--detach']);
  t.is(await submit.exited, 0, submit.log());
  const { sweep } = JSON.parse(readFileSync(join(results, 'bad', 'sweep.json'), 'utf8'));
  const queue = new Queue(q, { connection: redisOptions(redis.url) });
  const badId = `${sweepPrefix(sweep)}.escape`;
  // A payload whose run folder would climb out of the results folder.
  await queue.add(
    'escape',
    {
      v: 1,
      sweep,
      name: '..',
      dataset: 'mnist-10k',
      dataChecksum: 'x',
      id: 'e',
      key: 'k',
      method: 'supervised',
      folder: 'f',
      labels: 20,
      seed: 1,
      runArgs: ['baseline'],
    },
    { jobId: badId, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnFail: false },
  );
  const w = worker(redis.url, q, results);
  const follow = ssgan(['bench', ...GRID, ...args]);
  const code = await follow.exited;
  await stopProc(w);
  t.is(code, 1, follow.log());
  t.regex(follow.log(), /ssgan: 1 of 2 runs failed/);
  const job = (await queue.getJob(badId))!;
  t.is(await job.getState(), 'failed');
  t.is(job.attemptsMade, 1, 'not retried');
  await queue.close();
  t.is([...w.log().matchAll(/escape: started/g)].length, 1, w.log());

  const rows = JSON.parse(readFileSync(join(results, 'bad', 'results.json'), 'utf8')).rows;
  t.is(rows.length, 2);
  t.is(rows.find((r: { id: string }) => r.id === '20-supervised-s1').status, 'ok');
  const bad = rows.find((r: { id: string }) => r.id === badId);
  t.is(bad.status, 'failed');
  t.regex(bad.failure, /invalid payload: name must be a plain folder name, got "\.\."/);
  const md = readFileSync(join(results, 'bad', 'report.md'), 'utf8');
  t.regex(md, new RegExp(`- ${badId.replace(/[.]/g, '\\.')}: job ${badId.replace(/[.]/g, '\\.')}: invalid payload`));
});
