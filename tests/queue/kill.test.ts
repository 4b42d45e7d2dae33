import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

// One GAN cell long enough to be killed in the middle: 400 steps, a metrics row and a checkpoint every 50.
const CELL = benchGrid({
  labels: 100,
  methods: 'sslgan-mlp',
  steps: 400,
  'checkpoint-every': 50,
  name: 'k',
  'no-report': true,
  attempts: 3,
  'backoff-seconds': 1,
});
// Short locks so the dead worker's cell is taken over within seconds.
const FAST = ['--lock-seconds', '4', '--stalled-seconds', '2'];

const redisNow = redisForFile();

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function killMidCell(t: ExecutionContext, target: 'worker' | 'child' | 'sigterm') {
  const redis = redisNow();
  const { results, q, args } = queueTarget(redis);
  const submit = ssgan(['bench', ...CELL, ...args, '--detach']);
  t.is(await submit.exited, 0, submit.log());
  const a = worker(redis.url, q, results, FAST);
  // Mid-cell: past the checkpoint at step 100.
  await until('the cell to pass step 150', () => runFolders(results, 'k').some((d) => metricsSteps(d).includes(150)));
  const b = worker(redis.url, q, results, FAST);
  await until('the second worker', () => /worker on queue/.test(b.log()));
  const child = childrenOf(a.child.pid!)[0];
  const training = childrenOf(child)[0];
  t.truthy(training, 'the cell trains in a grandchild of the worker');
  if (target === 'worker') a.child.kill('SIGKILL');
  else if (target === 'child') process.kill(child, 'SIGKILL');
  else {
    a.child.kill('SIGTERM');
    t.is(await a.exited, 0, a.log());
  }
  // Nothing of the killed run goes on writing into the run folder.
  await until('the killed run to end', () => !alive(training), 10_000);

  const follow = ssgan(['bench', ...CELL, ...args]);
  const code = await follow.exited;
  await completedJobs(redis.url, q, 1);
  await Promise.all([stopProc(a), stopProc(b)]);
  t.is(code, 0, follow.log() + a.log() + b.log());
  const folders = runFolders(results, 'k');
  t.is(folders.length, 1);
  t.is(folders.filter((d) => existsSync(join(d, 'result.json'))).length, 1, 'exactly one result.json');
  const steps = metricsSteps(folders[0]);
  t.deepEqual(
    steps,
    Array.from({ length: 8 }, (_, i) => 50 * (i + 1)),
    'every step logged once',
  );
  const run = JSON.parse(readFileSync(join(folders[0], 'run.json'), 'utf8'));
  t.log(`killed the ${target} at step >= 150; resumed at step ${run.resumedAtStep}; metrics steps ${steps.join(',')}`);
  t.true(run.resumedAtStep >= 100, `resumed from a checkpoint (at step ${run.resumedAtStep})`);
  t.is(JSON.parse(readFileSync(join(folders[0], 'result.json'), 'utf8')).steps, 400);
  const queue = new Queue(q, { connection: redisOptions(redis.url) });
  const jobs = await queue.getJobs(['completed']);
  const counts = await queue.getJobCounts();
  await queue.close();
  t.is(jobs.length, 1);
  t.is(counts.failed, 0);
  return { a, b, job: jobs[0] };
}

test.serial('kill -9 of a worker mid-cell: the other worker resumes the cell from its checkpoint', async (t) => {
  const { b, job } = await killMidCell(t, 'worker');
  t.regex(b.log(), /started \(attempt 1\)/, 'taken over by the other worker');
  t.is(job.stalledCounter, 1, 'recovered once from a dead worker');
  t.is(job.attemptsMade, 1, 'a dead worker costs no attempt');
});

test.serial('kill -9 of only the cell child: the cell is retried and resumes from its checkpoint', async (t) => {
  const { job } = await killMidCell(t, 'child');
  t.is(job.attemptsMade, 2, 'the killed attempt counts; the next one finished');
});

test.serial(
  'SIGTERM to a worker: its cell goes back to the queue without using an attempt and resumes elsewhere',
  async (t) => {
    const { a, b, job } = await killMidCell(t, 'sigterm');
    t.regex(a.log(), /SIGTERM: stopping the running cells and putting them back in the queue/);
    t.notRegex(a.log(), /failed/);
    t.regex(b.log(), /started \(attempt 1\)/);
    t.is(job.attemptsMade, 1, 'only the attempt that finished counts');
    t.is(job.stalledCounter, 0, 'put back, not left to stall');
  },
);
