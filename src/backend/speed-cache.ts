import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, homedir, hostname, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { Speeds } from './auto-choice.ts';

/** Where ssgan keeps per-machine caches (also scripts/setup-tfjs-node.sh's wheel and binding). */
export function cacheDir(): string {
  return process.env.SSGAN_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ssgan');
}

export const speedCacheFile = () => join(cacheDir(), 'backend-speeds.json');

/** What a measurement depends on: the machine, the versions, the builds and the thread count. */
export type ProbeKeyParts = Record<string, string>;

export function machineParts(): ProbeKeyParts {
  const c = cpus();
  return {
    host: hostname(),
    cpu: `${c[0]?.model ?? 'unknown'} x${c.length}`,
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
}

/** A file's content hash, so rebuilding the same addon keeps the measurement and changing it does not. */
export function fileDigest(path: string | null): string {
  if (!path || !existsSync(path)) return 'absent';
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

export function probeKey(parts: ProbeKeyParts): string {
  const sorted = Object.fromEntries(Object.entries(parts).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

interface Entry {
  measuredAt: string;
  /** The one-minute load average per core while measuring (over 1: other work shared the cores). */
  load: number;
  parts: ProbeKeyParts;
  speeds: Speeds;
}

/** The one-minute load average per core now. */
export const loadPerCore = () => loadavg()[0] / availableParallelism();
interface CacheFile {
  version: 1;
  entries: Record<string, Entry>;
}

function readAll(file: string): CacheFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (parsed?.version === 1 && parsed.entries && typeof parsed.entries === 'object') return parsed;
  } catch {
    // Missing or unreadable: measured again and rewritten whole.
  }
  return { version: 1, entries: {} };
}

/**
 * The cached speeds for these parts, or null. A measurement taken on overloaded cores (load per
 * core over 1, where threads compete and the backend with more of them looks faster) is taken
 * again once the load has fallen to half of what it was.
 */
export function readSpeeds(
  parts: ProbeKeyParts,
  file = speedCacheFile(),
  load = loadPerCore(),
): (Entry & { key: string }) | null {
  const key = probeKey(parts);
  const e = readAll(file).entries[key];
  if (!e || typeof e.speeds !== 'object') return null;
  if (typeof e.load === 'number' && e.load > 1 && load < e.load / 2) return null;
  const ok = Object.values(e.speeds).every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
  return ok ? { ...e, key } : null;
}

/** Adds one measurement; temp file + fsync + rename, so a crash leaves the old cache or the new one. */
export function writeSpeeds(parts: ProbeKeyParts, speeds: Speeds, file = speedCacheFile(), load = loadPerCore()): void {
  const all = readAll(file);
  all.entries[probeKey(parts)] = { measuredAt: new Date().toISOString(), load, parts, speeds };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(all, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
