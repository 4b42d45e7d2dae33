/**
 * Inverted-dropout multipliers: 1/(1 - rate) (in float32) where the draw h(seed, i) is at least
 * rate·2³², else 0. h is murmur3's 32-bit finaliser of seed + i·0x9e3779b9, a counter-based hash:
 * native/random.c's `dropout` keeps exactly this mask, and vectorises it.
 */
export function dropoutScales(n: number, seed: number, rate: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  const threshold = Math.ceil(rate * 4294967296); // < 2^32 for rate < 1
  const scale = Math.fround(1 / Math.fround(1 - rate));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let h = (seed + Math.imul(i, 0x9e3779b9)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    out[i] = h >= threshold ? scale : 0;
  }
  return out;
}
