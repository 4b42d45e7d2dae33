import test from 'ava';
import { Queue } from 'bullmq';
import { redisOptions } from '../../src/bench/queue/connection.ts';
import { ssgan, redisForFile, queueTarget, benchGrid } from './helpers.ts';

// 2 budgets × 2 seeds × (GAN, supervised, gan-aug) = 12 cells, 4 of them flows with a GAN child.
const GRID = benchGrid({
  labels: '20,100',
  methods: 'sslgan-cond-mlp-shift2,supervised,supervised+gan-aug',
  seeds: 2,
  steps: 20,
  name: 'dup',
  detach: true,
});

const redisNow = redisForFile();

async function jobCount(q: string): Promise<{ total: number; ids: string[] }> {
  const queue = new Queue(q, { connection: redisOptions(redisNow().url) });
  const counts = await queue.getJobCounts();
  const jobs = await queue.getJobs();
  await queue.close();
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), ids: jobs.map((j) => j.id!) };
}

for (const how of ['sequentially', 'concurrently'] as const)
  test.serial(`the same sweep submitted twice, ${how}: as many jobs as cells`, async (t) => {
    const redis = redisNow();
    const { q, args } = queueTarget(redis);
    const submit = () => ssgan(['bench', ...GRID, ...args]);
    if (how === 'sequentially') {
      const a = submit();
      t.is(await a.exited, 0, a.log());
      const b = submit();
      t.is(await b.exited, 0, b.log());
    } else {
      const [a, b] = [submit(), submit()];
      const codes = await Promise.all([a.exited, b.exited]);
      t.deepEqual(codes, [0, 0], a.log() + b.log());
    }
    const { total, ids } = await jobCount(q);
    t.is(total, 12);
    t.is(new Set(ids).size, 12);
    // One id scheme: the sweep's prefix, the cell, a hash of sweep and cell key.
    t.true(
      ids.every((id) => /^sweep-[0-9a-f]{16}\.[^.]+\.[0-9a-f]{16}$/.test(id)),
      ids.join(' '),
    );
  });
