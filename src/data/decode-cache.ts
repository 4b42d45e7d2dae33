import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { DEFAULT_CACHE_DIR, IMAGE_DEFAULTS } from '../config/defaults.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs.ts';
import { sha256 } from './checksum.ts';
import { decodeRgb, mapLimit, type FoundFile } from './images.ts';
import type { ImagePreprocessing } from './types.ts';

/** Bump when decoding changes, so old caches are not read as new ones. */
const CACHE_VERSION = 1;

export interface DecodedFiles {
  /** size x size x 3 bytes per file, in the order given (zeros where a file failed). */
  rgb: Uint8Array;
  /** Why each failed file failed, by index. */
  failed: Map<number, string>;
  /** Whether the arrays came from the cache. */
  cached: boolean;
}

export interface DecodeOptions {
  cacheDir?: string;
  log?: (msg: string) => void;
  progress?: boolean;
}

/** Identifies a file list as it is on disk now: any file added, removed, rewritten or touched changes it. */
export function fileListKey(files: FoundFile[], extra: unknown): string {
  const list = files.map((f) => [f.path, f.bytes, Math.round(f.mtimeMs)]);
  return sha256(new TextEncoder().encode(JSON.stringify([CACHE_VERSION, extra, list])));
}

function cacheRoot(opts: DecodeOptions): string {
  return resolve(opts.cacheDir ?? DEFAULT_CACHE_DIR, IMAGE_DEFAULTS.decodedCacheDir);
}

/**
 * Decodes and resizes every file once: the arrays are cached under the cache dir keyed by the
 * file list (paths, sizes, mtimes) and the size and fit, so a second run reads one file instead
 * of decoding thousands. The manifest is written after the bytes, so a half-written cache is
 * never taken for a whole one.
 */
export async function decodeFiles(
  files: FoundFile[],
  size: number,
  fit: ImagePreprocessing['fit'],
  opts: DecodeOptions = {},
): Promise<DecodedFiles> {
  const per = size * size * 3;
  const key = fileListKey(files, { size, fit });
  const root = cacheRoot(opts);
  const binPath = join(root, `${key}.bin`);
  const manifestPath = join(root, `${key}.json`);
  if (existsSync(manifestPath) && existsSync(binPath)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { count: number; failed: [number, string][] };
      const bytes = readFileSync(binPath);
      if (manifest.count === files.length && bytes.length === per * files.length)
        return {
          rgb: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
          failed: new Map(manifest.failed),
          cached: true,
        };
    } catch {
      // An unreadable cache is decoded again and overwritten.
    }
  }
  const rgb = new Uint8Array(per * files.length);
  const failed = new Map<number, string>();
  const log = opts.log ?? (() => {});
  const bar =
    opts.progress && process.stderr.isTTY && files.length > 0
      ? new cliProgress.SingleBar(
          { format: 'decoding {bar} {value}/{total} images, {eta}s left', stream: process.stderr, etaBuffer: 200 },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(files.length, 0);
  const t0 = Date.now();
  await mapLimit(files, IMAGE_DEFAULTS.decodeConcurrency, async (f, i) => {
    try {
      rgb.set(await decodeRgb(f.path, size, fit), i * per);
    } catch (e) {
      failed.set(i, (e as Error).message.replace(/\s*\n\s*/g, '; '));
    }
    bar?.increment();
  });
  bar?.stop();
  log(`decoded ${files.length} images to ${size}x${size} in ${((Date.now() - t0) / 1000).toFixed(1)} s (cached in ${root})`);
  try {
    writeFileAtomic(binPath, rgb);
    writeJsonAtomic(manifestPath, { count: files.length, size, fit, failed: [...failed] });
  } catch (e) {
    log(`could not write the decode cache in ${root} (${(e as Error).message}); the next run decodes again`);
  }
  return { rgb, failed, cached: false };
}

/** A small JSON value cached under the same key scheme (e.g. the labelled images' sizes). */
export function cachedJson<T>(name: string, key: string, opts: DecodeOptions, make: () => Promise<T>): Promise<T> {
  const path = join(cacheRoot(opts), `${name}-${key}.json`);
  if (existsSync(path)) {
    try {
      return Promise.resolve(JSON.parse(readFileSync(path, 'utf8')) as T);
    } catch {
      // Made again below.
    }
  }
  return make().then((v) => {
    try {
      writeJsonAtomic(path, v);
    } catch {
      // A cache that cannot be written costs time, not correctness.
    }
    return v;
  });
}
