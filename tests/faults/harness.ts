import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readMetricsFile } from '../../src/run/metrics-file.ts';
import { resolveCheckpoint } from '../../src/train/checkpoint.ts';

/**
 * A real `ssgan train` process, started and killed for real. Runs are tiny (the embedded digits,
 * the MLP, batches of 10, 30 steps, a checkpoint every 3) so ~30 process starts fit in minutes.
 */
export const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;
export const STEPS = 30;
export const EVERY = 3;
export const NETS = ['D', 'D-ema', 'G', 'optimizer-D', 'optimizer-G'];

/** The suite's `ssgan train` command line; `extra` flags replace the same flags' defaults here. */
export function trainArgs(runDir: string, extra: string[] = []): string[] {
  const base = [
    BIN,
    'train',
    '--dataset',
    'mnist-10k',
    '--arch',
    'mlp',
    '--labels',
    '20',
    '--batch-size',
    '10',
    '--steps',
    String(STEPS),
    '--checkpoint-every',
    String(EVERY),
    '--log-every',
    '1',
    '--backend',
    'wasm',
    '--run-dir',
    runDir,
  ];
  for (let i = 0; i < extra.length; i++) {
    const at = base.indexOf(extra[i]);
    const hasValue = i + 1 < extra.length && !extra[i + 1].startsWith('--');
    if (at >= 0 && hasValue) base[at + 1] = extra[++i];
    else base.push(extra[i]);
  }
  return base;
}

export interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/** Runs to the end (or to its own error). */
export function runToEnd(args: string[], env: Record<string, string> = {}): Finished {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, signal: r.signal, stderr: r.stderr, stdout: r.stdout };
}

/** Same, through bash so a shell limit (ulimit -f) applies to the process. */
export function runToEndLimited(args: string[], fileLimitKiB: number): Finished {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `ulimit -f ${fileLimitKiB} && exec ${quoted}`], { encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stderr: r.stderr, stdout: r.stdout };
}

export type KillWhen =
  | { kind: 'stage'; stage: string; step: number }
  /** Once this process has written the metrics row of `step` (it then runs on until the signal lands). */
  | { kind: 'row'; step: number };

/**
 * Starts training and SIGKILLs it at the given point: inside a checkpoint save (via the
 * SSGAN_FAULT_PAUSE hook, which stops the process between two stages), or as soon as the metrics
 * row of a step appears. Rejects if the process ends on its own.
 */
export function runAndKill(args: string[], runDir: string, when: KillWhen, timeoutMs = 180_000): Promise<Finished> {
  const env = { ...process.env };
  if (when.kind === 'stage') env.SSGAN_FAULT_PAUSE = `${when.stage}@${when.step}`;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  let timer: NodeJS.Timeout | undefined;
  let killed = false;
  const kill = () => {
    if (!killed) child.kill('SIGKILL');
    killed = true;
  };
  const poll = () => {
    if (killed) return;
    if (when.kind === 'stage' ? stderr.includes('ssgan-fault: paused') : rowWritten(runDir, when.step, stderr)) kill();
    else timer = setTimeout(poll, 10);
  };
  poll();
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      kill();
      reject(new Error(`no kill point ${JSON.stringify(when)} within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      clearTimeout(deadline);
      if (signal !== 'SIGKILL')
        reject(new Error(`process ended by itself (${status}) before ${JSON.stringify(when)}: ${stderr}`));
      else resolve({ status, signal, stderr, stdout });
    });
  });
}

/** The "run folder" log line comes after a resume's metrics truncation, so older rows cannot fool the poll. */
function rowWritten(runDir: string, step: number, stderr: string): boolean {
  if (!stderr.includes('; run folder ')) return false;
  try {
    return readMetricsFile(join(runDir, 'metrics.jsonl'), () => {}).some((r) => r.step >= step);
  } catch {
    return false;
  }
}

/** The step a process said it resumed at, or null if it started afresh. */
export function resumedAt(stderr: string): number | null {
  const m = /resuming .* at step (\d+)/.exec(stderr);
  return m ? Number(m[1]) : null;
}

/** Metrics rows without the fields that measure time. */
export function metricsOf(runDir: string, warn: (m: string) => void = () => {}): Record<string, unknown>[] {
  return readMetricsFile(join(runDir, 'metrics.jsonl'), warn).map((r) => {
    const rest: Record<string, unknown> = { ...r };
    delete rest.wallSeconds;
    delete rest.imagesPerSecond;
    return rest;
  });
}

/** SHA-256 of each network's and optimizer's weights.bin in the checkpoint `dir`. */
export function weightDigests(dir: string): Record<string, string> {
  return Object.fromEntries(
    NETS.map((n) => [
      n,
      createHash('sha256')
        .update(readFileSync(join(dir, n, 'weights.bin')))
        .digest('hex'),
    ]),
  );
}

/** The reference run's checkpoint at `step` (it keeps them all; a re-save at one step gets a suffix). */
export function referenceCheckpoint(refDir: string, step: number): string {
  const base = `step-${String(step).padStart(8, '0')}`;
  const root = join(refDir, 'checkpoint');
  const name = readdirSync(root).find((n) => n === base || n.startsWith(`${base}-`));
  return join(root, name ?? base);
}

/** The checkpoint a resume would use now (null if none), without printing warnings. */
export function latestCheckpoint(runDir: string): { dir: string; step: number } | null {
  return resolveCheckpoint(join(runDir, 'checkpoint'), { warn: () => {} });
}

/** The step named by the pointer file: what the last committed save was. */
export function pointerStep(runDir: string): number | null {
  const p = join(runDir, 'checkpoint', 'latest.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).step : null;
}

/** Digest of every file under `dir` (path, size, content), to show a refusal changed nothing. */
export function treeDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(`${relative(dir, p)}\0${readFileSync(p).toString('base64')}\0`);
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** What a finished run must match: result (minus times), final weights, all metrics rows. */
export function finalOf(runDir: string): { result: Record<string, unknown>; weights: Record<string, string> } {
  const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8'));
  for (const k of ['wallSeconds', 'finishedAt']) delete result[k];
  const ck = latestCheckpoint(runDir);
  if (!ck) throw new Error(`${runDir}: no checkpoint`);
  return { result, weights: weightDigests(ck.dir) };
}
