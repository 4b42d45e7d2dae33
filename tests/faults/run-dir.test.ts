import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunDir } from '../../src/run/run-dir.ts';
import { tempDir } from '../helpers/tmp.ts';

test('a new path, an empty folder and an earlier run folder are fine', (t) => {
  const d = tempDir();
  t.notThrows(() => checkRunDir(join(d, 'a', 'b')));
  t.notThrows(() => checkRunDir(d));
  writeFileSync(join(d, 'metrics.jsonl'), '');
  mkdirSync(join(d, 'checkpoint'));
  t.notThrows(() => checkRunDir(d));
});

test('a file, a path under a file, or entries of the wrong kind: one line naming the path', (t) => {
  const d = tempDir();
  const f = join(d, 'file');
  writeFileSync(f, 'x');
  t.throws(() => checkRunDir(f), { message: `--run-dir ${f}: is a file, expected a folder` });
  t.throws(() => checkRunDir(join(f, 'x', 'y')), {
    message: `--run-dir ${join(f, 'x', 'y')}: ${f} is a file, so the folder cannot be created there`,
  });
  mkdirSync(join(d, 'r', 'metrics.jsonl'), { recursive: true });
  t.throws(() => checkRunDir(join(d, 'r')), {
    message: `--run-dir ${join(d, 'r')}: ${join(d, 'r', 'metrics.jsonl')} is a folder, expected a file`,
  });
  const e = join(d, 'e');
  mkdirSync(e);
  writeFileSync(join(e, 'checkpoint'), '');
  t.throws(() => checkRunDir(e, '--run'), {
    message: `--run ${e}: ${join(e, 'checkpoint')} is a file, expected a folder`,
  });
});
