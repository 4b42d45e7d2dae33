/**
 * Does labelling what `ssgan suggest` picks beat labelling random images? On a pile of the
 * embedded digits (2 labelled per class, 3,000 unlabelled, 50 per class in test/), for each seed:
 * train; label the 50 suggested images (move them to labelled/<their digit>/) or 50 random
 * unlabelled ones, in two copies of the pile; retrain each with the same seed and steps. Prints
 * the accuracies and their means over the seeds; writes summary.json.
 *
 *   npx tsx scripts/suggest-vs-random.ts [--steps 300] [--batch-size 50] [--seeds 1,2,3] [--count 50] [--out reports/suggest-vs-random]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/util/random.ts';
import { writeJsonAtomic } from '../src/util/fs.ts';
import { buildPile } from '../tests/helpers/pile.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const steps = arg('steps', '300');
const batch = arg('batch-size', '50');
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const count = Number(arg('count', '50'));
const out = resolve(arg('out', 'reports/suggest-vs-random'));
const BIN = fileURLToPath(new URL('../bin/ssgan.js', import.meta.url));

const ssgan = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssgan ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};
const trainOn = (pile: string, runDir: string, seed: number) => {
  ssgan(
    'train',
    '--dataset',
    `folder:${pile}`,
    '--labels',
    'all',
    '--steps',
    steps,
    '--batch-size',
    batch,
    '--seed',
    String(seed),
    '--cache-dir',
    join(out, 'cache'),
    '--run-dir',
    runDir,
    '--quiet',
    '--backend',
    'wasm',
  );
  return JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')).accuracy as number;
};

const base = join(out, 'pile');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const { unlabelledTruth } = await buildPile(base, { labelledPerClass: 2, unlabelled: 3000, testPerClass: 50 });

/** A copy of the pile in which `files` (paths in the base pile) are labelled with their true digit. */
function labelledCopy(name: string, files: string[]): string {
  const dir = join(out, name);
  cpSync(base, dir, { recursive: true });
  for (const f of files) {
    const digit = unlabelledTruth.get(f);
    if (digit === undefined) throw new Error(`${f}: not an unlabelled image of the pile`);
    renameSync(join(dir, relative(base, f)), join(dir, 'labelled', String(digit), basename(f)));
  }
  return dir;
}

const rows: { seed: number; initial: number; suggested: number; random: number }[] = [];
for (const seed of seeds) {
  const initial = trainOn(base, join(out, 'runs', `initial-s${seed}`), seed);
  const list = ssgan(
    'suggest',
    '--run',
    join(out, 'runs', `initial-s${seed}`),
    '--count',
    String(count),
    '--backend',
    'wasm',
  )
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[1]);
  const randomFiles = createRng(seed, 'random-labels')
    .shuffle([...unlabelledTruth.keys()])
    .slice(0, count);
  const suggested = trainOn(labelledCopy(`suggested-s${seed}`, list), join(out, 'runs', `suggested-s${seed}`), seed);
  const random = trainOn(labelledCopy(`random-s${seed}`, randomFiles), join(out, 'runs', `random-s${seed}`), seed);
  for (const d of [`suggested-s${seed}`, `random-s${seed}`]) rmSync(join(out, d), { recursive: true });
  rows.push({ seed, initial, suggested, random });
  process.stdout.write(
    `seed ${seed}: 20 labels ${(initial * 100).toFixed(2)}%; +${count} suggested ${(suggested * 100).toFixed(2)}%, +${count} random ${(random * 100).toFixed(2)}%\n`,
  );
}
const mean = (k: 'initial' | 'suggested' | 'random') => rows.reduce((a, r) => a + r[k], 0) / rows.length;
writeJsonAtomic(join(out, 'summary.json'), {
  steps: Number(steps),
  batchSize: Number(batch),
  count,
  rows,
  mean: { initial: mean('initial'), suggested: mean('suggested'), random: mean('random') },
});
process.stdout.write(
  `mean over ${rows.length} seeds (${steps} steps): suggested ${(mean('suggested') * 100).toFixed(2)}%, random ${(mean('random') * 100).toFixed(2)}% (initial ${(mean('initial') * 100).toFixed(2)}%)\n`,
);
if (existsSync(base)) rmSync(join(out, 'cache'), { recursive: true, force: true });
