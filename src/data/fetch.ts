import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sha256 } from './checksum.ts';
import { DataFileError } from './idx.ts';
import type { IdxFileSpec } from './catalog.ts';
import { writeFileAtomic } from '../util/fs.ts';

/** Bytes of `spec` in `dir`, raw or gzipped, or null when the directory has neither. */
export function findLocal(dir: string, spec: IdxFileSpec): { path: string; bytes: Uint8Array } | null {
  for (const name of [spec.name, `${spec.name}.gz`, spec.name.replace(/-idx(\d)-/, '.idx$1-')]) {
    const path = join(dir, name);
    if (existsSync(path)) return { path, bytes: readFileSync(path) };
  }
  return null;
}

function uncompressed(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataFileError(`${name}: corrupt or truncated gzip data (${(e as Error).message})`);
  }
}

/** Checks the payload against the catalogue and returns it uncompressed. */
export function verified(bytes: Uint8Array, where: string, spec: IdxFileSpec): Uint8Array {
  const raw = uncompressed(bytes, where);
  const got = sha256(raw);
  if (got !== spec.sha256) {
    throw new DataFileError(`${where}: SHA-256 of the uncompressed data is ${got.slice(0, 16)}…, expected ${spec.sha256.slice(0, 16)}… (wrong or damaged file)`);
  }
  return raw;
}

export type Fetcher = (url: string) => Promise<Uint8Array>;

async function httpFetch(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Tries each mirror in turn; a mirror that fails or serves bytes with the wrong checksum is
 * skipped. The verified file lands in the cache through a temp file, so a killed download
 * never leaves a half file behind.
 */
export async function download(spec: IdxFileSpec, mirrors: string[], cacheDir: string, log: (m: string) => void, fetcher: Fetcher = httpFetch): Promise<Uint8Array> {
  const failures: string[] = [];
  for (const base of mirrors) {
    const url = `${base}${spec.name}.gz`;
    try {
      log(`downloading ${url}`);
      const bytes = await fetcher(url);
      const raw = verified(bytes, url, spec);
      writeFileAtomic(join(cacheDir, `${spec.name}.gz`), bytes);
      return raw;
    } catch (e) {
      failures.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new Error(`${spec.name}: no mirror served a valid copy (${failures.join('; ')})`);
}
