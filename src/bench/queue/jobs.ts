import { join } from 'node:path';
import { hashOf } from '../identity.ts';
import type { KeyedCell, SweepSpec } from '../plan.ts';
import type { CellTask } from '../cell-run.ts';

/**
 * A cell as a queue job. Paths are relative to the shared results folder, which each worker
 * mounts where it likes (`ssgan worker --results`).
 */
export interface CellJobData {
  v: 1;
  sweep: string;
  name: string;
  dataset: string;
  dataChecksum: string;
  id: string;
  key: string;
  method: string;
  labels: number | 'all';
  seed: number;
  folder: string;
  runArgs: string[];
  ganAug?: { id: string; folder: string; count: number; backend: string; jobId: string; minConfidence?: number };
}

/** How a gan-aug cell's failure starts when its GAN had no result. */
export const GAN_MISSING = 'its GAN cell ';

/** Job ids of a sweep start with this, so the sweep's jobs can be told from others in one queue. */
export function sweepPrefix(sweep: string): string {
  return `sweep-${sweep.slice(0, 16)}`;
}

/** Deterministic: the same sweep submitted twice names the same jobs, so BullMQ adds none twice. */
export function jobIdOf(sweep: string, cell: KeyedCell): string {
  return `${sweepPrefix(sweep)}.${cell.id}.${hashOf({ sweep, key: cell.key }).slice(0, 16)}`;
}

export function jobDataOf(
  spec: SweepSpec,
  sweep: string,
  dataChecksum: string,
  cell: KeyedCell,
  byId: Map<string, KeyedCell>,
): CellJobData {
  const gan = cell.dependsOn ? byId.get(cell.dependsOn) : undefined;
  return {
    v: 1,
    sweep,
    name: spec.name,
    dataset: spec.dataset,
    dataChecksum,
    id: cell.id,
    key: cell.key,
    method: cell.method,
    labels: cell.labels,
    seed: cell.seed,
    folder: cell.folder,
    runArgs: cell.runArgs,
    ganAug: gan
      ? {
          id: gan.id,
          folder: gan.folder,
          count: spec.ganAugCount,
          backend: spec.backend,
          jobId: jobIdOf(sweep, gan),
          minConfidence: spec.ganAugMinConfidence,
        }
      : undefined,
  };
}

const SAFE_NAME = /^[A-Za-z0-9._+-]+$/;

/** Checks a job's payload; the message names the first field that is wrong. */
export function checkJobData(d: unknown): CellJobData {
  const bad = (what: string) => {
    throw new Error(`invalid payload: ${what}`);
  };
  if (!d || typeof d !== 'object') bad('not an object');
  const o = d as Record<string, unknown>;
  if (o.v !== 1) bad(`v must be 1, got ${JSON.stringify(o.v)}`);
  for (const f of ['sweep', 'name', 'dataset', 'dataChecksum', 'id', 'key', 'method', 'folder'])
    if (typeof o[f] !== 'string' || !(o[f] as string).length) bad(`${f} must be a non-empty string`);
  for (const f of ['name', 'id', 'folder'])
    if (!SAFE_NAME.test(o[f] as string) || o[f] === '..' || o[f] === '.')
      bad(`${f} must be a plain folder name, got ${JSON.stringify(o[f])}`);
  if (!(o.labels === 'all' || (Number.isInteger(o.labels) && (o.labels as number) > 0)))
    bad(`labels must be a positive integer or 'all', got ${JSON.stringify(o.labels)}`);
  if (!Number.isInteger(o.seed)) bad(`seed must be an integer, got ${JSON.stringify(o.seed)}`);
  if (!Array.isArray(o.runArgs) || !o.runArgs.length || !o.runArgs.every((a) => typeof a === 'string'))
    bad('runArgs must be a non-empty list of strings');
  const cmd = (o.runArgs as string[])[0];
  if (cmd !== 'train' && cmd !== 'baseline')
    bad(`runArgs must start with train or baseline, got ${JSON.stringify(cmd)}`);
  if ((o.runArgs as string[]).some((a) => a === '--run-dir' || a === '--data-dir' || a === '--cache-dir'))
    bad('runArgs must not name folders (--run-dir, --data-dir, --cache-dir): the worker decides where things are');
  if (o.ganAug !== undefined) {
    const g = o.ganAug as Record<string, unknown>;
    if (!g || typeof g !== 'object') bad('ganAug must be an object');
    if (typeof g.folder !== 'string' || !SAFE_NAME.test(g.folder)) bad('ganAug.folder must be a plain folder name');
    if (!Number.isInteger(g.count) || (g.count as number) < 1) bad('ganAug.count must be a positive integer');
    const c = g.minConfidence;
    if (c !== undefined && (typeof c !== 'number' || !(c >= 0 && c <= 1)))
      bad('ganAug.minConfidence must be a number in [0, 1]');
    if (typeof g.id !== 'string' || typeof g.backend !== 'string' || typeof g.jobId !== 'string')
      bad('ganAug needs id, backend and jobId strings');
  }
  return o as unknown as CellJobData;
}

export function sweepDir(resultsRoot: string, name: string): string {
  return join(resultsRoot, name);
}

export function taskOfJob(d: CellJobData, resultsRoot: string, dataDir?: string): CellTask {
  const runs = join(sweepDir(resultsRoot, d.name), 'runs');
  return {
    id: d.id,
    key: d.key,
    method: d.method,
    labels: d.labels,
    seed: d.seed,
    runArgs: d.runArgs,
    runDir: join(runs, d.folder),
    dataChecksum: d.dataChecksum,
    dataDir,
    ganAug: d.ganAug
      ? {
          ganRunDir: join(runs, d.ganAug.folder),
          count: d.ganAug.count,
          backend: d.ganAug.backend,
          minConfidence: d.ganAug.minConfidence,
        }
      : undefined,
  };
}
