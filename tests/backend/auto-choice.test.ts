import test from 'ava';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseCpuEngine, contenders } from '../../src/backend/auto-choice.ts';
import { probeKey, readSpeeds, writeSpeeds } from '../../src/backend/speed-cache.ts';
import { tempDir } from '../helpers/tmp.ts';

test('only node against the best wasm present is measured; cpu never is', (t) => {
  t.deepEqual(contenders(['cpu', 'node', 'wasm+native']), ['node', 'wasm+native']);
  t.deepEqual(contenders(['cpu', 'node', 'wasm']), ['node', 'wasm']);
  t.deepEqual(contenders(['cpu', 'wasm+native']), []);
  t.deepEqual(contenders(['cpu', 'node']), []);
  t.deepEqual(contenders(['cpu']), []);
});

test('the faster of the measured pair wins, and the reason gives the ratio and both speeds', (t) => {
  const a = chooseCpuEngine(['cpu', 'node', 'wasm+native'], { node: 1650, 'wasm+native': 4785 }, {}, 'measured now');
  t.is(a.pick, 'wasm+native');
  t.is(
    a.reason,
    'node present but wasm + native is 2.9x faster here (mlp K+1 step: 4,785 vs 1,650 images/s; measured now)',
  );
  const b = chooseCpuEngine(['cpu', 'node', 'wasm'], { node: 1420, wasm: 380 });
  t.is(b.pick, 'node');
  t.is(b.reason, 'plain wasm present but node is 3.7x faster here (mlp K+1 step: 1,420 vs 380 images/s)');
});

test('without a measured pair the documented order decides, naming what is missing', (t) => {
  const noNode = chooseCpuEngine(['cpu', 'wasm+native'], {}, { node: 'not installed' });
  t.is(noNode.pick, 'wasm+native');
  t.is(noNode.reason, 'the fastest CPU backend present');
  const plain = chooseCpuEngine(
    ['cpu', 'wasm'],
    {},
    { 'wasm+native': 'native BLAS addon not built', node: 'not installed' },
  );
  t.is(plain.pick, 'wasm');
  t.is(
    plain.reason,
    'the fastest CPU backend present (wasm + native: native BLAS addon not built; node: not installed)',
  );
  // A pair present but one speed missing (a probe that failed) is not a measurement.
  t.is(chooseCpuEngine(['cpu', 'node', 'wasm+native'], { node: 9999 }).pick, 'wasm+native');
  t.is(chooseCpuEngine(['cpu'], {}).pick, 'cpu');
  t.throws(() => chooseCpuEngine([], {}), { message: 'no CPU backend is present' });
});

const parts = { host: 'h', cpu: 'c x2', probe: 'p1', threads: '1', addon: 'abc' };

test('the speed cache returns what was written for the same key only', (t) => {
  const file = join(tempDir(), 'sub', 'backend-speeds.json');
  t.is(readSpeeds(parts, file), null, 'no file yet');
  writeSpeeds(parts, { node: 1000, 'wasm+native': 3000 }, file);
  // Key order does not matter; any changed part (a rebuilt addon, another thread count) does.
  const reordered = Object.fromEntries(Object.entries(parts).reverse());
  const hit = readSpeeds(reordered, file);
  t.deepEqual(hit?.speeds, { node: 1000, 'wasm+native': 3000 });
  t.is(hit?.key, probeKey(parts));
  t.regex(hit!.measuredAt, /^\d{4}-\d\d-\d\dT/);
  t.true(hit!.load >= 0);
  t.is(readSpeeds({ ...parts, threads: '2' }, file), null);
  t.is(readSpeeds({ ...parts, addon: 'def' }, file), null);
  // A second machine's entry sits beside the first.
  writeSpeeds({ ...parts, host: 'other' }, { node: 5, wasm: 7 }, file);
  t.deepEqual(readSpeeds(parts, file)?.speeds, { node: 1000, 'wasm+native': 3000 });
  t.deepEqual(readSpeeds({ ...parts, host: 'other' }, file)?.speeds, { node: 5, wasm: 7 });
  t.deepEqual(readdirSync(join(file, '..')), ['backend-speeds.json'], 'no temp file left behind');
});

test('a corrupt or hand-edited cache is measured again and rewritten, not trusted', (t) => {
  const dir = tempDir();
  const file = join(dir, 'backend-speeds.json');
  writeFileSync(file, '{"version": 1, "entries": {');
  t.is(readSpeeds(parts, file), null);
  writeSpeeds(parts, { node: 10, wasm: 20 }, file);
  t.deepEqual(readSpeeds(parts, file)?.speeds, { node: 10, wasm: 20 });
  writeFileSync(
    file,
    JSON.stringify({ version: 1, entries: { [probeKey(parts)]: { measuredAt: 'x', parts, speeds: { node: -1 } } } }),
  );
  t.is(readSpeeds(parts, file), null, 'a non-positive speed is no measurement');
  t.true(existsSync(file));
});

test('a measurement taken on overloaded cores is taken again once the load has halved', (t) => {
  const file = join(tempDir(), 'backend-speeds.json');
  writeSpeeds(parts, { node: 1000, wasm: 500 }, file, 4);
  t.truthy(readSpeeds(parts, file, 3), 'still loaded: reused');
  t.is(readSpeeds(parts, file, 1.5), null, 'quieter now: measure again');
  writeSpeeds(parts, { node: 1000, wasm: 500 }, file, 0.8);
  t.truthy(readSpeeds(parts, file, 0), 'measured on quiet cores: kept');
});
