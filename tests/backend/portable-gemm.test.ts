import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BlasAddon } from '../../src/backend/addon.ts';
import { createRng } from '../../src/util/random.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The portable SGEMM (native/gemm_portable.c) is what a machine without a system BLAS runs. This
 * builds it the way such a machine would (scripts/build-native.js with SSGAN_GEMM=portable, in a
 * copy of the sources) and holds it to a float64 reference and to the installed addon (OpenBLAS
 * here). It sums in another order than OpenBLAS, so the bound is the rounding error any order of
 * a K-term float32 sum may have: (K + 2) u (|alpha| sum_k |a_ik b_kj| + |beta c_ij|).
 */
const require = createRequire(import.meta.url);
const ROOT = new URL('../..', import.meta.url).pathname;
const INSTALLED = join(ROOT, 'native/build/Release/ssgan_blas.node');
const U = 2 ** -24;

let portable: BlasAddon;
let installed: BlasAddon | null = null;

test.before(() => {
  const dir = tempDir('ssgan-portable-');
  mkdirSync(join(dir, 'native'));
  mkdirSync(join(dir, 'scripts'));
  for (const f of readdirSync(join(ROOT, 'native')))
    if (/\.(c|h|gyp)$/.test(f)) cpSync(join(ROOT, 'native', f), join(dir, 'native', f));
  for (const f of ['build-native.js', 'find-blas.js', 'find-onednn.js'])
    cpSync(join(ROOT, 'scripts', f), join(dir, 'scripts', f));
  const r = spawnSync(process.execPath, [join(dir, 'scripts/build-native.js'), '--strict'], {
    env: { ...process.env, SSGAN_GEMM: 'portable' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`portable build failed: ${r.stderr || r.stdout}`);
  portable = require(join(dir, 'native/build/Release/ssgan_blas.node')) as BlasAddon;
  if (existsSync(INSTALLED)) installed = require(INSTALLED) as BlasAddon;
});

test.serial('the portable build says so in info(), and build-native.js rejects an unknown SSGAN_GEMM', (t) => {
  t.regex(portable.info(), /^portable-SGEMM \S+/);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-native.js')], {
    env: { ...process.env, SSGAN_GEMM: 'mkl' },
    encoding: 'utf8',
  });
  t.is(r.status, 1);
  t.regex(r.stderr, /SSGAN_GEMM: expected blas or portable, got "mkl"/);
});

interface Case {
  ta: boolean;
  tb: boolean;
  batch: number;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  /** a stride of 0 broadcasts B over the batch */
  broadcastB?: boolean;
}

/** Lays out A, B, C on one heap as sgemmBatched takes them; C starts as `c0` (NaN where beta is 0). */
function layout(c: Case, seed: number) {
  const rng = createRng(seed, 'portable-gemm');
  const aSize = c.M * c.K,
    bSize = c.K * c.N,
    cSize = c.M * c.N;
  const bCount = c.broadcastB ? 1 : c.batch;
  const heap = new Float32Array(3 + c.batch * aSize + bCount * bSize + c.batch * cSize);
  const aOff = 3,
    bOff = aOff + c.batch * aSize,
    cOff = bOff + bCount * bSize;
  for (let i = aOff; i < cOff; i++) heap[i] = rng.normal();
  for (let i = cOff; i < heap.length; i++) heap[i] = c.beta === 0 ? NaN : rng.normal();
  return { heap, aOff, bOff, cOff, aSize, bSize, cSize };
}

function run(addon: BlasAddon, c: Case, seed: number) {
  const l = layout(c, seed);
  const c0 = l.heap.slice(l.cOff);
  addon.sgemmBatched(
    l.heap.buffer,
    c.ta,
    c.tb,
    c.batch,
    c.M,
    c.N,
    c.K,
    l.aOff,
    l.aSize,
    l.bOff,
    c.broadcastB ? 0 : l.bSize,
    l.cOff,
    l.cSize,
    c.alpha,
    c.beta,
  );
  return { ...l, c0, out: l.heap.subarray(l.cOff) };
}

/** The largest error over the rounding bound; at most 1 passes. */
function worst(c: Case, r: ReturnType<typeof run>, other?: Float32Array): number {
  const { heap, aOff, bOff, aSize, bSize, cSize, c0, out } = r;
  let w = 0;
  for (let b = 0; b < c.batch; b++) {
    const A = aOff + b * aSize,
      B = bOff + (c.broadcastB ? 0 : b * bSize);
    for (let i = 0; i < c.M; i++)
      for (let j = 0; j < c.N; j++) {
        let sum = 0,
          abs = 0;
        for (let k = 0; k < c.K; k++) {
          const a = heap[A + (c.ta ? k * c.M + i : i * c.K + k)];
          const bv = heap[B + (c.tb ? j * c.K + k : k * c.N + j)];
          sum += a * bv;
          abs += Math.abs(a * bv);
        }
        const prior = c.beta === 0 ? 0 : c0[b * cSize + i * c.N + j];
        const want = c.alpha * sum + c.beta * prior;
        const bound = (c.K + 2) * U * (Math.abs(c.alpha) * abs + Math.abs(c.beta * prior)) + 1e-30;
        const got = out[b * cSize + i * c.N + j];
        // Against another float32 GEMM both sides carry the bound.
        const ref = other ? other[b * cSize + i * c.N + j] : want;
        const e = Math.abs(got - ref) / (other ? 2 * bound : bound);
        if (!(e <= w)) w = Number.isNaN(e) ? Infinity : e;
      }
  }
  return w;
}

const cases: Case[] = [
  // the mlp GAN step's layer shapes, forward and both gradients
  { ta: false, tb: false, batch: 1, M: 300, N: 1000, K: 784, alpha: 1, beta: 0 },
  { ta: false, tb: true, batch: 1, M: 300, N: 784, K: 1000, alpha: 1, beta: 0 },
  { ta: true, tb: false, batch: 1, M: 784, N: 1000, K: 300, alpha: 1, beta: 0 },
  // edges of every block: not multiples of the 6 x 16 tile, K across two KC slices, N past one NC panel
  { ta: false, tb: false, batch: 1, M: 7, N: 17, K: 257, alpha: 1, beta: 0 },
  { ta: true, tb: true, batch: 1, M: 13, N: 3100, K: 5, alpha: -0.5, beta: 2 },
  { ta: true, tb: false, batch: 1, M: 150, N: 33, K: 600, alpha: 1, beta: 1 },
  { ta: false, tb: true, batch: 3, M: 5, N: 9, K: 4, alpha: 2, beta: 0.25 },
  { ta: false, tb: false, batch: 4, M: 1, N: 1, K: 1, alpha: 1, beta: 0, broadcastB: true },
  { ta: false, tb: true, batch: 2, M: 31, N: 250, K: 10, alpha: 1, beta: 0, broadcastB: true },
];

for (const [n, c] of cases.entries()) {
  const name = `${c.ta ? 'T' : 'N'}${c.tb ? 'T' : 'N'} ${c.batch}x${c.M}x${c.N}x${c.K} alpha ${c.alpha} beta ${c.beta}${c.broadcastB ? ' (B broadcast)' : ''}`;
  test.serial(`portable SGEMM within float rounding of float64 and of the installed GEMM: ${name}`, (t) => {
    const r = run(portable, c, n + 1);
    const w = worst(c, r);
    t.log(`worst error / bound vs float64: ${w.toFixed(3)}`);
    t.true(w <= 1, `error ${w} times the rounding bound`);
    if (installed) {
      const other = run(installed, c, n + 1).out;
      const w2 = worst(c, r, other);
      t.log(`vs ${installed.info().split(' ').slice(0, 2).join(' ')}: ${w2.toFixed(3)}`);
      t.true(w2 <= 1);
    }
  });
}

test.serial('threads split C without changing a bit of it', (t) => {
  const shapes: Case[] = [
    { ta: false, tb: false, batch: 1, M: 300, N: 1000, K: 784, alpha: 1, beta: 0 },
    { ta: true, tb: true, batch: 1, M: 20, N: 3000, K: 200, alpha: 1, beta: 0.5 },
    { ta: true, tb: false, batch: 1, M: 131, N: 7, K: 9000, alpha: -1, beta: 1 },
  ];
  try {
    for (const [n, c] of shapes.entries()) {
      portable.setThreads(1);
      const one = run(portable, c, 40 + n).out.slice();
      for (const threads of [2, 3, 7]) {
        portable.setThreads(threads);
        t.deepEqual(run(portable, c, 40 + n).out, one, `${threads} threads`);
      }
    }
  } finally {
    portable.setThreads(1);
  }
});

test.serial('beta 0 never reads C, and K 0 with beta 0 gives zeros', (t) => {
  const nanC = run(portable, { ta: false, tb: false, batch: 1, M: 20, N: 40, K: 3, alpha: 1, beta: 0 }, 9);
  t.false(nanC.out.some(Number.isNaN));
  const k0 = run(portable, { ta: false, tb: false, batch: 2, M: 3, N: 4, K: 0, alpha: 1, beta: 0 }, 10);
  t.deepEqual(Array.from(k0.out), new Array(24).fill(0));
});

test.serial('im2col convolutions on the portable GEMM match the installed addon', (t) => {
  // dims [N, H, W, C, KH, KW, F, OH, OW, sh, sw, dh, dw, pt, pl]: a 3x3 stride-2 padded layer
  const dims = new Int32Array([5, 14, 14, 32, 3, 3, 64, 7, 7, 2, 2, 1, 1, 0, 0]);
  const xs = 5 * 14 * 14 * 32,
    fs = 3 * 3 * 32 * 64,
    ys = 5 * 7 * 7 * 64;
  const rng = createRng(21, 'portable-conv');
  const base = Float32Array.from({ length: xs + fs + ys }, () => rng.normal());
  const offsets = new Float64Array([0, xs, xs + fs]);
  const results: Float32Array[] = [];
  for (const addon of installed ? [portable, installed] : [portable]) {
    addon.convEngine?.('im2col');
    const outs: Float32Array[] = [];
    for (const mode of [0, 1, 2] as const) {
      const heap = base.slice();
      addon.conv(heap.buffer, mode, dims, offsets);
      outs.push(mode === 0 ? heap.slice(xs + fs) : mode === 1 ? heap.slice(0, xs) : heap.slice(xs, xs + fs));
    }
    addon.convEngine?.('onednn');
    results.push(Float32Array.from(outs.flatMap((o) => Array.from(o))));
  }
  if (results.length < 2) return t.pass('no installed addon to compare with');
  const [p, o] = results;
  let scale = 0,
    err = 0;
  for (let i = 0; i < o.length; i++) scale = Math.max(scale, Math.abs(o[i]));
  for (let i = 0; i < o.length; i++) err = Math.max(err, Math.abs(p[i] - o[i]) / scale);
  t.log(`max error relative to the largest output: ${err.toExponential(2)}`);
  t.true(err < 1e-5);
});
