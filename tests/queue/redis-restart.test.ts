import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { redisOptions } from '../../src/bench/queue/connection.ts';
import {
  metricsSteps,
  runFolders,
  ssgan,
  stopProc,
  completedJobs,
  until,
  worker,
  redisForFile,
  queueTarget,
  benchGrid,
} from './helpers.ts';

const GRID = benchGrid({
  labels: '20,100',
  methods: 'sslgan-mlp,supervised',
  steps: 200,
  'checkpoint-every': 50,
  name: 'restart',
  'no-report': true,
});

const redisNow = redisForFile();

test.serial(
  'Redis killed and restarted mid-sweep (AOF): workers and the follower reconnect, the sweep finishes',
  async (t) => {
    const redis = redisNow();
    const { results, q, args } = queueTarget(redis);
    const w1 = worker(redis.url, q, results);
    const w2 = worker(redis.url, q, results);
    const bench = ssgan(['bench', ...GRID, ...args]);
    await until('a cell to be mid-run', () => runFolders(results, 'restart').some((d) => metricsSteps(d).length > 0));
    await redis.restart(2000);
    const code = await bench.exited;
    await completedJobs(redis.url, q, 4);
    await Promise.all([stopProc(w1), stopProc(w2)]);
    t.is(code, 0, bench.log() + w1.log() + w2.log());
    const rows = JSON.parse(readFileSync(join(results, 'restart', 'results.json'), 'utf8')).rows;
    t.is(rows.length, 4);
    t.true(
      rows.every((r: { status: string; steps: number }) => r.status === 'ok' && r.steps === 200),
      JSON.stringify(rows),
    );
    const queue = new Queue(q, { connection: redisOptions(redis.url) });
    const counts = await queue.getJobCounts();
    const jobs = await queue.getJobs(['completed']);
    await queue.close();
    t.is(counts.completed, 4);
    t.is(counts.failed, 0);
    // No cell ran twice: one start each across both workers, and no attempt spent.
    const started = [...(w1.log() + w2.log()).matchAll(/(\S+): started/g)].map((m) => m[1]);
    t.is(started.length, 4, w1.log() + w2.log());
    t.true(jobs.every((j) => j.attemptsMade === 1));
  },
);
