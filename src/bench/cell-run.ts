import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GAN_AUG_DEFAULTS } from '../config/defaults.ts';
import type { RunResult } from '../run/types.ts';
import { writeJsonAtomic } from '../util/fs.ts';
import { ORPHAN_GUARD_FLAGS } from './orphan-guard.ts';
import { readJson } from '../run/read-json.ts';

const BIN = fileURLToPath(new URL('../../bin/ssgan.js', import.meta.url));

/** What a cell's run needs to know, whether the local pool or a queue worker runs it. */
export interface CellTask {
  id: string;
  key: string;
  method: string;
  labels: number | 'all';
  seed: number;
  /** The `ssgan` command line of the run (identity.ts runArgsOf). */
  runArgs: string[];
  runDir: string;
  dataChecksum: string;
  /** gan-aug cells: the GAN run whose generator supplies `count` extra labelled images. */
  ganAug?: GanAugTask;
  dataDir?: string;
}

export interface CellProgress {
  step: number;
  epoch: number;
}

export type CellOutcome =
  { status: 'ok'; result: RunResult } | { status: 'failed'; failure: string } | { status: 'stopped' };

/** The record in every bench run folder that says which cell it holds. */
export interface CellRecord {
  id: string;
  key: string;
  method: string;
  labels: number | 'all';
  seed: number;
  runArgs: string[];
  dataChecksum: string;
}

/**
 * The result of a finished run of exactly this cell, or null. A result.json without a matching
 * cell.json (another sweep's run, other bounds) is never taken for this cell.
 */
export function finishedResult(runDir: string, key: string): RunResult | null {
  const resultPath = join(runDir, 'result.json');
  const cellPath = join(runDir, 'cell.json');
  if (!existsSync(resultPath) || !existsSync(cellPath)) return null;
  try {
    const rec = JSON.parse(readFileSync(cellPath, 'utf8')) as CellRecord;
    const r = JSON.parse(readFileSync(resultPath, 'utf8')) as RunResult;
    return rec.key === key && r.stoppedBy !== 'nan' ? r : null;
  } catch {
    return null; // unreadable: run the cell again (it resumes from its checkpoint)
  }
}

function writeCellRecord(task: CellTask): void {
  const path = join(task.runDir, 'cell.json');
  if (existsSync(path)) {
    const rec = JSON.parse(readFileSync(path, 'utf8')) as CellRecord;
    if (rec.key !== task.key)
      throw new Error(`${path}: holds cell ${rec.id} with key ${rec.key}, expected ${task.key}; not resumed`);
    return;
  }
  const rec: CellRecord = {
    id: task.id,
    key: task.key,
    method: task.method,
    labels: task.labels,
    seed: task.seed,
    runArgs: task.runArgs,
    dataChecksum: task.dataChecksum,
  };
  writeJsonAtomic(path, rec);
}

/** Follows a metrics.jsonl as training appends to it, reporting the newest row's step and epoch. */
function watchMetrics(path: string, onProgress: (p: CellProgress) => void): () => void {
  let offset = 0;
  let partial = '';
  let last = -1;
  const poll = () => {
    if (!existsSync(path)) return;
    const size = statSync(path).size;
    if (size < offset) [offset, partial] = [0, '']; // rewritten on resume
    if (size === offset) return;
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    closeSync(fd);
    offset = size;
    const lines = (partial + buf.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.reverse()) {
      try {
        const row = JSON.parse(line) as CellProgress;
        if (row.step !== last) {
          last = row.step;
          onProgress({ step: row.step, epoch: row.epoch });
        }
        break;
      } catch {
        // a line torn by a crash: the resumed run drops it
      }
    }
  };
  const timer = setInterval(poll, 1000);
  return () => {
    clearInterval(timer);
    poll();
  };
}

function runChild(
  args: string[],
  signal?: AbortSignal,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    // One BLAS thread per child: the sweep spreads cells over the cores.
    const child = spawn(process.execPath, [...ORPHAN_GUARD_FLAGS, BIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', SSGAN_BLAS_THREADS: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', stop);
      resolve({ code, signal: sig, stderr });
    });
  });
}

export function lastLine(s: string): string {
  return (
    s
      .trim()
      .split('\n')
      .filter((l) => !/nodedir|npm warn/.test(l))
      .pop() ?? ''
  );
}

export interface GanAugTask {
  ganRunDir: string;
  count: number;
  backend: string;
  /** GAN_AUG_DEFAULTS.minConfidence when absent. */
  minConfidence?: number;
}

/** The classes of a finished run (its run.json's data record). */
export function numClassesOf(runDir: string): number {
  const path = join(runDir, 'run.json');
  const k = readJson<{ data?: { numClasses?: unknown } }>(path, 'run record').data?.numClasses;
  if (!Number.isInteger(k) || (k as number) < 2)
    throw new Error(`${path}: no data.numClasses (not a run of ssgan train?)`);
  return k as number;
}

/**
 * The `ssgan generate` of a gan-aug cell, without --out: `count` images split equally over the K
 * classes of the conditional GAN, each kept only where its classifier agrees with the class.
 */
export function ganAugGenerateArgs(g: GanAugTask, numClasses: number, seed: number): string[] {
  return [
    'generate',
    '--run',
    g.ganRunDir,
    '--per-class',
    String(Math.ceil(g.count / numClasses)),
    '--min-confidence',
    String(g.minConfidence ?? GAN_AUG_DEFAULTS.minConfidence),
    '--max-draw-factor',
    String(GAN_AUG_DEFAULTS.maxDrawFactor),
    '--overwrite',
    '--seed',
    String(seed),
    '--backend',
    g.backend,
  ];
}

/**
 * Runs one cell: for gan-aug the generator's images first, then the training, which resumes
 * from the run folder's checkpoint when there is one. `signal` stops it (SIGTERM to the child).
 */
export async function runCell(
  task: CellTask,
  opts: { onProgress?: (p: CellProgress) => void; signal?: AbortSignal } = {},
): Promise<CellOutcome> {
  const done = finishedResult(task.runDir, task.key);
  if (done) return { status: 'ok', result: done };
  writeCellRecord(task);
  const dataDir = task.dataDir ? ['--data-dir', task.dataDir] : [];
  let extra: string[] = [];
  if (task.ganAug) {
    const genDir = `${task.runDir}-generated`;
    const g = await runChild(
      [...ganAugGenerateArgs(task.ganAug, numClassesOf(task.ganAug.ganRunDir), task.seed), '--out', genDir, ...dataDir],
      opts.signal,
    );
    if (opts.signal?.aborted) return { status: 'stopped' };
    if (g.code !== 0) return { status: 'failed', failure: `generate: ${lastLine(g.stderr) || `exit code ${g.code}`}` };
    extra = ['--augment-with', genDir];
  }
  const stopWatch = opts.onProgress ? watchMetrics(join(task.runDir, 'metrics.jsonl'), opts.onProgress) : () => {};
  const r = await runChild(
    [...task.runArgs, ...dataDir, ...extra, '--run-dir', task.runDir, '--resume', '--quiet'],
    opts.signal,
  );
  stopWatch();
  if (opts.signal?.aborted) return { status: 'stopped' };
  const resultPath = join(task.runDir, 'result.json');
  if ((r.code === 0 || r.code === 2) && existsSync(resultPath)) {
    const result = JSON.parse(readFileSync(resultPath, 'utf8')) as RunResult;
    if (result.dataChecksum !== task.dataChecksum)
      return {
        status: 'failed',
        failure: `${resultPath}: trained on data with checksum ${result.dataChecksum}, the sweep's is ${task.dataChecksum} (does this machine's --data-dir hold other files?)`,
      };
    return { status: 'ok', result };
  }
  return {
    status: 'failed',
    failure: lastLine(r.stderr) || (r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`),
  };
}
