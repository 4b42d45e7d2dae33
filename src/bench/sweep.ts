import { join } from 'node:path';
import { type CellTask, finishedResult, runCell } from './cell-run.ts';
import type { KeyedCell, SweepSpec } from './plan.ts';
import { type ResultRow, failedRow, readResults, rowFromResult, upsertRow, writeResults } from './results.ts';

export interface SweepOptions {
  workers: number;
  command: string;
  dataChecksum: string;
  log: (msg: string) => void;
}

export function taskOf(spec: SweepSpec, cell: KeyedCell, byId: Map<string, KeyedCell>, dataChecksum: string): CellTask {
  const gan = cell.dependsOn ? byId.get(cell.dependsOn) : undefined;
  return {
    id: cell.id,
    key: cell.key,
    method: cell.method,
    labels: cell.labels,
    seed: cell.seed,
    runArgs: cell.runArgs,
    runDir: cell.runDir,
    dataChecksum,
    dataDir: spec.dataDir,
    ganAug: gan
      ? {
          ganRunDir: gan.runDir,
          count: spec.ganAugCount,
          backend: spec.backend,
          minConfidence: spec.ganAugMinConfidence,
        }
      : undefined,
  };
}

/**
 * Runs every cell not already finished, `workers` at a time, writing results.json after each.
 * A killed sweep loses at most the cells in progress, and those resume from their checkpoints.
 */
export async function runSweep(spec: SweepSpec, cells: KeyedCell[], opts: SweepOptions): Promise<ResultRow[]> {
  const resultsPath = join(spec.reportsDir, spec.name, 'results.json');
  const base = { name: spec.name, dataset: spec.dataset, command: opts.command };
  const byId = new Map(cells.map((c) => [c.id, c]));
  // Only cells whose run folder holds a result of the same key count as done; results.json is
  // rewritten with this sweep's cells only, so rows of other bounds or grids never mix in.
  const done = new Map<string, ResultRow>();
  const pending: KeyedCell[] = [];
  for (const c of cells) {
    const r = finishedResult(c.runDir, c.key);
    if (r) done.set(c.id, rowFromResult(c.id, c.runDir, r, c.key));
    else pending.push(c);
  }
  writeResults(resultsPath, base, [...done.values()]);
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
        const i = pending.findIndex((c) => !c.dependsOn || done.has(c.dependsOn) || failed.has(c.dependsOn));
        if (i < 0) break;
        const cell = pending.splice(i, 1)[0];
        if (cell.dependsOn && failed.has(cell.dependsOn)) {
          failed.add(cell.id);
          upsertRow(resultsPath, base, failedRow(spec.dataset, cell, `its GAN cell ${cell.dependsOn} failed`));
          continue;
        }
        running.add(cell.id);
        runCell(taskOf(spec, cell, byId, opts.dataChecksum)).then(
          (out) =>
            finish(cell, out.status === 'ok' ? rowFromResult(cell.id, cell.runDir, out.result, cell.key) : null, out),
          (e: Error) => finish(cell, null, { status: 'failed', failure: e.message }),
        );
      }
    };
    const finish = (cell: KeyedCell, ok: ResultRow | null, out: { status: string; failure?: string }) => {
      running.delete(cell.id);
      finishedCount++;
      const row = ok ?? failedRow(spec.dataset, cell, out.failure ?? out.status);
      upsertRow(resultsPath, base, row);
      if (row.status === 'ok') done.set(cell.id, row);
      else failed.add(cell.id);
      opts.log(
        `[${finishedCount}/${cells.length}] ${cell.id}: ${row.status === 'ok' ? `accuracy ${(row.accuracy! * 100).toFixed(2)}% in ${row.wallSeconds!.toFixed(0)} s` : `FAILED: ${row.failure}`}`,
      );
      next();
    };
    next();
  });
  return readResults(resultsPath)?.rows ?? [];
}
