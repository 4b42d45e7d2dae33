import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Node's messages for failed writes often leave the path out ("ENOSPC: no space left on device,
 * write"); every file error we raise names the path and what we were doing to it, on one line.
 */
export function fileError(path: string, doing: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const why = err.code ? `${err.code}: ${describeCode(err.code)}` : err.message;
  const out = new Error(`${path}: could not ${doing} (${why})`);
  (out as NodeJS.ErrnoException).code = err.code;
  return out;
}

function describeCode(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EFBIG':
      return 'file larger than the allowed size';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ENOENT':
      return 'no such file or folder';
    case 'EROFS':
      return 'read-only file system';
    default:
      return code;
  }
}

/** Makes a folder's entries (created, renamed, removed files) survive a power cut. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    throw fileError(dir, 'sync the folder', e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes a whole file and fsyncs it before returning; the error names the path. */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } catch (e) {
    throw fileError(path, 'write', e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes to a sibling temp file, fsyncs it, renames it over the target and fsyncs the folder, so
 * a reader (or a killed run) never sees a half-written file and the previous version survives a
 * failed write (a full disk included).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fileError(dir, 'create the folder', e);
  }
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileDurable(tmp, data);
    try {
      renameSync(tmp, path);
    } catch (e) {
      throw fileError(path, 'replace', e);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * One JSON object per line, synced: a crash loses at most the line being written, which the
 * tolerant reader (src/run/metrics-file.ts) then drops.
 */
export function appendJsonl(path: string, value: unknown): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, JSON.stringify(value) + '\n', { flush: true });
  } catch (e) {
    throw fileError(path, 'append to', e);
  }
}

/**
 * Replaces a whole directory: build it at `${dir}.tmp-*`, then swap. Not atomic (a crash between
 * the two renames leaves only `${dir}.old-*`); checkpoints use src/train/checkpoint.ts instead.
 */
export function replaceDirAtomic(dir: string, build: (tmpDir: string) => void): void {
  // Resolved, so that "out/" gets its sibling "out.tmp-*", not a folder inside itself.
  const target = resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    build(tmp);
    if (existsSync(target)) renameSync(target, old);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}

export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}
