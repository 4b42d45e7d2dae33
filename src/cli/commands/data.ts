import type { CommandModule } from 'yargs';
import { join, resolve } from 'node:path';
import { selectBackend } from '../../backend/select.ts';
import { loadDataset } from '../../data/datasets.ts';
import { writeIdx } from '../../data/idx.ts';
import { splitLabels } from '../../data/split.ts';
import { UNLABELLED, type Dataset, type ImageSet } from '../../data/types.ts';
import { replaceDirAtomic, writeJsonAtomic } from '../../util/fs.ts';
import { writeClassFolders } from '../../util/png.ts';
import { checkOutDir, imageFlags, withCommon, withDataset, withLabels } from '../options.ts';

function loadOpts(a: any) {
  return {
    dataDir: a['data-dir'],
    cacheDir: a['cache-dir'],
    offline: a.offline,
    ...imageFlags(a),
    progress: true,
    log: (m: string) => process.stderr.write(m + '\n'),
  };
}

/** Every command takes --backend: check it (a missing one fails with its install command) and say which runs. */
async function announceBackend(a: any): Promise<void> {
  const backend = await selectBackend({ backend: a.backend, native: a.native });
  process.stderr.write(`backend: ${backend.description}\n`);
}

function histogram(set: ImageSet, k: number): number[] {
  const h = new Array(k).fill(0);
  for (let i = 0; i < set.count; i++) if (set.labels[i] !== UNLABELLED) h[set.labels[i]]++;
  return h;
}

function describe(ds: Dataset) {
  const split = (s: ImageSet) => {
    let lo = 255;
    let hi = 0;
    for (const v of s.images) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return {
      count: s.count,
      shape: [s.height, s.width, s.channels],
      pixelRange: [lo, hi],
      classHistogram: histogram(s, ds.numClasses),
      unlabelled: s.labels.reduce((n, y) => n + (y === UNLABELLED ? 1 : 0), 0),
    };
  };
  return {
    dataset: ds.name,
    classes: ds.classNames,
    source: ds.source,
    checksum: ds.checksum,
    provenance: ds.provenance ?? null,
    train: split(ds.train),
    test: split(ds.test),
  };
}

const info: CommandModule = {
  command: 'info',
  describe: 'counts, class histogram, pixel range and checksum of a dataset',
  builder: (y) =>
    withDataset(withCommon(y)).option('json', {
      type: 'boolean',
      default: false,
      describe: 'one JSON object on stdout',
    }),
  handler: async (a: any) => {
    await announceBackend(a);
    const ds = await loadDataset(a.dataset, loadOpts(a));
    const d = describe(ds);
    if (a.json) {
      process.stdout.write(JSON.stringify(d) + '\n');
      return;
    }
    const lines = [
      `${d.dataset}: ${ds.numClasses} classes, images ${d.train.shape.join('x')}`,
      `source:   ${d.source}`,
      `checksum: ${d.checksum}`,
    ];
    for (const name of ['train', 'test'] as const) {
      const s = d[name];
      lines.push(
        `${name.padEnd(5)} ${String(s.count).padStart(6)} images, pixels ${s.pixelRange[0]}..${s.pixelRange[1]}, per class: ${s.classHistogram.map((n, k) => `${ds.classNames[k]}:${n}`).join(' ')}${s.unlabelled ? `, ${s.unlabelled} unlabelled` : ''}`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  },
};

const exportCmd: CommandModule = {
  command: 'export',
  describe: 'write a split (or exactly its labelled subset) as IDX files or PNG folders',
  builder: (y) =>
    withLabels(
      withDataset(withCommon(y)),
      null,
      "export only the labelled subset `ssgan train --labels N` picks with the same --seed, or 'all' (default: the whole split)",
    )
      .option('split', { choices: ['train', 'test'] as const, default: 'train' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('format', { choices: ['idx', 'png'] as const, default: 'idx' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace a non-empty --out' }),
  handler: async (a: any) => {
    const out = resolve(a.out);
    checkOutDir(a.out, a.overwrite);
    await announceBackend(a);
    const ds = await loadDataset(a.dataset, loadOpts(a));
    const set = a.split === 'train' ? ds.train : ds.test;
    // Images that came without a label (a folder's unlabelled/, --unlabelled-dir) have no class folder to go to.
    let indices: Int32Array = Int32Array.from({ length: set.count }, (_, i) => i).filter(
      (i) => set.labels[i] !== UNLABELLED,
    );
    let labelledHash: string | undefined;
    if (a.labels !== undefined || a['label-fraction'] !== undefined) {
      if (a.split !== 'train')
        throw new Error('--labels: labelled subsets are drawn from the train split; drop --split test');
      const s = splitLabels(ds.train, ds.numClasses, {
        labels: a['label-fraction'] !== undefined ? undefined : a.labels,
        labelFraction: a['label-fraction'],
        validationPerClass: a['validation-per-class'],
        seed: a.seed,
      });
      indices = s.labelled;
      labelledHash = s.labelledHash;
    }
    const size = set.height * set.width * set.channels;
    const images = new Uint8Array(indices.length * size);
    const labels = new Uint8Array(indices.length);
    indices.forEach((ix, i) => {
      images.set(set.images.subarray(ix * size, (ix + 1) * size), i * size);
      labels[i] = set.labels[ix];
    });
    const manifest = {
      dataset: ds.name,
      checksum: ds.checksum,
      split: a.split,
      seed: a.seed,
      labels: a.labels ?? null,
      labelledHash: labelledHash ?? null,
      count: indices.length,
      format: a.format,
      classNames: ds.classNames,
      classHistogram: histogram({ ...set, labels, count: labels.length }, ds.numClasses),
      indices: Array.from(indices),
    };
    // Built in a sibling temp folder and swapped in, so a failed export leaves --out as it was.
    replaceDirAtomic(out, (tmp) => {
      if (a.format === 'idx') {
        const dims =
          set.channels === 1
            ? [indices.length, set.height, set.width]
            : [indices.length, set.height, set.width, set.channels];
        writeIdx(join(tmp, 'images-idx3-ubyte'), { dims, data: images });
        writeIdx(join(tmp, 'labels-idx1-ubyte'), { dims: [indices.length], data: labels });
      } else {
        writeClassFolders(
          tmp,
          images,
          labels,
          indices.length,
          set.height,
          set.width,
          set.channels,
          ds.classNames,
          (i) => String(indices[i]).padStart(6, '0'),
        );
      }
      writeJsonAtomic(join(tmp, 'manifest.json'), manifest);
    });
    process.stdout.write(
      `${a.out}: ${indices.length} ${a.split} images of ${ds.name} as ${a.format} (${manifest.classHistogram.join(' ')})\n`,
    );
  },
};

export const dataCommand: CommandModule = {
  command: 'data <action>',
  describe: 'inspect or export datasets',
  builder: (y) => y.command(info).command(exportCmd).demandCommand(1),
  handler: () => {},
};
