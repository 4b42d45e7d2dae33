/**
 * xoshiro128+ seeded by splitmix32: the generator behind the noise and dropout streams, written
 * the same way in native/random.c so that a seed draws the same numbers with or without the
 * addon. Returns unsigned 32-bit draws.
 */
export function xoshiro128plus(seed: number): () => number {
  let x = seed >>> 0;
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix(),
    s1 = splitmix(),
    s2 = splitmix(),
    s3 = splitmix();
  return () => {
    const r = (s0 + s3) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0;
    return r;
  };
}
