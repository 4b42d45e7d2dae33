import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Files a run folder holds, and whether each must be a folder. */
const ENTRIES: [string, boolean][] = [
  ['run.json', false],
  ['metrics.jsonl', false],
  ['result.json', false],
  ['samples.png', false],
  ['checkpoint', true],
];

/**
 * Checks before any work that `dir` can be a run folder: a folder (or a path that can become
 * one) that is writable, whose known entries have the right kind. Throws one line naming the path.
 */
export function checkRunDir(dir: string, flag = '--run-dir'): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`${flag} ${dir}: is a file, expected a folder`);
    writable(dir, dir, flag);
    for (const [name, isDir] of ENTRIES) {
      const p = join(dir, name);
      if (existsSync(p) && statSync(p).isDirectory() !== isDir)
        throw new Error(
          `${flag} ${dir}: ${p} is a ${isDir ? 'file' : 'folder'}, expected a ${isDir ? 'folder' : 'file'}`,
        );
    }
    return;
  }
  let up = dirname(resolve(dir));
  while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
  if (!statSync(up).isDirectory())
    throw new Error(`${flag} ${dir}: ${up} is a file, so the folder cannot be created there`);
  writable(up, dir, flag);
}

function writable(path: string, dir: string, flag: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new Error(`${flag} ${dir}: ${path} is not writable`);
  }
}
