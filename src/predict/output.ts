import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { extname } from 'node:path';

/** One CSV field per RFC 4180: quoted when it holds a comma, quote or line break. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type TableFormat = 'csv' | 'jsonl';

export function formatOf(out: string | undefined, flag = 'out'): TableFormat {
  if (out === undefined) return 'csv';
  const ext = extname(out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl') return 'jsonl';
  throw new Error(`--${flag} ${out}: expected a file ending in .csv or .jsonl`);
}

/**
 * Rows streamed to a temp file beside `out` and renamed over it when complete (stdout when no
 * --out), so a failed or interrupted run never leaves a half-written table where the old one was.
 */
export class TableWriter {
  private fd: number | null = null;
  private readonly tmp: string | null;
  private wroteHeader = false;

  constructor(
    private readonly out: string | undefined,
    private readonly columns: string[],
    readonly format: TableFormat = formatOf(out),
  ) {
    this.tmp = out ? `${out}.${process.pid}.tmp` : null;
    if (this.tmp) this.fd = openSync(this.tmp, 'w');
  }

  private write(s: string): void {
    if (this.fd !== null) writeSync(this.fd, s);
    else process.stdout.write(s);
  }

  /** `row` has one value per column; JSON lines may carry richer values (arrays) under the same keys. */
  row(row: Record<string, unknown>): void {
    if (this.format === 'jsonl') {
      this.write(JSON.stringify(row) + '\n');
      return;
    }
    if (!this.wroteHeader) {
      this.write(this.columns.join(',') + '\n');
      this.wroteHeader = true;
    }
    this.write(this.columns.map((c) => csvField(row[c])).join(',') + '\n');
  }

  close(): void {
    if (this.format === 'csv' && !this.wroteHeader) this.write(this.columns.join(',') + '\n');
    if (this.fd === null || !this.tmp || !this.out) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.out);
  }

  /** Drops the temp file after a failure; the previous --out, if any, stays. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.tmp) rmSync(this.tmp, { force: true });
  }
}
