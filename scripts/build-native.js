#!/usr/bin/env node
// Builds the optional native addon (native/). Runs at `npm ci` (install script) and by
// `npm run build:native`. Its GEMM is the system BLAS where one links, else ssgan's portable
// blocked SGEMM (native/gemm_portable.c); SSGAN_GEMM=blas|portable forces one. A failure is a
// warning, never an install failure: ssgan then runs on plain wasm kernels and says so on its
// backend line.
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
const build = (gemm) =>
  spawnSync(cmd, [...pre, 'rebuild', ...nodedirArgs()], {
    cwd: join(root, 'native'),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    // scripts/find-blas.js reads it when node-gyp evaluates native/binding.gyp.
    env: gemm ? { ...process.env, SSGAN_GEMM: gemm } : process.env,
  });
const why = (res) =>
  (res.stderr || res.stdout || String(res.error ?? ''))
    .split('\n')
    .filter((l) => /error|not found|No such/i.test(l))
    .slice(0, 3)
    .join(' | ') || 'node-gyp failed';

// SSGAN_GEMM=blas|portable picks the GEMM; unset, the system BLAS where it links, else ssgan's own.
const asked = process.env.SSGAN_GEMM;
const chosen = spawnSync(process.execPath, [join(root, 'scripts/find-blas.js')], { encoding: 'utf8' });
if (chosen.status !== 0) {
  console.error(`ssgan: ${chosen.stderr.trim()}`);
  process.exit(1);
}
let gemm = chosen.stdout.trim();
let res = build(gemm);
if (res.status !== 0 && gemm === 'blas' && !asked) {
  // A BLAS that links in a probe can still fail the real build (an old header, a broken install).
  console.warn(`ssgan: the addon did not build against the system BLAS (${why(res)}); trying ssgan's portable SGEMM`);
  gemm = 'portable';
  res = build(gemm);
}
const what =
  gemm === 'blas'
    ? 'the system BLAS'
    : `ssgan's portable SGEMM (${asked === 'portable' ? 'SSGAN_GEMM=portable' : 'no system BLAS found'})`;
if (res.status === 0) {
  console.log(`ssgan: built the native addon with ${what} (native/build/Release/ssgan_blas.node)`);
} else {
  console.warn(
    `ssgan: the optional native addon did not build; training will use plain wasm kernels (${why(res)}). It needs a C compiler, make and python3; on Debian: apt-get install g++ make python3 libopenblas-dev (and libdnnl-dev for faster convolutions)`,
  );
  if (strict) process.exit(1);
}
