import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { writeFileAtomic } from './fs.ts';

/** Encodes one NHWC image (values in [0,1], 1 or 3 channels) as PNG bytes. */
export function encodePng(pixels: ArrayLike<number>, h: number, w: number, c: number, offset = 0): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++)
      png.data[i * 4 + k] = Math.round(255 * clamp01(pixels[offset + i * c + (c === 3 ? k : 0)]));
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

export interface Grid {
  /** RGBA, white where no image is. */
  data: Uint8Array;
  width: number;
  height: number;
  /** Top-left pixel of cell b. */
  origin(b: number): [number, number];
}

/**
 * Tiles n NHWC images (values in [0,1], 1 or 3 channels) into a grid with a 1-pixel gap;
 * `strip` adds that many white rows under each cell (for labels).
 */
export function tileImages(
  pixels: ArrayLike<number>,
  n: number,
  h: number,
  w: number,
  c: number,
  cols = Math.ceil(Math.sqrt(n)),
  strip = 0,
): Grid {
  const rows = Math.ceil(n / cols);
  const cellH = h + strip;
  const W = cols * (w + 1) + 1;
  const H = rows * (cellH + 1) + 1;
  const data = new Uint8Array(W * H * 4).fill(255);
  const origin = (b: number): [number, number] => [(b % cols) * (w + 1) + 1, Math.floor(b / cols) * (cellH + 1) + 1];
  for (let b = 0; b < n; b++) {
    const [ox, oy] = origin(b);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((b * h + y) * w + x) * c;
        const dst = ((oy + y) * W + ox + x) * 4;
        for (let k = 0; k < 3; k++) data[dst + k] = Math.round(255 * clamp01(pixels[src + (c === 3 ? k : 0)]));
      }
    }
  }
  return { data, width: W, height: H, origin };
}

/** Writes a grid as a PNG, atomically. */
export function writeGrid(path: string, grid: Grid): void {
  const png = new PNG({ width: grid.width, height: grid.height });
  png.data.set(grid.data);
  writeFileAtomic(path, PNG.sync.write(png));
}

/** Tiles n images into a grid PNG with a 1-pixel gap, written atomically. */
export function writeGridPng(
  path: string,
  pixels: ArrayLike<number>,
  n: number,
  h: number,
  w: number,
  c: number,
  cols = Math.ceil(Math.sqrt(n)),
): void {
  writeGrid(path, tileImages(pixels, n, h, w, c, cols));
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Byte images (NHWC) as one folder of PNGs per class, `NN-<class name>/<name(i)>.png`: the
 * layout `folder:` datasets read back.
 */
export function writeClassFolders(
  dir: string,
  images: Uint8Array,
  labels: Uint8Array,
  count: number,
  h: number,
  w: number,
  c: number,
  classNames: string[],
  name: (i: number) => string,
): void {
  const size = h * w * c;
  const px = new Float32Array(size);
  for (let i = 0; i < count; i++) {
    const cls = classNames[labels[i]] ?? String(labels[i]);
    const sub = join(dir, `${String(labels[i]).padStart(2, '0')}-${cls.replace(/[^A-Za-z0-9_-]+/g, '_')}`);
    mkdirSync(sub, { recursive: true });
    for (let j = 0; j < size; j++) px[j] = images[i * size + j] / 255;
    writeFileSync(join(sub, `${name(i)}.png`), encodePng(px, h, w, c));
  }
}
