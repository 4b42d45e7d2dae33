/**
 * A user's pile built from the embedded digits (JPEG and PNG, three sizes; 10 labelled per class in
 * labelled/, 2,000 in unlabelled/, 100 per class in test/), then `ssgan train --dataset folder:<pile>`
 * and `ssgan baseline` on the same 100 labels and steps. Prints both accuracies; writes summary.json.
 *
 *   npx tsx scripts/folder-vs-baseline.ts [--steps 1000] [--seed 1] [--out reports/folder-pile]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '../src/util/fs.ts';
import { buildPile } from '../tests/helpers/pile.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const steps = arg('steps', '1000');
const seed = arg('seed', '1');
const out = resolve(arg('out', 'reports/folder-pile'));
const BIN = fileURLToPath(new URL('../bin/ssgan.js', import.meta.url));
const pile = join(out, 'pile');
if (!existsSync(pile)) {
  mkdirSync(out, { recursive: true });
  await buildPile(pile, { labelledPerClass: 10, unlabelled: 2000, testPerClass: 100 });
}
const common = [
  '--dataset',
  `folder:${pile}`,
  '--labels',
  '100',
  '--steps',
  steps,
  '--seed',
  seed,
  '--cache-dir',
  join(out, 'cache'),
  '--quiet',
  '--backend',
  'wasm',
];
const results: Record<string, { accuracy: number; seconds: number; command: string }> = {};
for (const cmd of ['train', 'baseline']) {
  const runDir = join(out, 'runs', `${cmd}-s${seed}`);
  const args = [cmd, ...common, '--run-dir', runDir];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`ssgan ${cmd} exited ${r.status}`);
  const res = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8'));
  results[cmd] = { accuracy: res.accuracy, seconds: (Date.now() - t0) / 1000, command: `ssgan ${args.join(' ')}` };
}
writeJsonAtomic(join(out, 'summary.json'), { steps: Number(steps), seed: Number(seed), results });
process.stdout.write(
  `folder pile, 100 labels, ${steps} steps, seed ${seed}: train ${(results.train.accuracy * 100).toFixed(2)}%, baseline ${(results.baseline.accuracy * 100).toFixed(2)}%\n`,
);
