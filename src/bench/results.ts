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
  /** The cell's identity (identity.ts): a row is only ever reused for the same key. */
  key?: string;
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

/** Rewrites results.json with exactly these rows (a sweep's file holds its own cells only). */
export function writeResults(path: string, base: Omit<ResultsFile, 'rows' | 'updatedAt'>, rows: ResultRow[]): void {
  writeJsonAtomic(path, { ...base, updatedAt: new Date().toISOString(), rows });
}

interface CellLike {
  id: string;
  labels: number | 'all';
  method: string;
  seed: number;
  runDir: string;
  key?: string;
}

export function failedRow(dataset: string, cell: CellLike, failure: string): ResultRow {
  return {
    id: cell.id,
    dataset,
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
    key: cell.key,
    failure,
  };
}

export function rowFromResult(id: string, runDir: string, r: RunResult, key?: string): ResultRow {
  return {
    id,
    key,
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
