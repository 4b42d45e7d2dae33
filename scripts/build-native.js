#!/usr/bin/env node
// Builds the optional native BLAS addon (native/). Runs at `npm ci` (install script) and by
// `npm run build:native`. A failure is a warning, never an install failure: ssgan then runs on
// plain wasm kernels and says so on its backend line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
if (process.env.SSGAN_SKIP_NATIVE) {
  console.log('ssgan: SSGAN_SKIP_NATIVE is set; not building the native BLAS addon');
  process.exit(0);
}

function findNodeGyp() {
  // npm runs scripts with its bundled node-gyp on PATH; outside npm, look next to npm itself.
  const require = createRequire(import.meta.url);
  for (const p of [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ]) {
    if (p && existsSync(p)) return [process.execPath, p];
  }
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js')];
  } catch {
    return ['node-gyp'];
  }
}

// Use the headers installed with Node when present, so the build needs no download.
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [`--nodedir=${process.env.npm_config_nodedir}`];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

const [cmd, ...pre] = findNodeGyp();
const res = spawnSync(cmd, [...pre, 'rebuild', ...nodedirArgs()], {
  cwd: join(root, 'native'),
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (res.status === 0) {
  console.log('ssgan: built the native BLAS addon (native/build/Release/ssgan_blas.node)');
} else {
  const why = (res.stderr || res.stdout || String(res.error ?? ''))
    .split('\n')
    .filter((l) => /error|not found|No such/i.test(l))
    .slice(0, 3)
    .join(' | ');
  console.warn(
    `ssgan: the optional native BLAS addon did not build; training will use plain wasm kernels (${why || 'node-gyp failed'}). On Debian: apt-get install libopenblas-dev g++ make python3 (and libdnnl-dev for faster convolutions)`,
  );
  if (strict) process.exit(1);
}
