/**
 * Images per second of one full K+1 GAN training step (labelled + unlabelled + generated batches
 * of 100, D update then G update, Adam) for the mlp and dcgan architectures, on cpu, wasm and
 * wasm + native BLAS kernels, as ratios measured in one run; plus the same model and step in
 * PyTorch (scripts/bench_torch.py, the same thread count) where `import torch` works.
 *
 *   npx tsx scripts/bench-backends.ts [--steps 20] [--archs mlp,dcgan] [--backends cpu,wasm,native] [--threads 1]
 *
 * Both sides get --threads threads (default 1: the comparison is core for core).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
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

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const steps = Number(arg('steps', '20'));
const archs = arg('archs', 'mlp,dcgan').split(',') as ('mlp' | 'dcgan')[];
const variants = arg('backends', 'cpu,wasm,native').split(',');
const threads = arg('threads', '1');
if (!/^[1-9]\d*$/.test(threads))
  throw new Error(`--threads: expected a whole number from 1, got ${JSON.stringify(threads)}`);
// Read when the native kernels are registered, i.e. at the first selectBackend below.
process.env.SSGAN_BLAS_THREADS = threads;
const B = 100;

async function imagesPerSecond(variant: string, arch: 'mlp' | 'dcgan'): Promise<number> {
  const info = await selectBackend({
    backend: variant === 'cpu' ? 'cpu' : 'wasm',
    native: variant === 'native' ? 'auto' : 'off',
  });
  if (variant === 'native' && !info.native?.enabled)
    throw new Error(`native kernels unavailable: ${info.native?.detail}`);
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
  const t0 = performance.now();
  for (let t = 0; t < n; t++) step(t + 2);
  const seconds = (performance.now() - t0) / 1000;
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

const base = (arch: string) => rows.find((r) => r.arch === arch && r.variant === 'wasm')?.ips ?? null;
console.log(
  `one K+1 GAN training step, batches of ${B} (labelled + unlabelled + generated), ${steps} steps; images/s and ratio to plain wasm`,
);
console.log('arch   backend              images/s   vs wasm');
for (const r of rows) {
  const b = base(r.arch);
  console.log(
    `${r.arch.padEnd(6)} ${r.variant.padEnd(20)} ${r.ips === null ? '       -' : r.ips.toFixed(0).padStart(8)}   ${r.ips !== null && b ? (r.ips / b).toFixed(2) + 'x' : '-'}${r.note ? `  (${r.note})` : ''}`,
  );
}
for (const arch of archs) {
  const ips = (variant: string) => rows.find((r) => r.arch === arch && r.variant === variant)?.ips;
  const nat = ips('native');
  const torch = ips(`pytorch (${threads} thread${threads === '1' ? '' : 's'})`);
  if (nat && torch) console.log(`${arch}: wasm + native / pytorch = ${(nat / torch).toFixed(2)}`);
}
