import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { writeFileAtomic } from './fs.ts';

/** Encodes one NHWC image (values in [0,1], 1 or 3 channels) as PNG bytes. */
export function encodePng(pixels: ArrayLike<number>, h: number, w: number, c: number, offset = 0): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) png.data[i * 4 + k] = Math.round(255 * clamp01(pixels[offset + i * c + (c === 3 ? k : 0)]));
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** Tiles n images into a grid PNG with a 1-pixel gap, written atomically. */
export function writeGridPng(path: string, pixels: ArrayLike<number>, n: number, h: number, w: number, c: number, cols = Math.ceil(Math.sqrt(n))): void {
  const rows = Math.ceil(n / cols);
  const W = cols * (w + 1) + 1;
  const H = rows * (h + 1) + 1;
  const png = new PNG({ width: W, height: H });
  png.data.fill(255);
  for (let b = 0; b < n; b++) {
    const ox = (b % cols) * (w + 1) + 1;
    const oy = Math.floor(b / cols) * (h + 1) + 1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((b * h + y) * w + x) * c;
        const dst = ((oy + y) * W + ox + x) * 4;
        for (let k = 0; k < 3; k++) png.data[dst + k] = Math.round(255 * clamp01(pixels[src + (c === 3 ? k : 0)]));
      }
    }
  }
  writeFileAtomic(path, PNG.sync.write(png));
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Byte images (NHWC) as one folder of PNGs per class, `NN-<class name>/<name(i)>.png`: the
 * layout `folder:` datasets read back.
 */
export function writeClassFolders(dir: string, images: Uint8Array, labels: Uint8Array, count: number, h: number, w: number, c: number, classNames: string[], name: (i: number) => string): void {
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
