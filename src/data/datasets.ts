import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { IDX_DATASETS, type IdxDatasetSpec, type IdxFileSpec } from './catalog.ts';
import { datasetChecksum } from './checksum.ts';
import { download, findLocal, verified, type Fetcher } from './fetch.ts';
import { decodeIdx, DataFileError } from './idx.ts';
import { loadMnist10k } from './mnist10k.ts';
import type { Dataset, ImageSet, LoadOptions } from './types.ts';
import { DEFAULT_CACHE_DIR } from '../config/defaults.ts';

export const DATASET_NAMES = ['mnist-10k', 'mnist', 'fashion-mnist', 'cifar10', 'folder:<path>'];

const memo = new Map<string, Dataset>();

/** Loads a dataset by name. Results are memoised per name, data dir and image options within a process. */
export async function loadDataset(name: string, opts: LoadOptions & { fetcher?: Fetcher } = {}): Promise<Dataset> {
  const { dataDir, cacheDir, unlabelledDir, imageSize, fit, channels, testPerClass, strict, requireUnlabelled } = opts;
  const key = JSON.stringify([name, dataDir, cacheDir, unlabelledDir, imageSize, fit, channels, testPerClass, strict, requireUnlabelled]);
  const hit = memo.get(key);
  if (hit) return hit;
  let ds: Dataset;
  if (name === 'mnist-10k') {
    const { train, test, source } = loadMnist10k();
    ds = finish(name, IDX_DATASETS.mnist.classNames, train, test, source);
  } else if (name === 'mnist' || name === 'fashion-mnist') {
    ds = await loadIdxDataset(name, IDX_DATASETS[name], opts);
  } else if (name === 'cifar10') {
    const { loadCifar10 } = await import('./cifar10.ts');
    const dir = opts.dataDir;
    if (!dir) throw new Error('--dataset cifar10 reads the binary batches from a local directory: pass --data-dir (or set SSGAN_DATA_DIR)');
    const { train, test, classNames, source } = loadCifar10(dir);
    ds = finish(name, classNames, train, test, source);
  } else if (name.startsWith('folder:')) {
    const { loadFolder } = await import('./folder.ts');
    const f = await loadFolder(name.slice('folder:'.length), opts);
    ds = { ...finish(name, f.classNames, f.train, f.test, f.source), provenance: f.provenance, files: f.files };
  } else {
    throw new Error(`--dataset: unknown dataset ${JSON.stringify(name)}; expected one of ${DATASET_NAMES.join(', ')}`);
  }
  if (unlabelledDir && !name.startsWith('folder:')) ds = await withUnlabelledDir(ds, unlabelledDir, opts);
  memo.set(key, ds);
  return ds;
}

/** A packaged dataset plus a folder of the user's unlabelled images, appended to train as UNLABELLED. */
async function withUnlabelledDir(ds: Dataset, dir: string, opts: LoadOptions): Promise<Dataset> {
  const { height, width, channels } = ds.train;
  if (height !== width) throw new Error(`--unlabelled-dir: ${ds.name} images are ${height}x${width}, not square`);
  if (opts.imageSize !== undefined && opts.imageSize !== height)
    throw new Error(`--image-size ${opts.imageSize}: ${ds.name} images are ${height}x${width}; only folder datasets are resized`);
  const { loadUnlabelledDir } = await import('./folder.ts');
  const u = await loadUnlabelledDir(dir, { size: height, channels: channels === 1 ? 1 : 3 }, opts);
  const train: ImageSet = {
    ...ds.train,
    images: concat(ds.train.images, u.set.images),
    labels: concat(ds.train.labels, u.set.labels),
    count: ds.train.count + u.set.count,
  };
  opts.log?.(`--unlabelled-dir ${dir}: ${u.set.count} unlabelled images added to ${ds.name}`);
  return {
    ...finish(ds.name, ds.classNames, train, ds.test, `${ds.source} + ${resolve(dir)}`),
    provenance: {
      fileListHash: u.listHash,
      fileCount: u.files.length,
      classNames: ds.classNames,
      labelledCount: ds.train.count,
      unlabelledCount: u.set.count,
      testCount: ds.test.count,
      test: { kind: 'dataset' },
      skipped: u.skipped,
      preprocessing: u.pre,
      unlabelledDirs: [resolve(dir)],
    },
    files: { train: [...new Array<null>(ds.train.count).fill(null), ...u.files], test: new Array(ds.test.count).fill(null) },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function finish(name: string, classNames: string[], train: ImageSet, test: ImageSet, source: string): Dataset {
  return { name, numClasses: classNames.length, classNames, train, test, source, checksum: datasetChecksum(train, test) };
}

async function loadIdxDataset(name: string, spec: IdxDatasetSpec, opts: LoadOptions & { fetcher?: Fetcher }): Promise<Dataset> {
  const log = opts.log ?? (() => {});
  const cacheDir = resolve(opts.cacheDir ?? join(DEFAULT_CACHE_DIR, name));
  const dirs = [...(opts.dataDir ? [opts.dataDir] : []), ...spec.systemDirs, cacheDir];
  const sources = new Set<string>();
  const get = async (file: IdxFileSpec): Promise<Uint8Array> => {
    for (const dir of dirs) {
      const local = findLocal(dir, file);
      if (local) {
        sources.add(dir);
        return verified(local.bytes, local.path, file);
      }
    }
    if (opts.dataDir && !existsSync(opts.dataDir)) throw new Error(`--data-dir ${opts.dataDir}: no such directory`);
    if (opts.offline) {
      throw new Error(`${name}: ${file.name} not found in ${dirs.join(', ')} and --offline is set; pass --data-dir with the IDX files`);
    }
    try {
      const raw = await download(file, spec.mirrors, cacheDir, log, opts.fetcher);
      sources.add(`download → ${cacheDir}`);
      return raw;
    } catch (e) {
      throw new Error(`${name}: ${file.name} is not in ${dirs.join(', ')} and could not be downloaded (${(e as Error).message}); pass --data-dir with the IDX files`);
    }
  };
  const toSet = (imagesRaw: Uint8Array, labelsRaw: Uint8Array, iname: string, lname: string): ImageSet => {
    const images = decodeIdx(imagesRaw, iname, 3);
    const labels = decodeIdx(labelsRaw, lname, 1);
    if (labels.dims[0] !== images.dims[0]) throw new DataFileError(`${lname}: has ${labels.dims[0]} labels but ${iname} has ${images.dims[0]} images`);
    return { images: images.data, labels: labels.data, count: images.dims[0], height: images.dims[1], width: images.dims[2], channels: 1 };
  };
  const f = spec.files;
  const train = toSet(await get(f.trainImages), await get(f.trainLabels), f.trainImages.name, f.trainLabels.name);
  const test = toSet(await get(f.testImages), await get(f.testLabels), f.testImages.name, f.testLabels.name);
  return finish(name, spec.classNames, train, test, [...sources].join(', '));
}
