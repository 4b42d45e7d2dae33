import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { IMAGE_DEFAULTS } from '../config/defaults.ts';
import type { ImagePreprocessing } from './types.ts';

/** What sharp (libvips) reads here; anything else in an image folder is reported, not guessed at. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];

export function isImageFile(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** A file the loader met in an image folder: an image to decode or something else to report. */
export interface FoundFile {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * Every non-hidden file under `dir` (recursively when `recursive`), sorted by path so the order,
 * and with it every seeded choice, is the same on every machine.
 */
export function listFiles(dir: string, recursive: boolean): FoundFile[] {
  const out: FoundFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        if (recursive) walk(path);
      } else if (st.isFile()) out.push({ path, bytes: st.size, mtimeMs: st.mtimeMs });
    }
  };
  walk(dir);
  return out;
}

/** Width and height as displayed (EXIF orientations 5-8 swap them), or an error message. */
export async function displaySize(path: string): Promise<{ width: number; height: number } | { error: string }> {
  try {
    const m = await sharp(path).metadata();
    if (!m.width || !m.height) return { error: 'no image size in its header' };
    const swap = (m.orientation ?? 1) >= 5;
    return swap ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * Decodes one file to `size` x `size` RGB bytes: EXIF orientation applied, alpha flattened on
 * black, resized with `fit` (cover = scale to fill and centre-crop, contain = scale to fit and pad
 * black). Truncated or corrupt pixel data is an error, not a half-grey image.
 */
export async function decodeRgb(path: string, size: number, fit: ImagePreprocessing['fit']): Promise<Uint8Array> {
  const { data, info } = await sharp(path, { failOn: 'truncated', animated: false })
    .rotate()
    .flatten({ background: '#000000' })
    .resize(size, size, { fit, position: 'centre', background: '#000000', kernel: 'lanczos3' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size) throw new Error(`resized to ${info.width}x${info.height}`);
  if (info.channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.length);
  // A grey source can come back with one channel despite toColourspace: widen it.
  if (info.channels !== 1) throw new Error(`decoded to ${info.channels} channels`);
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = data[p];
  return rgb;
}

/** Whether an RGB image is grey: no two channels of a pixel further apart than the tolerance. */
export function isGrey(rgb: Uint8Array, tolerance: number = IMAGE_DEFAULTS.greyTolerance): boolean {
  for (let p = 0; p < rgb.length; p += 3) {
    const r = rgb[p];
    const g = rgb[p + 1];
    const b = rgb[p + 2];
    if (Math.abs(r - g) > tolerance || Math.abs(g - b) > tolerance || Math.abs(r - b) > tolerance) return false;
  }
  return true;
}

/** RGB bytes to the run's channel count: grey is Rec. 601 luma (exact for r = g = b). */
export function toChannels(rgb: Uint8Array, channels: 1 | 3, out?: Uint8Array, offset = 0): Uint8Array {
  const n = rgb.length / 3;
  const dst = out ?? new Uint8Array(n * channels);
  if (channels === 3) {
    dst.set(rgb, offset);
    return dst;
  }
  for (let p = 0; p < n; p++)
    dst[offset + p] = Math.round(0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2]);
  return dst;
}

/** Decodes a file exactly as training saw its images: what predict applies to new files. */
export async function decodeFor(path: string, pre: ImagePreprocessing): Promise<Uint8Array> {
  return toChannels(await decodeRgb(path, pre.size, pre.fit), pre.channels);
}

/** Runs `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
