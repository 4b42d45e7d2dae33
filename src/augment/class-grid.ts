/**
 * The first `cols` images of each class, one row per class, as [0,1] floats for the grid
 * tiler; a class with fewer images leaves white cells, so a missing class shows as a blank row.
 */
export function perClassGrid(
  images: Uint8Array,
  labels: Uint8Array,
  n: number,
  K: number,
  size: number,
  cols = 10,
): Float32Array {
  const out = new Float32Array(K * cols * size).fill(1);
  const filled = new Array(K).fill(0);
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    if (filled[k] >= cols) continue;
    const at = (k * cols + filled[k]++) * size;
    for (let j = 0; j < size; j++) out[at + j] = images[i * size + j] / 255;
  }
  return out;
}
