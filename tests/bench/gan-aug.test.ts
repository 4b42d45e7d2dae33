import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ganAugGenerateArgs } from '../../src/bench/cell-run.ts';
import { checkJobData, jobDataOf, taskOfJob } from '../../src/bench/queue/jobs.ts';
import { keyCells } from '../../src/bench/identity.ts';
import { planCells, type SweepSpec } from '../../src/bench/plan.ts';
import { GAN_AUG_DEFAULTS } from '../../src/config/defaults.ts';
import { benchFlags } from '../helpers/bench.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

const spec = (over: Partial<SweepSpec> = {}): SweepSpec => ({
  name: 'n',
  dataset: 'mnist-10k',
  labels: [100],
  methods: ['supervised', 'supervised-aug', 'supervised+gan-aug', 'supervised-aug+gan-aug'],
  seeds: [1, 2],
  arch: 'mlp',
  bounds: ['--steps', '5'],
  runFlags: [],
  backend: 'wasm',
  reportsDir: '/r',
  ganAugCount: 1000,
  ...over,
});

test('both gan-aug cells depend on the conditional GAN of their budget, seed and arch, which is planned first', (t) => {
  for (const arch of ['mlp', 'dcgan'] as const) {
    const cells = planCells(spec({ arch }));
    // 4 methods × 2 seeds, plus the conditional GAN of each seed, added though not asked for.
    t.is(cells.length, 10);
    const gan = GAN_AUG_DEFAULTS.gan[arch];
    t.true(gan.startsWith(`sslgan-cond-${arch}`));
    const gans = cells.filter((c) => c.method === gan);
    t.deepEqual(
      gans.map((c) => c.id),
      [`100-${gan}-s1`, `100-${gan}-s2`],
    );
    t.true(
      gans.every((g) => cells.indexOf(g) < 2),
      'GAN cells first',
    );
    t.deepEqual(gans[0].args.slice(0, 5), ['train', '--method', 'sslgan-cond', '--arch', arch]);
    for (const seed of [1, 2]) {
      const aug = cells.find((c) => c.method === 'supervised+gan-aug' && c.seed === seed)!;
      const augShift = cells.find((c) => c.method === 'supervised-aug+gan-aug' && c.seed === seed)!;
      t.is(aug.dependsOn, `100-${gan}-s${seed}`);
      t.is(augShift.dependsOn, aug.dependsOn);
      t.is(augShift.id, `100-supervised-aug_gan-aug-s${seed}`);
      // The batch share of the samples is spelled out, so the keys tell these cells from pooled ones.
      const share = ['--synthetic-share', String(GAN_AUG_DEFAULTS.syntheticShare)];
      t.deepEqual(aug.args, ['train', '--method', 'supervised', '--arch', arch, '--augment', 'none', ...share]);
      t.deepEqual(augShift.args, ['train', '--method', 'supervised', '--arch', arch, '--augment', 'shift', ...share]);
      const plain = cells.filter(
        (c) => c.seed === seed && (c.method === 'supervised' || c.method === 'supervised-aug'),
      );
      t.true(plain.every((c) => c.dependsOn === undefined));
    }
  }
  // A conditional GAN asked for is not planned twice.
  const asked = planCells(spec({ methods: [GAN_AUG_DEFAULTS.gan.mlp, 'supervised+gan-aug'], seeds: [1] }));
  t.deepEqual(asked.map((c) => c.id).sort(), [`100-${GAN_AUG_DEFAULTS.gan.mlp}-s1`, '100-supervised_gan-aug-s1']);
});

test('a gan-aug cell draws count/K of each class through the agreement filter, and its key says so', (t) => {
  const args = ganAugGenerateArgs({ ganRunDir: '/runs/gan', count: 1000, backend: 'wasm' }, 10, 3);
  const flag = (f: string) => args[args.indexOf(f) + 1];
  t.is(args[0], 'generate');
  t.is(flag('--run'), '/runs/gan');
  t.is(flag('--per-class'), '100');
  t.is(flag('--min-confidence'), String(GAN_AUG_DEFAULTS.minConfidence));
  t.is(flag('--max-draw-factor'), String(GAN_AUG_DEFAULTS.maxDrawFactor));
  t.is(flag('--seed'), '3');
  t.false(args.includes('--count'));
  // A count that does not split evenly asks for at least as many in all.
  t.is(ganAugGenerateArgs({ ganRunDir: 'g', count: 25, backend: 'cpu' }, 10, 1)[4], '3');
  // gan-aug keys follow the GAN's key: another GAN recipe is another cell.
  const keys = (s: SweepSpec) => Object.fromEntries(keyCells(s, planCells(s), 'abc').map((c) => [c.id, c.key]));
  const a = keys(spec());
  const b = keys(spec({ bounds: ['--steps', '6'] }));
  for (const id of Object.keys(a)) t.not(a[id], b[id], id);
  t.is(new Set(Object.values(a)).size, 10);
  // The filter is part of a gan-aug cell's identity, and of nothing else's; absent means the default.
  const c = keys(spec({ ganAugMinConfidence: 0.5 }));
  for (const id of Object.keys(a)) t.is(c[id] === a[id], !id.includes('gan-aug'), id);
  t.deepEqual(keys(spec({ ganAugMinConfidence: GAN_AUG_DEFAULTS.minConfidence })), a);
  // Flags that only say where files are, or whether to download them, are not part of any key.
  t.deepEqual(keys(spec({ runFlags: ['--cache-dir', '/c', '--offline', '--strict'] })), a);
  t.notDeepEqual(keys(spec({ runFlags: ['--image-size', '16'] })), a);
  t.is(ganAugGenerateArgs({ ganRunDir: 'g', count: 10, backend: 'cpu', minConfidence: 0.5 }, 10, 1)[6], '0.5');
});

test.serial(
  'a tiny real sweep: gan-aug cells train on their conditional GAN samples, and the report says what they did',
  (t) => {
    const dir = tempDir();
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'bench',
        ...benchFlags({
          labels: 100,
          methods: 'supervised,supervised-aug,supervised+gan-aug,supervised-aug+gan-aug',
          steps: 30,
          'gan-aug-count': 100,
          // 30 GAN steps: its classifier is rarely as sure as the default 0.99 asks.
          'gan-aug-min-confidence': 0.5,
          name: 'aug',
          'reports-dir': dir,
          workers: 1,
        }),
      ],
      { encoding: 'utf8' },
    );
    t.is(r.status, 0, r.stderr);
    const results = JSON.parse(readFileSync(join(dir, 'aug', 'results.json'), 'utf8'));
    const byId = (id: string) => results.rows.find((x: { id: string }) => x.id === id);
    t.is(results.rows.length, 5);
    const gan = byId(`100-${GAN_AUG_DEFAULTS.gan.mlp}-s1`);
    t.is(gan.method, GAN_AUG_DEFAULTS.gan.mlp);
    for (const [id, method, augment] of [
      ['100-supervised_gan-aug-s1', 'supervised+gan-aug', 'none'],
      ['100-supervised-aug_gan-aug-s1', 'supervised-aug+gan-aug', 'shift'],
    ]) {
      const row = byId(id);
      t.is(row.status, 'ok', row.failure);
      t.is(row.method, method);
      const m = JSON.parse(readFileSync(`${row.runDir}-generated/manifest.json`, 'utf8'));
      t.is(m.run, gan.runDir);
      t.true(m.conditional);
      t.is(m.perClass, 10);
      t.is(m.minConfidence, 0.5);
      t.true(m.accepted > 0 && m.accepted <= 100 && m.drawn >= m.accepted);
      const run = JSON.parse(readFileSync(join(row.runDir, 'run.json'), 'utf8'));
      t.is(run.augmentCount, m.accepted);
      t.is(run.config.augment, augment);
      t.is(run.config.augmentWith, `${row.runDir}-generated`);
    }
    // The report's section pairs each gan-aug recipe with its base and shows what was kept.
    const md = readFileSync(join(dir, 'aug', 'report.md'), 'utf8');
    t.regex(md, /^## Augmentation data$/m);
    for (const [aug, base] of [
      ['supervised+gan-aug', 'supervised'],
      ['supervised-aug+gan-aug', 'supervised-aug'],
    ]) {
      const a = results.rows.find((x: { method: string }) => x.method === aug);
      const b = results.rows.find((x: { method: string }) => x.method === base);
      const m = JSON.parse(readFileSync(`${a.runDir}-generated/manifest.json`, 'utf8'));
      const gain = (b.error - a.error) * 100;
      const line = `| 100 | ${aug} | ${(b.error * 100).toFixed(2)}% (${base}) | ${(a.error * 100).toFixed(2)}% | ${gain >= 0 ? '−' : '+'}${Math.abs(gain).toFixed(2)} pts | ${a.error < b.error ? 1 : 0} of 1 | ${m.accepted} of ${m.drawn} `;
      t.true(md.includes(line), `${line}\n${md}`);
      const file = `aug-${aug.replace(/[^A-Za-z0-9-]/g, '_')}-100.png`;
      t.true(md.includes(`(images/${file})`));
      t.true(existsSync(join(dir, 'aug', 'images', file)));
    }
    t.regex(readFileSync(join(dir, 'aug', 'report.html'), 'utf8'), /<h2>Augmentation data<\/h2>/);
  },
);

test("a queued gan-aug cell carries the sweep's filter to the worker, and a bad one is refused", (t) => {
  const s = spec({ ganAugMinConfidence: 0.7, seeds: [1] });
  const cells = keyCells(s, planCells(s), 'abc');
  const byId = new Map(cells.map((c) => [c.id, c]));
  const aug = cells.find((c) => c.method === 'supervised+gan-aug')!;
  const data = jobDataOf(s, 'sweep', 'abc', aug, byId);
  t.is(data.ganAug!.minConfidence, 0.7);
  const task = taskOfJob(checkJobData(JSON.parse(JSON.stringify(data))), '/results');
  t.is(task.ganAug!.minConfidence, 0.7);
  t.is(task.ganAug!.ganRunDir, join('/results', 'n', 'runs', byId.get(aug.dependsOn!)!.folder));
  t.throws(() => checkJobData({ ...data, ganAug: { ...data.ganAug, minConfidence: 2 } }), {
    message: /ganAug\.minConfidence must be a number in \[0, 1\]/,
  });
  // A worker elsewhere keeps its own decode cache: a job naming one is refused.
  t.throws(() => checkJobData({ ...data, runArgs: [...data.runArgs, '--cache-dir', '/home/me/cache'] }), {
    message: /runArgs must not name folders \(--run-dir, --data-dir, --cache-dir\)/,
  });
});
