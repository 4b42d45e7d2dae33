/**
 * Seeded N(0, sigma²) samples for the noise layers: xoshiro128+ seeded by splitmix32, the
 * ziggurat method in double precision. native/random.c implements the same stream
 * (`fillNormal`, `addNormal`) and is used when the addon is loaded: a step of the paper's
 * discriminator draws 1.5 million values. tf.randomNormal is no faster than the JS path.
 */
import { xoshiro128plus } from './xoshiro.ts';

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

/**
 * The ziggurat tables of Marsaglia & Tsang (2000), 128 strips: kn are the strips' acceptance
 * bounds on a signed 32-bit draw, wn the scale from a draw to a value, fn the density at the
 * strips' edges. native/random.c builds the same tables by the same formulas; its libm's
 * exp and log may round differently from V8's in the last bits of wn and fn, which can change an
 * output's last float bit in rare draws (tests/backend/gaussian.test.ts compares 300,001 draws).
 */
function zigguratTables() {
  const kn = new Float64Array(128);
  const wn = new Float64Array(128);
  const fn = new Float64Array(128);
  const m1 = 2147483648;
  let dn = 3.442619855899;
  let tn = dn;
  const vn = 9.91256303526217e-3;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * m1);
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
  return { kn, wn, fn };
}

let tables: ReturnType<typeof zigguratTables> | null = null;

export function fillNormalJs(out: Float32Array, seed: number, sigma: number): void {
  const { kn, wn, fn } = (tables ??= zigguratTables());
  const next = xoshiro128plus(seed);
  // A uniform in (0, 1), never 0, for the logs of the slow paths.
  const uni = () => (next() + 0.5) * 2.3283064365386963e-10;
  for (let i = 0; i < out.length; i++) {
    // The strip comes from the top bits of its own draw: xoshiro128+'s low bits are its weakest,
    // and reusing the value's bits for the strip (as the original does) correlates the two.
    let h = next() | 0;
    let k = next() >>> 25;
    let v: number;
    for (;;) {
      if (Math.abs(h) < kn[k]) {
        v = h * wn[k];
        break;
      }
      if (k === 0) {
        // The tail beyond r, by Marsaglia's exponential rejection.
        const r = 3.442619855899;
        let a: number, b: number;
        do {
          a = -Math.log(uni()) / r;
          b = -Math.log(uni());
        } while (b + b < a * a);
        v = h > 0 ? r + a : -r - a;
        break;
      }
      const w = h * wn[k];
      if (fn[k] + uni() * (fn[k - 1] - fn[k]) < Math.exp(-0.5 * w * w)) {
        v = w;
        break;
      }
      h = next() | 0;
      k = next() >>> 25;
    }
    out[i] = v * sigma;
  }
}
