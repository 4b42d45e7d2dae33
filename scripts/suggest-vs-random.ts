/**
 * Does labelling what `ssgan suggest` picks beat labelling random images? On a pile of the
 * embedded digits (2 labelled per class, 3,000 unlabelled, 50 per class in test/), for each seed:
 * train; label the 50 suggested images (move them to labelled/<their digit>/) or 50 random
 * unlabelled ones, in two copies of the pile; retrain each with the same seed and steps. Prints
 * the accuracies and their means over the seeds; writes summary.json. Several --by strategies
 * share each seed's initial and random runs.
 *
 * Strategies are compared on a development pile (--pile-offset 4000 --test-offset 50: other
 * training digits and other test digits), so that the standard pile (offsets 0), whose figures
 * the README gives, is run once with the strategy already chosen.
 *
 *   npx tsx scripts/suggest-vs-random.ts [--steps 300] [--batch-size 50] [--seeds 1,2,3] [--count 50]
 *     [--by typical,entropy] [--pile-offset 0] [--test-offset 0] [--unlabelled 3000] [--test-per-class 50]
 *     [--out reports/suggest-vs-random]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/util/random.ts';
import { writeJsonAtomic } from '../src/util/fs.ts';
import { buildPile } from '../tests/helpers/pile.ts';
import { mean as meanOfList } from '../src/report/stats.ts';
import { SUGGEST_BY } from '../src/suggest/select.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const steps = arg('steps', '300');
const batch = arg('batch-size', '50');
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const count = Number(arg('count', '50'));
const strategies = arg('by', 'typical').split(',');
for (const by of strategies)
  if (!(SUGGEST_BY as readonly string[]).includes(by)) {
    process.stderr.write(
      `--by: expected some of ${SUGGEST_BY.join(', ')} (comma-separated), got ${JSON.stringify(by)}\n`,
    );
    process.exit(1);
  }
const pileOffset = Number(arg('pile-offset', '0'));
const testOffset = Number(arg('test-offset', '0'));
const unlabelled = Number(arg('unlabelled', '3000'));
const testPerClass = Number(arg('test-per-class', '50'));
const out = resolve(arg('out', 'reports/suggest-vs-random'));
const BIN = fileURLToPath(new URL('../bin/ssgan.js', import.meta.url));

const ssgan = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssgan ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};
const trainOn = (pile: string, runDir: string, seed: number, cache: string) => {
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
    cache,
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
const { unlabelledTruth } = await buildPile(base, {
  labelledPerClass: 2,
  unlabelled,
  testPerClass,
  offset: pileOffset,
  testOffset,
});

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

type Row = { seed: number; initial: number; random: number; suggested: Record<string, number> };
const rows: Row[] = [];
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
for (const seed of seeds) {
  const initialDir = join(out, 'runs', `initial-s${seed}`);
  const initial = trainOn(base, initialDir, seed, join(out, 'cache', 'base'));
  // A retrained run keeps its records (run.json, result.json, metrics, samples) but not its
  // checkpoint, its labelled copy of the pile or its decode cache, which would fill the disk.
  const retrain = (name: string, files: string[]) => {
    const acc = trainOn(labelledCopy(name, files), join(out, 'runs', name), seed, join(out, 'cache', name));
    for (const d of [join(out, name), join(out, 'cache', name), join(out, 'runs', name, 'checkpoint')])
      rmSync(d, { recursive: true, force: true });
    return acc;
  };
  const suggested: Record<string, number> = {};
  for (const by of strategies) {
    const list = ssgan('suggest', '--run', initialDir, '--count', String(count), '--by', by, '--backend', 'wasm')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    suggested[by] = retrain(`${by}-s${seed}`, list);
  }
  const randomFiles = createRng(seed, 'random-labels')
    .shuffle([...unlabelledTruth.keys()])
    .slice(0, count);
  const random = retrain(`random-s${seed}`, randomFiles);
  rmSync(join(initialDir, 'checkpoint'), { recursive: true, force: true });
  rows.push({ seed, initial, random, suggested });
  process.stdout.write(
    `seed ${seed}: 20 labels ${pct(initial)}; +${count} ${strategies.map((b) => `${b} ${pct(suggested[b])}`).join(', ')}, random ${pct(random)}\n`,
  );
}
const meanOf = (f: (r: Row) => number) => meanOfList(rows.map(f));
const mean = {
  initial: meanOf((r) => r.initial),
  random: meanOf((r) => r.random),
  suggested: Object.fromEntries(strategies.map((b) => [b, meanOf((r) => r.suggested[b])])),
};
writeJsonAtomic(join(out, 'summary.json'), {
  steps: Number(steps),
  batchSize: Number(batch),
  count,
  pileOffset,
  testOffset,
  unlabelled,
  testPerClass,
  strategies,
  rows,
  mean,
});
process.stdout.write(
  `mean over ${rows.length} seeds (${steps} steps, pile offset ${pileOffset}, test offset ${testOffset}): ${strategies.map((b) => `${b} ${pct(mean.suggested[b])}`).join(', ')}, random ${pct(mean.random)} (initial ${pct(mean.initial)})\n`,
);
if (existsSync(base)) rmSync(join(out, 'cache'), { recursive: true, force: true });
