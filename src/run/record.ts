import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../backend/select.ts';

export interface Environment {
  ssgan: string;
  tfjs: string;
  node: string;
  platform: string;
  cpus: number;
  gitCommit: string | null;
  backend: BackendInfo | null;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

/** HEAD, with `+dirty` when tracked source files differ from it: the run used that code, not HEAD's. */
function gitCommit(): string | null {
  try {
    const dir = new URL('../..', import.meta.url).pathname;
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    const head = git('rev-parse', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'native', 'bin', 'package.json')
      ? `${head}+dirty`
      : head;
  } catch {
    return null;
  }
}

/** What a reader needs to reproduce a result: code version, library versions, backend, machine. */
export async function describeEnvironment(backend: BackendInfo | null): Promise<Environment> {
  const os = await import('node:os');
  return {
    ssgan: packageVersion(),
    tfjs: tf.version.tfjs,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    gitCommit: gitCommit(),
    backend,
  };
}
