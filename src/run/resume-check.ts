/**
 * What `--resume` may change. Everything that changes the numbers a run produces (data and its
 * checksum, labels, seed, architecture, method flags, batch size, optimiser settings, backend)
 * must match the run's record; the bounds may change (the run is extended or shortened, and the
 * record says so); bookkeeping (where files go, how often they are written) may change freely.
 */
export const BOUND_KEYS = ['steps', 'epochs', 'budgetMinutes', 'explodeThreshold'] as const;
export const BOOKKEEPING_KEYS = [
  'runDir',
  'dataDir',
  'cacheDir',
  'offline',
  'checkpointEvery',
  'keepCheckpoints',
  'logEvery',
] as const;

export type Bounds = Partial<Record<(typeof BOUND_KEYS)[number], number>>;

export interface BoundsExtension {
  atStep: number;
  from: Bounds;
  to: Bounds;
}

export interface ResumeComparison {
  /** Human-readable, one per setting that differs, e.g. "--seed 21 (now 22)". */
  differences: string[];
  /** Present when the bounds changed. */
  extension: BoundsExtension | null;
}

export interface ConfigSnapshot {
  config: Record<string, unknown>;
  dataChecksum: string | undefined;
}

/** --batch-size for batchSize: how the user spells the setting. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function show(v: unknown): string {
  return v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares a run's recorded configuration with the one a resume was asked for. A setting the
 * record lacks (the run predates it) counts as its default, which is how that run behaved.
 */
export function compareResumeConfig(
  recorded: ConfigSnapshot,
  current: ConfigSnapshot,
  atStep: number,
  defaults: Record<string, unknown> = {},
): ResumeComparison {
  const differences: string[] = [];
  const skip = new Set<string>([...BOUND_KEYS, ...BOOKKEEPING_KEYS]);
  const keys = [...new Set([...Object.keys(recorded.config), ...Object.keys(current.config)])].sort();
  for (const k of keys) {
    if (skip.has(k)) continue;
    const was = k in recorded.config ? recorded.config[k] : defaults[k];
    const now = k in current.config ? current.config[k] : defaults[k];
    if (!same(was, now)) differences.push(`${flagName(k)} ${show(was)} (now ${show(now)})`);
  }
  if (recorded.dataChecksum !== undefined && recorded.dataChecksum !== current.dataChecksum)
    differences.push(`data checksum ${recorded.dataChecksum} (now ${current.dataChecksum})`);
  const from: Bounds = {};
  const to: Bounds = {};
  let changed = false;
  for (const k of BOUND_KEYS) {
    const was = (k in recorded.config ? recorded.config[k] : defaults[k]) as number | undefined;
    const now = (k in current.config ? current.config[k] : defaults[k]) as number | undefined;
    if (same(was, now)) continue;
    changed = true;
    if (was !== undefined) from[k] = was;
    if (now !== undefined) to[k] = now;
  }
  return { differences, extension: changed ? { atStep, from, to } : null };
}
