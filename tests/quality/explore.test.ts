import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classMeanLatent, interpolate } from '../../src/quality/explore.ts';
import { selectBackend } from '../../src/backend/select.ts';
import { makeConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

test('interpolation keeps both ends and moves linearly', (t) => {
  const z = interpolate(Float32Array.from([0, 10]), Float32Array.from([4, 2]), 3);
  t.deepEqual(Array.from(z), [0, 10, 2, 6, 4, 2]);
});

test('class mean latents by hand', (t) => {
  const z = Float32Array.from([1, 1, 3, 5, 10, 10]);
  t.deepEqual(Array.from(classMeanLatent(z, [2, 2, 0], 2, 2)!), [2, 3]);
  t.is(classMeanLatent(z, [2, 2, 0], 1, 2), null);
});

test('explore writes labelled grids for a real run and rejects bad input', async (t) => {
  await selectBackend({ backend: 'wasm' });
  const gan = tempDir();
  await train(makeConfig({ kind: 'gan', labels: 100, steps: 40, runDir: gan, backend: 'wasm' }));
  const out = join(tempDir(), 'explore');
  const r = spawnSync(
    process.execPath,
    [BIN, 'explore', '--run', gan, '--out', out, '--pairs', '3', '--steps', '5', '--arithmetic', '1-1+1'],
    { encoding: 'utf8' },
  );
  t.is(r.status, 0, r.stderr);
  t.true(existsSync(join(out, 'interpolations.png')));
  const j = JSON.parse(readFileSync(join(out, 'explore.json'), 'utf8'));
  t.is(j.interpolations.labels.length, 3);
  t.true(j.interpolations.labels.every((row: number[]) => row.length === 5 && row.every((k) => k >= 0 && k < 10)));
  const bad = spawnSync(
    process.execPath,
    [BIN, 'explore', '--run', gan, '--out', join(tempDir(), 'x'), '--arithmetic', '7+1'],
    { encoding: 'utf8' },
  );
  t.is(bad.status, 1);
  t.regex(bad.stderr, /--arithmetic: expected comma-separated triples/);
  const base = tempDir();
  await train(makeConfig({ kind: 'baseline', labels: 100, steps: 2, runDir: base, backend: 'wasm' }));
  const nogen = spawnSync(process.execPath, [BIN, 'explore', '--run', base, '--out', join(tempDir(), 'y')], {
    encoding: 'utf8',
  });
  t.is(nogen.status, 1);
  t.regex(nogen.stderr, /has no generator/);
});
