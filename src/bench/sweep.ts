import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../run/types.ts';
import type { Cell, SweepSpec } from './plan.ts';
import { type ResultRow, readResults, rowFromResult, upsertRow } from './results.ts';

const BIN = fileURLToPath(new URL('../../bin/ssgan.js', import.meta.url));

export interface SweepOptions {
  workers: number;
  /** Generated images (in total) added by supervised+gan-aug cells. */
  ganAugCount: number;
  command: string;
  log: (msg: string) => void;
}

function finished(cell: Cell): RunResult | null {
  const p = join(cell.runDir, 'result.json');
  if (!existsSync(p)) return null;
  let r: RunResult;
  try {
    r = JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return null; // unreadable: run the cell again (it resumes from its checkpoint)
  }
  const methodOk = cell.method === r.method;
  return methodOk && r.seed === cell.seed && String(r.labels) === String(cell.labels) && r.stoppedBy !== 'nan'
    ? r
    : null;
}

function runChild(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    // One BLAS thread per child: the sweep itself spreads cells over the cores.
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', SSGAN_BLAS_THREADS: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

async function runCell(spec: SweepSpec, cell: Cell, opts: SweepOptions): Promise<ResultRow> {
  const common = [
    '--dataset',
    spec.dataset,
    '--labels',
    String(cell.labels),
    '--seed',
    String(cell.seed),
    '--backend',
    spec.backend,
    ...(spec.dataDir ? ['--data-dir', spec.dataDir] : []),
  ];
  const failedRow = (why: string): ResultRow => ({
    id: cell.id,
    dataset: spec.dataset,
    labels: cell.labels,
    method: cell.method,
    seed: cell.seed,
    status: 'failed',
    accuracy: null,
    error: null,
    wallSeconds: null,
    steps: null,
    backend: null,
    versions: null,
    dataChecksum: null,
    runDir: cell.runDir,
    failure: why,
  });
  let extra: string[] = [];
  if (cell.dependsOn) {
    const ganDir = join(spec.reportsDir, spec.name, 'runs', cell.dependsOn);
    const genDir = `${cell.runDir}-generated`;
    const g = await runChild([
      'generate',
      '--run',
      ganDir,
      '--count',
      String(opts.ganAugCount),
      '--rank',
      '--min-confidence',
      '0',
      '--max-draw-factor',
      '10',
      '--out',
      genDir,
      '--overwrite',
      '--seed',
      String(cell.seed),
      '--backend',
      spec.backend,
    ]);
    if (g.code !== 0) return failedRow(`generate: ${lastLine(g.stderr)}`);
    extra = ['--augment-with', genDir];
  }
  // --resume: a cell killed mid-run continues from its last checkpoint.
  const r = await runChild([
    ...cell.args,
    ...common,
    ...spec.bounds,
    ...extra,
    '--run-dir',
    cell.runDir,
    '--resume',
    '--quiet',
  ]);
  const res = existsSync(join(cell.runDir, 'result.json'))
    ? (JSON.parse(readFileSync(join(cell.runDir, 'result.json'), 'utf8')) as RunResult)
    : null;
  if ((r.code === 0 || r.code === 2) && res) return rowFromResult(cell.id, cell.runDir, res);
  return failedRow(lastLine(r.stderr) || `exit code ${r.code}`);
}

function lastLine(s: string): string {
  return (
    s
      .trim()
      .split('\n')
      .filter((l) => !/nodedir|npm warn/.test(l))
      .pop() ?? ''
  );
}

/**
 * Runs every cell not already finished, `workers` at a time, writing results.json after each.
 * A killed sweep loses at most the cells in progress, and those resume from their checkpoints.
 */
export async function runSweep(spec: SweepSpec, cells: Cell[], opts: SweepOptions): Promise<ResultRow[]> {
  const resultsPath = join(spec.reportsDir, spec.name, 'results.json');
  const base = { name: spec.name, dataset: spec.dataset, command: opts.command };
  // Only cells whose run folder holds a matching result count as done: a row left in
  // results.json by an earlier sweep must not let a gan-aug cell start before its GAN reruns.
  const done = new Map<string, ResultRow>();
  const pending: Cell[] = [];
  for (const c of cells) {
    const r = finished(c);
    if (r) {
      const row = rowFromResult(c.id, c.runDir, r);
      done.set(c.id, row);
      upsertRow(resultsPath, base, row);
    } else pending.push(c);
  }
  opts.log(
    `${cells.length} cells, ${cells.length - pending.length} already finished, ${pending.length} to run with ${opts.workers} worker${opts.workers > 1 ? 's' : ''}`,
  );
  const running = new Set<string>();
  const failed = new Set<string>();
  let finishedCount = cells.length - pending.length;
  await new Promise<void>((resolveAll) => {
    const next = () => {
      if (pending.length === 0 && running.size === 0) return resolveAll();
      while (running.size < opts.workers) {
        const i = pending.findIndex(
          (c) =>
            !c.dependsOn ||
            done.has(c.dependsOn) ||
            failed.has(c.dependsOn) ||
            !cells.some((d) => d.id === c.dependsOn),
        );
        if (i < 0) break;
        const cell = pending.splice(i, 1)[0];
        if (cell.dependsOn && failed.has(cell.dependsOn)) {
          failed.add(cell.id);
          upsertRow(resultsPath, base, {
            id: cell.id,
            dataset: spec.dataset,
            labels: cell.labels,
            method: cell.method,
            seed: cell.seed,
            status: 'failed',
            accuracy: null,
            error: null,
            wallSeconds: null,
            steps: null,
            backend: null,
            versions: null,
            dataChecksum: null,
            runDir: cell.runDir,
            failure: `its GAN cell ${cell.dependsOn} failed`,
          });
          continue;
        }
        running.add(cell.id);
        runCell(spec, cell, opts).then((row) => {
          running.delete(cell.id);
          finishedCount++;
          upsertRow(resultsPath, base, row);
          if (row.status === 'ok') done.set(cell.id, row);
          else failed.add(cell.id);
          opts.log(
            `[${finishedCount}/${cells.length}] ${cell.id}: ${row.status === 'ok' ? `accuracy ${(row.accuracy! * 100).toFixed(2)}% in ${row.wallSeconds!.toFixed(0)} s` : `FAILED: ${row.failure}`}`,
          );
          next();
        });
      }
      if (running.size === 0 && pending.length > 0) {
        // Nothing runs and nothing can start: a dependency that can never finish.
        for (const c of pending.splice(0))
          upsertRow(resultsPath, base, {
            id: c.id,
            dataset: spec.dataset,
            labels: c.labels,
            method: c.method,
            seed: c.seed,
            status: 'failed',
            accuracy: null,
            error: null,
            wallSeconds: null,
            steps: null,
            backend: null,
            versions: null,
            dataChecksum: null,
            runDir: c.runDir,
            failure: `waits on ${c.dependsOn}, which did not run`,
          });
        resolveAll();
      }
    };
    next();
  });
  return readResults(resultsPath)?.rows ?? [];
}
