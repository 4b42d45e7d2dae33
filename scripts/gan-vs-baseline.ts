/**
 * The semi-supervised GAN against its supervised twin under the same wall-time budget, seed by
 * seed: `ssgan train` then `ssgan baseline` on the same labels, one run at a time so each has the
 * whole machine. Writes the run folders under --out and a summary (summary.json, summary.md) there.
 *
 *   npx tsx scripts/gan-vs-baseline.ts [--dataset mnist-10k] [--labels 100] [--minutes 5] [--seeds 1,2,3] [--out reports/gan-vs-baseline]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/util/fs.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const dataset = arg('dataset', 'mnist-10k');
const labels = arg('labels', '100');
const minutes = arg('minutes', '5');
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
if (seeds.some((sd) => !Number.isInteger(sd) || sd < 0))
  throw new Error(`--seeds: expected whole numbers separated by commas, got ${JSON.stringify(arg('seeds', ''))}`);
if (!(Number(minutes) > 0)) throw new Error(`--minutes: expected a positive number, got ${JSON.stringify(minutes)}`);
const out = arg('out', `reports/gan-vs-baseline`);
const BIN = fileURLToPath(new URL('../bin/ssgan.js', import.meta.url));

interface Result {
  accuracy: number;
  steps: number;
  wallSeconds: number;
  backend: string;
}

function run(kind: 'train' | 'baseline', seed: number): Result {
  const dir = join(out, `${kind === 'train' ? 'gan' : 'baseline'}-s${seed}`);
  if (existsSync(join(dir, 'result.json'))) {
    // A finished run is reused (the script resumes), but only if it is the run asked for.
    const { config } = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { config: Record<string, unknown> };
    if (
      config.dataset !== dataset ||
      String(config.labels) !== labels ||
      config.budgetMinutes !== Number(minutes) ||
      config.seed !== seed
    ) {
      throw new Error(
        `${dir} holds a run of other settings (${config.dataset}, ${config.labels} labels, ${config.budgetMinutes} min, seed ${config.seed}); use another --out`,
      );
    }
  } else {
    const args = [
      BIN,
      kind,
      '--dataset',
      dataset,
      '--labels',
      labels,
      '--budget-minutes',
      minutes,
      '--seed',
      String(seed),
      '--run-dir',
      dir,
      '--quiet',
    ];
    console.error(`ssgan ${args.slice(1).join(' ')}`);
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`ssgan ${kind} --seed ${seed} failed (exit ${r.status})`);
  }
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Result;
}

mkdirSync(out, { recursive: true });
const rows = seeds.map((seed) => {
  const gan = run('train', seed);
  const base = run('baseline', seed);
  return {
    seed,
    gan: gan.accuracy,
    ganSteps: gan.steps,
    baseline: base.accuracy,
    baselineSteps: base.steps,
    gain: gan.accuracy - base.accuracy,
    backend: gan.backend,
  };
});
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const summary = {
  dataset,
  labels,
  minutes: Number(minutes),
  rows,
  meanGain: mean(rows.map((r) => r.gain)),
  minGain: Math.min(...rows.map((r) => r.gain)),
};
const pct = (x: number) => (100 * x).toFixed(2);
const md = [
  `# GAN against supervised baseline: ${dataset}, ${labels} labels, ${minutes} minutes each`,
  '',
  '| seed | GAN accuracy | GAN steps | baseline accuracy | baseline steps | gain (points) |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) => `| ${r.seed} | ${pct(r.gan)}% | ${r.ganSteps} | ${pct(r.baseline)}% | ${r.baselineSteps} | ${pct(r.gain)} |`,
  ),
  '',
  `Mean gain ${pct(summary.meanGain)} points, smallest ${pct(summary.minGain)}. Backend: ${rows[0]?.backend}.`,
  '',
].join('\n');
writeFileAtomic(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
writeFileAtomic(join(out, 'summary.md'), md);
console.log(md);
