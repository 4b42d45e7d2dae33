import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisOptions } from '../../src/bench/queue/connection.ts';
import { tempDir } from '../helpers/tmp.ts';
import { BIN, ssgan, stopProc, completedJobs, worker, redisForFile, queueTarget, benchGrid } from './helpers.ts';

// 2 budgets × (GAN, supervised, supervised + the GAN's images): 6 tiny cells, two of them waiting on a GAN cell.
const GRID = benchGrid({
  labels: '20,100',
  methods: 'sslgan-cond-mlp-shift2,supervised,supervised+gan-aug',
  steps: 20,
  'gan-aug-count': 50,
  // 20 GAN steps: keep every sample its classifier agrees with, however unsure.
  'gan-aug-min-confidence': 0,
  name: 'six',
  'no-report': true,
});

const redisNow = redisForFile();

test.serial('6 cells on 2 workers through Redis: each runs once, with the results of the local pool', async (t) => {
  const redis = redisNow();
  const { results, q, args } = queueTarget(redis);
  const w1 = worker(redis.url, q, results);
  const w2 = worker(redis.url, q, results);
  const bench = ssgan(['bench', ...GRID, ...args]);
  const code = await bench.exited;
  await completedJobs(redis.url, q, 6);
  await Promise.all([stopProc(w1), stopProc(w2)]);
  t.is(code, 0, bench.log() + w1.log() + w2.log());
  const rows = JSON.parse(readFileSync(join(results, 'six', 'results.json'), 'utf8')).rows;
  t.is(rows.length, 6);
  t.true(rows.every((r: { status: string }) => r.status === 'ok'));

  // Each job was taken once, by one of the two workers, and both workers worked.
  const started = [...(w1.log() + w2.log()).matchAll(/(\S+): started \(attempt (\d+)\)/g)];
  t.is(started.length, 6, w1.log() + w2.log());
  t.is(new Set(started.map((m) => m[1])).size, 6);
  t.true(started.every((m) => m[2] === '1'));
  t.true(/started/.test(w1.log()) && /started/.test(w2.log()), 'both workers ran cells');
  const queue = new Queue(q, { connection: redisOptions(redisNow().url) });
  const counts = await queue.getJobCounts();
  await queue.close();
  t.is(counts.completed, 6);

  // The same cells on the local pool: the same numbers.
  const local = tempDir();
  const r = spawnSync(process.execPath, [BIN, 'bench', ...GRID, '--reports-dir', local, '--workers', '2'], {
    encoding: 'utf8',
  });
  t.is(r.status, 0, r.stderr);
  const localRows = JSON.parse(readFileSync(join(local, 'six', 'results.json'), 'utf8')).rows;
  const pick = (xs: { id: string; key: string; accuracy: number; steps: number }[]) =>
    Object.fromEntries(xs.map((x) => [x.id, { key: x.key, accuracy: x.accuracy, steps: x.steps }]));
  t.deepEqual(pick(rows), pick(localRows));
  for (const row of rows) {
    const a = JSON.parse(readFileSync(join(row.runDir, 'result.json'), 'utf8'));
    const localRow = localRows.find((x: { id: string }) => x.id === row.id);
    const b = JSON.parse(readFileSync(join(localRow.runDir, 'result.json'), 'utf8'));
    t.deepEqual(a.confusion, b.confusion, row.id);
  }
  // gan-aug cells trained on images of their own GAN cell, which had finished first.
  for (const row of rows.filter((x: { method: string }) => x.method === 'supervised+gan-aug')) {
    const gan = rows.find((x: { id: string }) => x.id === `${row.labels}-sslgan-cond-mlp-shift2-s1`);
    t.is(JSON.parse(readFileSync(`${row.runDir}-generated/manifest.json`, 'utf8')).run, gan.runDir);
  }

  // --status reads the finished sweep; a second submission adds nothing and reruns nothing.
  const st = spawnSync(process.execPath, [BIN, 'bench', ...GRID, ...args, '--status'], {
    encoding: 'utf8',
  });
  t.is(st.status, 0, st.stderr);
  t.regex(st.stdout, /6 cells: 6 done, 0 running, 0 waiting, 0 failed/);
  t.true(existsSync(join(results, 'six', 'sweep.json')));

  // Redis loses everything: the results folder is the source of truth; resubmitting finds every
  // cell done there, enqueues none, and rebuilds results.json with no worker running.
  const redisClient = new Redis(redisOptions(redis.url));
  await redisClient.flushall();
  await redisClient.quit();
  rmSync(join(results, 'six', 'results.json'));
  const again = spawnSync(process.execPath, [BIN, 'bench', ...GRID, ...args], {
    encoding: 'utf8',
  });
  t.is(again.status, 0, again.stderr);
  t.regex(again.stderr, /6 cells, 6 already finished, 0 in queue/);
  t.deepEqual(pick(JSON.parse(readFileSync(join(results, 'six', 'results.json'), 'utf8')).rows), pick(rows));
});
