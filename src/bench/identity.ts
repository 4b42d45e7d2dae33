import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GAN_AUG_DEFAULTS } from '../config/defaults.ts';
import type { Cell, KeyedCell, SweepSpec } from './plan.ts';

/**
 * A cell is identified by everything that changes its result: its full command line (method
 * flags, dataset, labels, seed, backend, bounds, run flags), the data checksum and, for a
 * gan-aug cell, the key of the GAN run it draws from and how it draws (count, filter). How the
 * command line was produced (a method table, a registry) does not matter, only what it says.
 * The data folder, the run folder and the cache folder are left out: they name where things
 * are, not what runs; so are --strict, which only decides whether a bad file stops the run, and
 * --offline, which only decides whether a missing file may be downloaded.
 */
export interface CellIdentity {
  dataset: string;
  dataChecksum: string;
  method: string;
  labels: number | 'all';
  seed: number;
  bounds: string[];
  args: string[];
  ganAug?: { count: number; ganKey: string; minConfidence: number; maxDrawFactor: number };
}

/** JSON with object keys sorted, so equal values hash equally whatever order they were built in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function hashOf(v: unknown): string {
  return createHash('sha256').update(canonicalJson(v)).digest('hex');
}

/** The command line of a cell's run, minus where its folders are. */
export function runArgsOf(spec: SweepSpec, cell: Cell): string[] {
  return [
    ...cell.args,
    '--dataset',
    spec.dataset,
    '--labels',
    String(cell.labels),
    '--seed',
    String(cell.seed),
    '--backend',
    spec.backend,
    ...spec.runFlags,
    ...spec.bounds,
  ];
}

/** Run flags that do not change a run's result (each with the number of values it takes). */
const RESULT_FREE_FLAGS: Record<string, number> = { '--cache-dir': 1, '--strict': 0, '--offline': 0 };

function resultArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (Object.hasOwn(RESULT_FREE_FLAGS, args[i])) i += RESULT_FREE_FLAGS[args[i]];
    else out.push(args[i]);
  }
  return out;
}

/** Keys every cell (GAN cells first, as planCells orders them, so gan-aug cells can name their GAN's key). */
export function keyCells(spec: SweepSpec, cells: Cell[], dataChecksum: string): KeyedCell[] {
  const byId = new Map<string, KeyedCell>();
  const ordered = [...cells].sort((a, b) => Number(!!a.dependsOn) - Number(!!b.dependsOn));
  for (const c of ordered) {
    const runArgs = runArgsOf(spec, c);
    const dep = c.dependsOn ? byId.get(c.dependsOn) : undefined;
    if (c.dependsOn && !dep) throw new Error(`bench: cell ${c.id} depends on ${c.dependsOn}, which is not planned`);
    const identity: CellIdentity = {
      dataset: spec.dataset,
      dataChecksum,
      method: c.method,
      labels: c.labels,
      seed: c.seed,
      bounds: spec.bounds,
      args: resultArgs(runArgs),
      ganAug: dep
        ? {
            count: spec.ganAugCount,
            ganKey: dep.key,
            minConfidence: spec.ganAugMinConfidence ?? GAN_AUG_DEFAULTS.minConfidence,
            maxDrawFactor: GAN_AUG_DEFAULTS.maxDrawFactor,
          }
        : undefined,
    };
    const key = hashOf(identity);
    const folder = `${c.id}-${key.slice(0, 12)}`;
    byId.set(c.id, { ...c, key, folder, runArgs, runDir: join(spec.reportsDir, spec.name, 'runs', folder) });
  }
  return cells.map((c) => byId.get(c.id)!);
}

/** The sweep's own identity: its name, data and every cell key (order-free). */
export function sweepKey(spec: SweepSpec, cells: KeyedCell[], dataChecksum: string): string {
  return hashOf({ name: spec.name, dataset: spec.dataset, dataChecksum, cells: cells.map((c) => c.key).sort() });
}
