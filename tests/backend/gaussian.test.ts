import test from 'ava';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fillNormalJs, normalSamples } from '../../src/util/gaussian.ts';

const ADDON = new URL('../../native/build/Release/ssgan_blas.node', import.meta.url).pathname;

function moments(x: Float32Array): { mean: number; std: number; kurtosis: number } {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let m2 = 0;
  let m4 = 0;
  for (const v of x) {
    const d = (v - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return { mean: m, std: Math.sqrt(m2), kurtosis: m4 / (m2 * m2) };
}

test('the noise stream is N(0, sigma²): mean, std and kurtosis of 1M draws', (t) => {
  const { mean, std, kurtosis } = moments(normalSamples(1_000_001, 0.5, 42));
  t.log(`mean ${mean.toExponential(2)}, std ${std.toFixed(5)}, kurtosis ${kurtosis.toFixed(4)}`);
  t.true(Math.abs(mean) < 0.002);
  t.true(Math.abs(std - 0.5) < 0.002);
  // A Gaussian's kurtosis is 3; a uniform's 1.8, a Laplace's 6.
  t.true(Math.abs(kurtosis - 3) < 0.03);
});

test('the ziggurat tail and the strips: fractions beyond 1, 2 and the tail edge 3.4426 match the normal', (t) => {
  const x = normalSamples(1_000_000, 1, 5);
  const beyond = (c: number) => x.reduce((n, v) => n + (Math.abs(v) > c ? 1 : 0), 0) / x.length;
  // 2(1 - Φ(c)) for c = 1, 2, 3.4426 (the ziggurat's base strip ends at 3.4426).
  const expected: [number, number][] = [
    [1, 0.3173105],
    [2, 0.0455003],
    [3.442619855899, 5.761e-4],
  ];
  for (const [c, p] of expected) {
    const got = beyond(c);
    const sd = Math.sqrt((p * (1 - p)) / x.length);
    t.log(`P(|x| > ${c.toFixed(4)}): ${got.toExponential(4)} vs ${p.toExponential(4)}`);
    t.true(Math.abs(got - p) < 5 * sd, `beyond ${c}`);
  }
  t.true(x.some((v) => v > 4) && x.some((v) => v < -4), 'no draws from the far tails');
});

test('seeded: the same seed repeats the stream, another seed does not', (t) => {
  const a = normalSamples(1001, 1, 7);
  t.deepEqual(normalSamples(1001, 1, 7), a);
  const b = normalSamples(1001, 1, 8);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  t.true(same < 3);
  // A prefix of a longer draw is the shorter draw (odd lengths included).
  t.deepEqual(normalSamples(2000, 1, 7).subarray(0, 1001), a);
});

test('the native addon draws the same stream as the JavaScript code', (t) => {
  if (!existsSync(ADDON)) {
    // CI installs OpenBLAS, so there the addon must have built.
    t.falsy(process.env.CI, 'native addon not built');
    return;
  }
  const addon = createRequire(import.meta.url)(ADDON);
  const js = new Float32Array(300_001);
  const native = new Float32Array(300_001);
  fillNormalJs(js, 123456789, 0.3);
  addon.fillNormal(native, 123456789, 0.3);
  let worst = 0;
  for (let i = 0; i < js.length; i++) worst = Math.max(worst, Math.abs(js[i] - native[i]));
  t.log(`max |js - native| over 300,001 draws: ${worst.toExponential(2)}`);
  // Only the last bit of a libm log may differ.
  t.true(worst < 1e-6);
});
