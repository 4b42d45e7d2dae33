/**
 * Images per second of one full K+1 GAN training step (labelled + unlabelled + generated batches
 * of 100, D update then G update, Adam) for the mlp and dcgan architectures, on cpu, wasm and
 * wasm + native BLAS kernels, tfjs-node (libtensorflow on CPU) and tfjs-node-gpu (where it finds a
 * GPU), as ratios measured in one run; plus the same model and step in PyTorch
 * (scripts/bench_torch.py, the same thread count) where `import torch` works.
 *
 *   npx tsx scripts/bench-backends.ts [--steps 20] [--archs mlp,dcgan] [--backends cpu,wasm,native,node,node-gpu] [--threads 1]
 *
 * Every engine gets --threads threads (default 1: the comparison is core for core): OpenBLAS and
 * oneDNN, PyTorch, and TensorFlow's intra- and inter-op pools. A backend that is not installed
 * (tfjs-node: scripts/setup-tfjs-node.sh builds it) gets a row saying why.
 *
 * The machine's SGEMM ceiling (scripts/gemm-ceiling.ts): the GEMMs of one native step, each timed
 * alone on the addon's GEMM with the same threads; each row prints its fraction of it. Above that,
 * the core's FMA peak (scripts/fma-peak.c, built here with the C compiler the addon needs): the
 * images/s no step of those GEMM flops can pass on this machine, whatever the code.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src/backend/select.ts';
import { loadDataset } from '../src/data/datasets.ts';
import { gatherImages } from '../src/data/batch.ts';
import { buildDiscriminator, buildGenerator, sampleLatent } from '../src/models/index.ts';
import type { ModelSpec } from '../src/models/types.ts';
import { makeConfig } from '../src/train/config.ts';
import { adam } from '../src/train/adam.ts';
import type { SslganConfig } from '../src/methods/sslgan/options.ts';
import { discriminatorStep, generatorStep } from '../src/methods/sslgan/steps.ts';
import { stepSeeds } from '../src/train/step-seeds.ts';
import { loadAddon, measureCeiling, recordStepGemms, type Ceiling } from './gemm-ceiling.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const steps = Number(arg('steps', '20'));
const archs = arg('archs', 'mlp,dcgan').split(',') as ('mlp' | 'dcgan')[];
const variants = arg('backends', 'cpu,wasm,native,node,node-gpu').split(',');
const threads = arg('threads', '1');
if (!/^[1-9]\d*$/.test(threads))
  throw new Error(`--threads: expected a whole number from 1, got ${JSON.stringify(threads)}`);
// Read when the native kernels are registered, i.e. at the first selectBackend below.
process.env.SSGAN_BLAS_THREADS = threads;
// Read by libtensorflow when tfjs-node first loads; a GPU run's host threads follow them too.
process.env.TF_NUM_INTRAOP_THREADS = threads;
process.env.TF_NUM_INTEROP_THREADS = threads;
const B = 100;
// Measured right after each native step's timing, so that both see the shared machine's same load.
const ceilings = new Map<string, Ceiling>();

async function imagesPerSecond(variant: string, arch: 'mlp' | 'dcgan'): Promise<number> {
  const info = await selectBackend({
    backend: variant === 'cpu' || variant === 'node' || variant === 'node-gpu' ? variant : 'wasm',
    native: variant === 'native' ? 'auto' : 'off',
  });
  if (variant === 'native' && !info.native?.enabled)
    throw new Error(`native kernels unavailable: ${info.native?.detail}`);
  if (variant === 'node-gpu' && !(tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice)
    throw new Error('tfjs-node-gpu loaded but found no GPU');
  const ds = await loadDataset('mnist-10k');
  const spec: ModelSpec = {
    arch,
    head: 'implicit',
    imageShape: [28, 28, 1],
    numClasses: 10,
    latentDim: 100,
    initSeed: 1,
  };
  const cfg = makeConfig({ kind: 'gan', arch, steps: 1, runDir: '/tmp/unused' }) as SslganConfig;
  const D = buildDiscriminator(spec);
  const G = buildGenerator(spec);
  const optD = adam(cfg.lr, cfg.beta1, cfg.beta2, cfg.adamEpsilon);
  const optG = adam(cfg.lr, cfg.beta1, cfg.beta2, cfg.adamEpsilon);
  const batch = (k: number) =>
    tf.tensor4d(
      gatherImages(
        ds.train,
        Array.from({ length: B }, (_, i) => (k * B + i) % ds.train.count),
      ),
      [B, 28, 28, 1],
    );
  const xLab = batch(0);
  const yLab = tf.tensor1d(Array.from(ds.train.labels.subarray(0, B)), 'int32');
  const xUnl = batch(1);
  const xUnl2 = batch(2);
  tf.tidy(() => {
    D.apply(xUnl, { training: true, init: true, seed: 1 });
    G.apply(sampleLatent(arch, B, 100, 2), { training: true, init: true, seed: 3 });
  });
  const step = (t: number) => {
    const s = stepSeeds(1, t);
    discriminatorStep(cfg, spec, D, G, optD, { xLab, yLab, xUnl }, s);
    generatorStep(cfg, spec, D, G, optG, xUnl2, s);
  };
  const n = variant === 'cpu' && arch === 'dcgan' ? Math.max(2, Math.floor(steps / 10)) : steps;
  step(0);
  step(1);
  const gemms = variant === 'native' ? recordStepGemms(loadAddon(), Number(threads), () => step(1)) : [];
  const t0 = performance.now();
  for (let t = 0; t < n; t++) step(t + 2);
  const seconds = (performance.now() - t0) / 1000;
  if (variant === 'native') ceilings.set(arch, measureCeiling(loadAddon(), gemms));
  tf.dispose([xLab, yLab, xUnl, xUnl2]);
  D.params.dispose();
  G.params.dispose();
  optD.dispose();
  optG.dispose();
  // Images through the step: labelled + unlabelled + generated.
  return (n * 3 * B) / seconds;
}

function torchImagesPerSecond(arch: 'mlp' | 'dcgan'): { ips: number | null; why: string } {
  const script = fileURLToPath(new URL('./bench_torch.py', import.meta.url));
  // Debian's python3-torch lives under the system python, which a pyenv python3 on PATH hides.
  let why = '';
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, [script, String(steps), arch], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: threads },
    });
    if (r.status === 0) return { ips: Number(r.stdout.trim().split('\n').pop()), why: '' };
    why = (r.stderr || `${py} failed`).trim().split('\n').pop()!;
  }
  return { ips: null, why };
}

const rows: { arch: string; variant: string; ips: number | null; note: string }[] = [];
for (const arch of archs) {
  for (const v of variants) {
    try {
      rows.push({ arch, variant: v, ips: await imagesPerSecond(v, arch), note: '' });
    } catch (e) {
      rows.push({ arch, variant: v, ips: null, note: (e as Error).message });
    }
    // Progress on stderr: a loaded machine can take minutes a row.
    console.error(`${arch} ${v}: ${rows.at(-1)!.ips?.toFixed(0) ?? rows.at(-1)!.note}`);
  }
}
for (const arch of archs) {
  const torch = torchImagesPerSecond(arch);
  rows.push({
    arch,
    variant: `pytorch (${threads} thread${threads === '1' ? '' : 's'})`,
    ips: torch.ips,
    note: torch.why,
  });
}

const ceilingIps = (arch: string) => {
  const c = ceilings.get(arch);
  return c ? (3 * B) / c.seconds : null;
};
const torchVariant = `pytorch (${threads} thread${threads === '1' ? '' : 's'})`;
const base = (arch: string) => rows.find((r) => r.arch === arch && r.variant === 'wasm')?.ips ?? null;
const torchIps = (arch: string) => rows.find((r) => r.arch === arch && r.variant === torchVariant)?.ips ?? null;
const ratio = (x: number | null, y: number | null, digits = 2) =>
  x !== null && y ? (x / y).toFixed(digits) + 'x' : '-';
console.log(
  `one K+1 GAN training step, batches of ${B} (labelled + unlabelled + generated), ${steps} steps; images/s, ratios to plain wasm and to PyTorch, fraction of the SGEMM ceiling`,
);
console.log('arch   backend              images/s   vs wasm  vs torch  of ceiling');
// Long install hints shortened to their first clause in the table.
for (const r of rows) r.note = r.note.replace(/ \(.*$/s, '');
for (const r of rows) {
  const c = ceilingIps(r.arch);
  const frac = r.ips !== null && c ? `${((100 * r.ips) / c).toFixed(1)}%` : '-';
  console.log(
    `${r.arch.padEnd(6)} ${r.variant.padEnd(20)} ${r.ips === null ? '       -' : r.ips.toFixed(0).padStart(8)}   ${ratio(r.ips, base(r.arch)).padStart(7)}  ${ratio(r.ips, torchIps(r.arch)).padStart(8)}  ${frac.padStart(10)}${r.note ? `  (${r.note})` : ''}`,
  );
}
for (const arch of archs) {
  const nat = rows.find((r) => r.arch === arch && r.variant === 'native')?.ips ?? null;
  const torch = torchIps(arch);
  if (nat && torch) console.log(`${arch}: wasm + native / pytorch = ${(nat / torch).toFixed(2)}`);
  const node = rows.find((r) => r.arch === arch && r.variant === 'node')?.ips ?? null;
  if (nat && node) console.log(`${arch}: wasm + native / node = ${(nat / node).toFixed(2)}`);
}
for (const [arch, c] of ceilings) {
  const worst = [...c.shapes].sort((a, b) => a.gflops - b.gflops)[0];
  console.log(
    `${arch}: SGEMM ceiling ${ceilingIps(arch)!.toFixed(0)} images/s: the step's GEMMs, ${(c.flops / 1e9).toFixed(2)} GFLOP in ${c.shapes.length} shapes, at ${(c.flops / c.seconds / 1e9).toFixed(0)} GFLOP/s on ${c.gemm} with ${threads} thread${threads === '1' ? '' : 's'} (slowest shape ${worst.ta ? 'T' : 'N'}${worst.tb ? 'T' : 'N'} ${worst.M}x${worst.N}x${worst.K}: ${worst.gflops.toFixed(0)} GFLOP/s; at the square 1024^3 rate, ${c.squareGflops.toFixed(0)} GFLOP/s, ${((3 * B * c.squareGflops * 1e9) / c.flops).toFixed(0)} images/s)`,
  );
}

/** GFLOP/s of the core's multiply-add units with `threads` threads, or why it could not be measured. */
function fmaPeak(): { gflops: number | null; why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ssgan-fma-'));
  try {
    const exe = join(dir, 'fma-peak');
    const src = fileURLToPath(new URL('./fma-peak.c', import.meta.url));
    const cc = spawnSync(
      process.env.CC || 'cc',
      ['-O3', '-march=native', '-ffp-contract=fast', '-pthread', src, '-o', exe],
      {
        encoding: 'utf8',
      },
    );
    if (cc.status !== 0) return { gflops: null, why: (cc.stderr || 'no C compiler').trim().split('\n')[0] };
    const r = spawnSync(exe, [threads], { encoding: 'utf8' });
    if (r.status === 0) return { gflops: Number(r.stdout.trim()), why: '' };
    return { gflops: null, why: r.stderr.trim() || `fma-peak ended with ${r.signal ?? `exit ${r.status}`}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (ceilings.size) {
  const peak = fmaPeak();
  if (peak.gflops === null) console.log(`FMA peak not measured: ${peak.why}`);
  else {
    console.log(`FMA peak of ${threads} thread${threads === '1' ? '' : 's'}: ${peak.gflops.toFixed(0)} GFLOP/s`);
    for (const [arch, c] of ceilings) {
      const bound = (3 * B * peak.gflops * 1e9) / c.flops;
      const nat = rows.find((r) => r.arch === arch && r.variant === 'native')?.ips ?? null;
      const torch = torchIps(arch);
      const at = nat ? `; native at ${((100 * nat) / bound).toFixed(1)}% of it` : '';
      // Issue 18's target for dcgan on one thread.
      const want = torch ? `; 2.5x PyTorch would be ${(2.5 * torch).toFixed(0)} images/s` : '';
      console.log(
        `${arch}: the step's GEMM flops at the FMA peak: ${bound.toFixed(0)} images/s (GEMM ceiling rate ${((100 * c.flops) / c.seconds / 1e9 / peak.gflops).toFixed(0)}% of peak)${at}${want}`,
      );
    }
  }
}
