import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { ResultRow } from '../bench/results.ts';

/**
 * Where a row's run folder is now. Rows record the path the sweep used (relative to where
 * `ssgan bench` ran); a report rendered from elsewhere, or a sweep folder that was moved, finds
 * the run under `<sweep folder>/runs/<cell id>` instead.
 */
export function locateRun(row: ResultRow, fromDir: string): string | null {
  const candidates = [
    isAbsolute(row.runDir) ? row.runDir : resolve(row.runDir),
    join(fromDir, 'runs', basename(row.runDir)),
  ];
  return candidates.find((d) => existsSync(join(d, 'result.json'))) ?? null;
}
