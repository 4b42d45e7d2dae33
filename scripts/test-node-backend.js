#!/usr/bin/env node
// The node-backend test group: the backend-generic tests again, on `--backend node`
// (SSGAN_TEST_BACKEND=node), run by `npm test` after the main ava run. Where tfjs-node does not
// load (not installed, or installed without libtensorflow: scripts/setup-tfjs-node.sh builds it)
// it says so in one line and succeeds.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';

const NODE_GROUP = ['tests/backend/generic.test.ts', 'tests/gan/train.test.ts', 'tests/augment/generate.test.ts'];

const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' };
const probe = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node').tensor([1]).dataSync()"], {
  encoding: 'utf8',
  env,
});
if (probe.status !== 0) {
  const why = (probe.stderr.split('\n').find((l) => /Error/.test(l)) ?? 'it does not load').trim();
  console.log(
    `node-backend tests skipped: @tensorflow/tfjs-node does not load here (${why.slice(0, 160)}); scripts/setup-tfjs-node.sh builds it`,
  );
  process.exit(0);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const ava = fileURLToPath(new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url));
const t0 = Date.now();
const child = spawn(process.execPath, [ava, ...NODE_GROUP], {
  cwd: root,
  env: { ...env, SSGAN_TEST_BACKEND: 'node' },
  stdio: ['inherit', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  // One line a test in ava's report; its summary omits the passed count when something failed.
  const count = (re) => out.split('\n').filter((l) => re.test(l)).length;
  const passed = count(/^\s*✔(?! \[expected fail\])/);
  const failed = count(/^\s*✘/);
  const known = count(/^\s*✔ \[expected fail\]/);
  console.log(
    `node-backend group (--backend node, ${NODE_GROUP.length} files): ${passed} passed, ${failed} failed` +
      `${known ? `, ${known} known failure${known === 1 ? '' : 's'}` : ''}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  process.exit(code ?? 1);
});
