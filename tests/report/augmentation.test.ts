import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRow } from '../../src/bench/results.ts';
import { augmentationEffects, augmentationSection, baseMethodOf, verdict } from '../../src/report/augmentation.ts';
import { tempDir } from '../helpers/tmp.ts';

const row = (method: string, seed: number, error: number, runDir = '/none'): ResultRow => ({
  id: `100-${method}-${seed}`,
  dataset: 'mnist-10k',
  labels: 100,
  method,
  seed,
  status: 'ok',
  accuracy: 1 - error,
  error,
  wallSeconds: 1,
  steps: 5,
  backend: 'wasm',
  versions: null,
  dataChecksum: 'x',
  runDir,
});

test('each gan-aug recipe is paired with its own base, seed by seed', (t) => {
  t.is(baseMethodOf('supervised+gan-aug'), 'supervised');
  t.is(baseMethodOf('supervised-aug+gan-aug-w0.1'), 'supervised-aug');
  t.is(baseMethodOf('supervised-aug'), null);
  const dir = tempDir();
  const run = (name: string, accepted: number, drawn: number, hist: number[]) => {
    const d = join(dir, name);
    mkdirSync(`${d}-generated`, { recursive: true });
    writeFileSync(
      join(`${d}-generated`, 'manifest.json'),
      JSON.stringify({ accepted, drawn, classHistogram: hist, minConfidence: 0.9, conditional: true }),
    );
    return d;
  };
  const rows = [
    row('supervised', 1, 0.2),
    row('supervised', 2, 0.3),
    row('supervised', 3, 0.9), // no gan-aug row of seed 3: left out of both means
    row('supervised+gan-aug', 1, 0.1, run('a1', 10, 40, [5, 5])),
    row('supervised+gan-aug', 2, 0.35, run('a2', 8, 10, [2, 6])),
    row('supervised-aug', 1, 0.15),
    row('supervised-aug+gan-aug', 1, 0.2),
    { ...row('supervised-aug+gan-aug', 2, 0), status: 'failed' as const, error: null },
  ];
  const effects = augmentationEffects(rows, (r) => (r.runDir === '/none' ? null : r.runDir));
  t.is(effects.length, 2);
  const [plain, shift] = effects;
  // supervised 0.20, 0.30 → 25%; with samples 0.10, 0.35 → 22.5%: 2.5 points better, one seed of two.
  t.is(plain.method, 'supervised+gan-aug');
  t.true(Math.abs(plain.baseError - 0.25) < 1e-12 && Math.abs(plain.augError - 0.225) < 1e-12);
  t.true(Math.abs(plain.gain - 2.5) < 1e-9);
  t.deepEqual([plain.seeds, plain.better, plain.kept, plain.drawn, plain.fewestOfAClass], [2, 1, 18, 50, 2]);
  t.is(shift.base, 'supervised-aug');
  t.true(Math.abs(shift.gain + 5) < 1e-9);
  t.deepEqual([shift.seeds, shift.kept, shift.drawn, shift.fewestOfAClass], [1, 0, 0, null]);
  const v = verdict(effects);
  t.regex(v, /made the classifier worse: supervised-aug\+gan-aug at 100 labels \(\+5\.00 pts against supervised-aug\)/);
  t.regex(v, /helped: supervised\+gan-aug at 100 labels \(−2\.50 pts against supervised\)/);
});

test('no gan-aug rows, no section; a negative effect is said plainly', (t) => {
  const img = tempDir();
  const none = augmentationSection(
    [row('supervised', 1, 0.2)],
    img,
    () => null,
    () => '',
  );
  t.deepEqual(none, { md: '', html: '' });
  const s = augmentationSection(
    [row('supervised', 1, 0.2), row('supervised+gan-aug', 1, 0.3)],
    img,
    () => null,
    () => '',
  );
  t.regex(s.md, /^## Augmentation data$/m);
  t.true(s.md.includes('| 100 | supervised+gan-aug | 20.00% (supervised) | 30.00% | +10.00 pts | 0 of 1 | – | – |'));
  t.regex(s.md, /The generated samples made the classifier worse/);
  t.regex(s.html, /<td class="worse">\+10\.00 pts<\/td>/);
});
