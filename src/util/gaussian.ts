/**
 * Seeded N(0, sigma²) samples for the noise layers: xoshiro128+ seeded by splitmix32, Marsaglia's
 * polar method in double precision. native/ssgan_blas.c implements the same stream (`fillNormal`)
 * and is used when the addon is loaded: a step of the paper's discriminator draws 1.5 million
 * values, ~30 ms in JavaScript and ~5 ms natively. tf.randomNormal is no faster than the JS path.
 */
export type NormalFiller = (out: Float32Array, seed: number, sigma: number) => void;

let filler: NormalFiller = fillNormalJs;

/** The native backend installs its filler; `null` restores the JavaScript one. */
export function setNormalFiller(f: NormalFiller | null): void {
  filler = f ?? fillNormalJs;
}

export function normalSamples(n: number, sigma: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  filler(out, seed >>> 0, sigma);
  return out;
}

export function fillNormalJs(out: Float32Array, seed: number, sigma: number): void {
  let x = seed >>> 0;
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix(), s1 = splitmix(), s2 = splitmix(), s3 = splitmix();
  const next = () => {
    const r = (s0 + s3) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0;
    return 2 * (r * 2.3283064365386963e-10) - 1;
  };
  let i = 0;
  while (i < out.length) {
    let u: number, v: number, q: number;
    do {
      u = next();
      v = next();
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const m = sigma * Math.sqrt((-2 * Math.log(q)) / q);
    out[i++] = u * m;
    if (i < out.length) out[i++] = v * m;
  }
}
