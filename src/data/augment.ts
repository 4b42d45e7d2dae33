import type { Rng } from '../util/random.ts';

/**
 * Standard augmentation for the supervised-aug baseline: each image moved by up to `maxShift`
 * pixels in x and y, zero-filled. In place on an NHWC float batch.
 */
export function shiftImages(
  batch: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  rng: Rng,
  maxShift = 2,
): void {
  const size = h * w * c;
  const tmp = new Float32Array(size);
  for (let b = 0; b < n; b++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    if (dx === 0 && dy === 0) continue;
    const img = batch.subarray(b * size, (b + 1) * size);
    tmp.fill(0);
    for (let y = 0; y < h; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        const sx = x - dx;
        if (sx < 0 || sx >= w) continue;
        for (let k = 0; k < c; k++) tmp[(y * w + x) * c + k] = img[(sy * w + sx) * c + k];
      }
    }
    img.set(tmp);
  }
}

/** Mirrors each image left-right with probability 1/2 (photos; never digits). In place, NHWC. */
export function flipImages(batch: Float32Array, n: number, h: number, w: number, c: number, rng: Rng): void {
  const row = w * c;
  for (let b = 0; b < n; b++) {
    if (rng.int(2) === 0) continue;
    for (let y = 0; y < h; y++) {
      const at = (b * h + y) * row;
      for (let x = 0; x < w >> 1; x++) {
        for (let k = 0; k < c; k++) {
          const i = at + x * c + k;
          const j = at + (w - 1 - x) * c + k;
          const t = batch[i];
          batch[i] = batch[j];
          batch[j] = t;
        }
      }
    }
  }
}
