import { tileImages, writeGrid, type Grid } from '../util/png.ts';

/** 3x5 bitmap digits, one string of 15 bits (row by row) per digit. */
const DIGITS = [
  '111101101101111',
  '010110010010111',
  '111001111100111',
  '111001111001111',
  '101101111001001',
  '111100111001111',
  '111100111101111',
  '111001010010010',
  '111101111101111',
  '111101111001111',
];
const GLYPH_W = 3;
const GLYPH_H = 5;

/** Height of the strip under each cell that holds its label. */
export const LABEL_STRIP = GLYPH_H + 2;

/**
 * Tiles n NHWC images (values in [0,1], 1 or 3 channels) into a grid with a 1-pixel gap and
 * writes each cell's label (a class index) in small black digits on a white strip under it.
 * Returns the RGBA pixels and size so callers and tests can read the labels back.
 */
export function labelledGrid(
  pixels: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  h: number,
  w: number,
  c: number,
  cols: number,
): Grid {
  const grid = tileImages(pixels, n, h, w, c, cols, LABEL_STRIP);
  const { data, width: W } = grid;
  for (let b = 0; b < n; b++) {
    const [ox, oy] = grid.origin(b);
    // The label, centred in the strip; digits that do not fit the cell width are cut.
    const text = String(labels[b]);
    const textW = text.length * (GLYPH_W + 1) - 1;
    let gx = ox + Math.max(0, Math.floor((w - textW) / 2));
    const gy = oy + h + 1;
    for (const ch of text) {
      const bits = DIGITS[ch.charCodeAt(0) - 48];
      for (let yy = 0; yy < GLYPH_H; yy++) {
        for (let xx = 0; xx < GLYPH_W; xx++) {
          if (bits[yy * GLYPH_W + xx] !== '1' || gx + xx >= ox + w) continue;
          const dst = ((gy + yy) * W + gx + xx) * 4;
          data[dst] = data[dst + 1] = data[dst + 2] = 0;
        }
      }
      gx += GLYPH_W + 1;
    }
  }
  return grid;
}

/** Reads back the label drawn under cell b of a grid made by `labelledGrid` (for tests and checks). */
export function readGridLabel(
  grid: { data: Uint8Array; width: number },
  b: number,
  h: number,
  w: number,
  cols: number,
  digits: number,
): number {
  const ox = (b % cols) * (w + 1) + 1;
  const oy = Math.floor(b / cols) * (h + LABEL_STRIP + 1) + 1;
  const textW = digits * (GLYPH_W + 1) - 1;
  let gx = ox + Math.max(0, Math.floor((w - textW) / 2));
  let out = '';
  for (let d = 0; d < digits; d++) {
    let bits = '';
    for (let yy = 0; yy < GLYPH_H; yy++)
      for (let xx = 0; xx < GLYPH_W; xx++)
        bits += grid.data[((oy + h + 1 + yy) * grid.width + gx + xx) * 4] === 0 ? '1' : '0';
    const k = DIGITS.indexOf(bits);
    if (k < 0) return -1;
    out += k;
    gx += GLYPH_W + 1;
  }
  return Number(out);
}

export function writeLabelledGridPng(
  path: string,
  pixels: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  h: number,
  w: number,
  c: number,
  cols: number,
): void {
  writeGrid(path, labelledGrid(pixels, labels, n, h, w, c, cols));
}
