import { existsSync, readFileSync } from 'node:fs';
import type { MetricsRow } from './types.ts';
import { fileError, writeFileAtomic } from '../util/fs.ts';

/** Warnings reach the user even under --quiet: they say data was dropped. */
const stderrWarn = (msg: string) => process.stderr.write(`ssgan: warning: ${msg}\n`);

/**
 * Reads metrics.jsonl the way a crash can leave it: appends are whole lines, so only the last
 * line can be torn (no newline, not valid JSON); that one is dropped with a warning. Any other
 * unreadable line is an error naming the file and the line number.
 */
export function readMetricsFile(path: string, warn: (msg: string) => void = stderrWarn): MetricsRow[] {
  if (!existsSync(path)) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, 'read', e);
  }
  const lines = text.split('\n');
  // After the final newline split() leaves one empty string; anything else there is unterminated.
  const last = lines.pop() ?? '';
  const rows: MetricsRow[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const row = parseRow(line);
    if (typeof row === 'string') throw new Error(`${path}:${i + 1}: not a metrics row (${row})`);
    rows.push(row);
  });
  if (last.trim()) {
    const row = parseRow(last);
    if (typeof row === 'string')
      warn(`${path}:${lines.length + 1}: dropped a torn last line (${last.length} bytes, no newline: ${row})`);
    else rows.push(row);
  }
  return rows;
}

function parseRow(line: string): MetricsRow | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return (e as Error).message;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object';
  if (typeof (v as MetricsRow).step !== 'number') return 'expected a numeric "step"';
  return v as MetricsRow;
}

/**
 * Drops the rows written after the checkpoint a run resumes from, so none appear twice, and a
 * torn last line with them. Rewrites the file (atomically) only when something goes.
 */
export function truncateMetricsFile(
  path: string,
  step: number,
  warn: (msg: string) => void = stderrWarn,
): MetricsRow[] {
  if (!existsSync(path)) return [];
  const rows = readMetricsFile(path, warn);
  const keep = rows.filter((r) => r.step <= step);
  const text = keep.map((r) => JSON.stringify(r) + '\n').join('');
  if (text !== readFileSync(path, 'utf8')) writeFileAtomic(path, text);
  return keep;
}
