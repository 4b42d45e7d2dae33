import { existsSync, readFileSync } from 'node:fs';
import type { RunResult } from '../run/types.ts';
import { writeJsonAtomic } from '../util/fs.ts';

/** One row of results.json: a finished (or failed) cell. */
export interface ResultRow {
  id: string;
  dataset: string;
  labels: number | 'all';
  method: string;
  seed: number;
  status: 'ok' | 'failed';
  accuracy: number | null;
  error: number | null;
  wallSeconds: number | null;
  steps: number | null;
  backend: string | null;
  versions: RunResult['versions'] | null;
  dataChecksum: string | null;
  runDir: string;
  failure?: string;
}

export interface ResultsFile {
  name: string;
  dataset: string;
  command: string;
  updatedAt: string;
  rows: ResultRow[];
}

export function readResults(path: string): ResultsFile | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Replaces the row of the same cell id, keeps the rest; written atomically after every cell. */
export function upsertRow(path: string, base: Omit<ResultsFile, 'rows' | 'updatedAt'>, row: ResultRow): ResultsFile {
  const cur = readResults(path);
  const rows = (cur?.rows ?? []).filter((r) => r.id !== row.id);
  rows.push(row);
  const file: ResultsFile = { ...base, updatedAt: new Date().toISOString(), rows };
  writeJsonAtomic(path, file);
  return file;
}

export function rowFromResult(id: string, runDir: string, r: RunResult): ResultRow {
  return {
    id,
    dataset: r.dataset,
    labels: r.labels,
    method: r.method,
    seed: r.seed,
    status: 'ok',
    accuracy: r.accuracy,
    error: r.error,
    wallSeconds: r.wallSeconds,
    steps: r.steps,
    backend: r.backend,
    versions: r.versions,
    dataChecksum: r.dataChecksum,
    runDir,
  };
}
