/**
 * Decode time of a pile of JPEG photos, cold (nothing cached) and warm (the decode cache), and the
 * wall time of a whole `ssgan data info` on it once cached. The pile: --count JPEGs of 256x192
 * colour made from the embedded digits (2 classes x 50 labelled, the rest unlabelled).
 *
 *   npx tsx scripts/bench-decode.ts [--count 5000] [--size 64]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadDataset } from '../src/data/datasets.ts';
import { loadFolder } from '../src/data/folder.ts';
import { mapLimit } from '../src/data/images.ts';
import { tempDir } from '../tests/helpers/tmp.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const count = Number(arg('count', '5000'));
const size = Number(arg('size', '64'));
const BIN = fileURLToPath(new URL('../bin/ssgan.js', import.meta.url));

const dir = join(tempDir('ssgan-bench-decode-'), 'pile');
const ds = await loadDataset('mnist-10k');
const jobs = Array.from({ length: count }, (_, i) => i);
await mapLimit(jobs, 8, async (i) => {
  const folder = i < 100 ? join(dir, 'labelled', i % 2 ? 'odd' : 'even') : join(dir, 'unlabelled', `batch${i % 10}`);
  mkdirSync(folder, { recursive: true });
  const raw = Buffer.from(ds.train.images.subarray(i * 784, (i + 1) * 784));
  await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } })
    .resize(256, 192, { fit: 'fill' })
    .toColourspace('srgb')
    .tint({ r: 40 + (i % 200), g: 120, b: 255 - (i % 200) })
    .jpeg({ quality: 90 })
    .toFile(join(folder, `img${i}.jpg`));
});
const cache = tempDir('ssgan-bench-cache-');
const time = async (f: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};
const cold = await time(() => loadFolder(dir, { cacheDir: cache, imageSize: size }));
const warm = await time(() => loadFolder(dir, { cacheDir: cache, imageSize: size }));
const t0 = Date.now();
const r = spawnSync(
  process.execPath,
  [
    BIN,
    'data',
    'info',
    '--dataset',
    `folder:${dir}`,
    '--cache-dir',
    cache,
    '--image-size',
    String(size),
    '--backend',
    'wasm',
  ],
  { encoding: 'utf8' },
);
const cli = (Date.now() - t0) / 1000;
if (r.status !== 0) throw new Error(r.stderr);
process.stdout.write(
  `${count} JPEGs 256x192 -> ${size}x${size}: cold ${cold.toFixed(2)} s (${((cold / count) * 1000).toFixed(2)} ms each), warm ${warm.toFixed(2)} s (${(cold / warm).toFixed(1)}x); whole \`ssgan data info\` warm ${cli.toFixed(2)} s\n`,
);
