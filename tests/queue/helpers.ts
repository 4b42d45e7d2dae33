import test from 'ava';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { benchFlags } from '../helpers/bench.ts';
import { tempDir } from '../helpers/tmp.ts';

export const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
export const REDIS_SERVER = '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own: 127.0.0.1, a free port, AOF (fsync always) in a temp folder. */
export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** kill -9 (AOF keeps every write), then the same server again on the same port and folder. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = tempDir('ssgan-redis-');
  let proc: ChildProcess;
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      proc = spawn(
        REDIS_SERVER,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--save',
          '',
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          proc.stdout!.off('data', onData);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
    });
  await launch();
  const kill = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart(downMs = 1500) {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    stop: kill,
  };
}

export const queueName = () => `t-${randomBytes(6).toString('hex')}`;

/** A redis-server of the test file's own, started before its tests and killed after them. */
export function redisForFile(): () => TestRedis {
  let redis: TestRedis | undefined;
  test.before(async () => {
    redis = await startRedis();
  });
  test.after.always(async () => {
    await redis?.stop();
  });
  return () => redis!;
}

/** A fresh results folder and queue, and the flags that point bench and workers at them. */
export function queueTarget(redis: TestRedis): { results: string; q: string; args: string[] } {
  const results = tempDir();
  const q = queueName();
  return { results, q, args: ['--queue', redis.url, '--queue-name', q, '--results', results] };
}

/** The queue tests' tiny sweep: benchFlags with batches of 20. */
export const benchGrid = (flags: Record<string, string | number | true>) => benchFlags({ 'batch-size': 20, ...flags });

/** A running `ssgan` process with its stderr kept. */
export interface Proc {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

export function ssgan(args: string[], opts: { env?: Record<string, string> } = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d.toString()));
  child.stderr!.on('data', (d) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, log: () => log, exited };
}

export function worker(url: string, queue: string, results: string, extra: string[] = []): Proc {
  return ssgan(['worker', '--queue', url, '--queue-name', queue, '--results', results, ...extra]);
}

export async function until(what: string, cond: () => boolean, timeoutMs = 180_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

/** Every run folder of a sweep. */
export function runFolders(results: string, name: string): string[] {
  const runs = join(results, name, 'runs');
  return existsSync(runs)
    ? readdirSync(runs)
        .filter((f) => !f.endsWith('-generated'))
        .map((f) => join(runs, f))
    : [];
}

export function metricsSteps(runDir: string): number[] {
  const p = join(runDir, 'metrics.jsonl');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l).step as number];
      } catch {
        return [];
      }
    });
}

/** The follower ends once every result is in the folder; the worker marks the last job completed a moment later. */
export async function completedJobs(url: string, queue: string, n: number): Promise<Record<string, number>> {
  const { Queue } = await import('bullmq');
  const { redisOptions } = await import('../../src/bench/queue/connection.ts');
  const q = new Queue(queue, { connection: redisOptions(url) });
  try {
    const t0 = Date.now();
    for (;;) {
      const counts = await q.getJobCounts();
      if (counts.completed >= n || Date.now() - t0 > 30_000) return counts;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await q.close();
  }
}
