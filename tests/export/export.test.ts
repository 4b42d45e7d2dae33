import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.ts';
import { gatherImages } from '../../src/data/batch.ts';
import { loadDataset } from '../../src/data/datasets.ts';
import { exportRun } from '../../src/export/export.ts';
import { loadRun } from '../../src/run/load.ts';
import { makeConfig, type TrainConfig } from '../../src/train/config.ts';
import { train } from '../../src/train/train.ts';
import { serve } from '../helpers/static-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const LOADER = join(ROOT, 'tests/export/fixtures/load-exported.mjs');
const TFJS_DIST = join(ROOT, 'node_modules/@tensorflow/tfjs/dist');
const CHROMIUM = '/usr/bin/chromium';
const BIN = join(ROOT, 'bin/ssgan.js');

const runs: Record<string, string> = {};

async function shortRun(extra: Partial<TrainConfig>): Promise<string> {
  const runDir = tempDir();
  await train(
    makeConfig({
      kind: 'gan',
      dataset: 'mnist-10k',
      labels: 20,
      batchSize: 20,
      initBatch: 100,
      steps: 20,
      backend: 'wasm',
      runDir,
      ...extra,
    }),
  );
  return runDir;
}

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
  runs.mlp = await shortRun({ arch: 'mlp' });
  runs.dcgan = await shortRun({ arch: 'dcgan', head: 'explicit', steps: 6 });
});

/** The first `n` test digits as one float batch. */
async function testImages(n: number): Promise<{ x: Float32Array; shape: number[]; labels: Uint8Array }> {
  const ds = await loadDataset('mnist-10k');
  const idx = Array.from({ length: n }, (_, i) => i);
  return { x: gatherImages(ds.test, idx), shape: [n, 28, 28, 1], labels: ds.test.labels.subarray(0, n) };
}

/** Runs the exported model in a separate Node process that imports only @tensorflow/tfjs. */
async function runExported(modelDir: string, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const dir = tempDir();
  writeFileSync(join(dir, 'x.bin'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const { url, server } = await serve({ '/model': modelDir });
  try {
    const child = spawn(
      process.execPath,
      [LOADER, `${url}/model/model.json`, join(dir, 'x.bin'), JSON.stringify(shape), join(dir, 'y.bin')],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    if (code !== 0) throw new Error(`loader exited ${code}: ${err}`);
  } finally {
    server.close();
  }
  const b = readFileSync(join(dir, 'y.bin'));
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const arch of ['mlp', 'dcgan'] as const) {
  test.serial(
    `${arch}: the exported classifier gives the run's probabilities on 200 test images (plain tf.loadLayersModel)`,
    async (t) => {
      const out = join(tempDir(), 'model');
      await exportRun(runs[arch], out, { what: 'classifier' });
      const { x, shape, labels } = await testImages(200);
      const run = await loadRun(runs[arch]);
      const ref = tf.tidy(() => tf.softmax(run.classify(tf.tensor4d(x, shape as [number, number, number, number]))));
      const want = ref.dataSync() as Float32Array;
      ref.dispose();
      run.dispose();
      const got = await runExported(out, x, shape);
      t.is(got.length, 200 * 10);
      const diff = maxAbsDiff(got, want);
      t.log(`${arch}: max |p_exported - p_run| = ${diff.toExponential(2)}`);
      t.true(diff < 1e-5, `max abs difference ${diff}`);
      // Not a constant model: rows differ from image to image, and the mlp's 20 steps beat chance.
      t.true(maxAbsDiff(got.subarray(0, 10), got.subarray(10, 20)) > 1e-3);
      let right = 0;
      for (let i = 0; i < 200; i++) {
        const row = Array.from(got.subarray(i * 10, i * 10 + 10));
        if (row.indexOf(Math.max(...row)) === labels[i]) right++;
      }
      if (arch === 'mlp') t.true(right > 40, `${right}/200 right`);
      t.deepEqual(JSON.parse(readFileSync(join(out, 'labels.json'), 'utf8')), [
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
      ]);
      const pre = JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8'));
      t.deepEqual(pre.input.shape, [null, 28, 28, 1]);
      t.is(pre.input.scaling, 'pixel / 255 (values in [0, 1])');
    },
  );

  test.serial(`${arch}: the exported generator reproduces the run's samples on its statistics' latents`, async (t) => {
    const out = join(tempDir(), 'gen');
    await exportRun(runs[arch], out, { what: 'generator', statsCount: 200, statsSeed: 5 });
    const run = await loadRun(runs[arch]);
    const z = run.generator!.latent(200, 5);
    const s = run.generator!.sample(z);
    const want = s.dataSync() as Float32Array;
    const zs = z.dataSync() as Float32Array;
    tf.dispose([z, s]);
    run.dispose();
    const got = await runExported(out, zs, [200, 100]);
    const diff = maxAbsDiff(got, want);
    t.log(`${arch} generator: max |x_exported - x_run| = ${diff.toExponential(2)}`);
    t.true(diff < 1e-4, `max abs difference ${diff}`);
    const meta = JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8'));
    t.deepEqual(meta.output.shape, [null, 28, 28, 1]);
  });
}

test.serial('export leaks no tensors', async (t) => {
  await exportRun(runs.mlp, join(tempDir(), 'm'), { what: 'classifier' });
  const before = tf.memory().numTensors;
  await exportRun(runs.mlp, join(tempDir(), 'm'), { what: 'classifier' });
  await exportRun(runs.mlp, join(tempDir(), 'g'), { what: 'generator', statsCount: 50 });
  t.is(tf.memory().numTensors, before);
});

test.serial('export refuses a non-empty --out and the run folder itself', (t) => {
  const r = spawnSync(process.execPath, [BIN, 'export', '--run', runs.mlp, '--out', runs.mlp, '--overwrite'], {
    encoding: 'utf8',
  });
  t.is(r.status, 1);
  t.regex(r.stderr, /^ssgan: --out .*: would replace the run folder/m);
  t.true(existsSync(join(runs.mlp, 'run.json')));
  const r2 = spawnSync(process.execPath, [BIN, 'export', '--run', runs.mlp, '--out', join(ROOT, 'src')], {
    encoding: 'utf8',
  });
  t.regex(r2.stderr, /^ssgan: --out .*: folder exists and is not empty/m);
});

test.serial(
  "headless Chromium loads the exported classifier (tfjs served from node_modules) and gets the run's class",
  async (t) => {
    if (!existsSync(CHROMIUM)) {
      t.log('Debian chromium is not installed here (CI installs it); not run');
      t.pass();
      return;
    }
    const out = join(tempDir(), 'model');
    await exportRun(runs.mlp, out, { what: 'classifier' });
    const { x, shape } = await testImages(8);
    const run = await loadRun(runs.mlp);
    const want = tf.tidy(() =>
      Array.from(tf.argMax(run.classify(tf.tensor4d(x, shape as [number, number, number, number])), 1).dataSync()),
    );
    run.dispose();
    const page = tempDir();
    writeFileSync(join(page, 'x.bin'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    writeFileSync(
      join(page, 'index.html'),
      `<!doctype html><html><body><script src="/tfjs/tf.min.js"></script><script>
(async () => {
  let body;
  try {
    const model = await tf.loadLayersModel('/model/model.json');
    const x = new Float32Array(await (await fetch('/page/x.bin')).arrayBuffer());
    const y = model.predict(tf.tensor(x, ${JSON.stringify(shape)}));
    body = JSON.stringify({ classes: Array.from(await tf.argMax(y, 1).data()), backend: tf.getBackend() });
  } catch (e) { body = JSON.stringify({ error: String(e) }); }
  await fetch('/result', { method: 'POST', body });
})();
</script></body></html>`,
    );
    let resolveResult: (s: string) => void = () => {};
    const result = new Promise<string>((r) => (resolveResult = r));
    const { url, server } = await serve({ '/tfjs': TFJS_DIST, '/model': out, '/page': page }, (b) => resolveResult(b));
    const chrome = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${tempDir()}`,
        `${url}/page/index.html`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const body = await Promise.race([
        result,
        new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no result from Chromium in 120 s')), 120_000)),
      ]);
      const got = JSON.parse(body);
      t.falsy(got.error, got.error);
      t.log(`chromium tfjs backend: ${got.backend}`);
      t.deepEqual(got.classes, want);
    } finally {
      chrome.kill('SIGKILL');
      server.close();
    }
  },
);
