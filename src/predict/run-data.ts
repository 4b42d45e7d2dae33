import { loadDataset } from '../data/datasets.ts';
import { imageLoadOptions, type ImageConfig } from '../data/options.ts';
import { splitLabels } from '../data/split.ts';
import type { Dataset, ImagePreprocessing, LabelSplit } from '../data/types.ts';
import type { LoadedRun, RunRecord } from '../run/types.ts';

/** How files must be decoded for this run's classifier: as its training images were. */
export function runPreprocessing(record: RunRecord, imageShape: [number, number, number]): ImagePreprocessing {
  const p = record.data.provenance?.preprocessing;
  if (p) return p;
  // Packaged datasets (mnist, cifar10): square images of the run's shape, user files centre-cropped.
  return { size: imageShape[0], channels: imageShape[2] === 1 ? 1 : 3, fit: 'cover' };
}

/**
 * The dataset a run trained on, loaded with the run's own options (image size, fit, channels,
 * unlabelled folder, hold-out), and checked to be the same data by its checksum.
 */
export async function loadRunDataset(
  record: RunRecord,
  opts: { dataDir?: string; log?: (m: string) => void; progress?: boolean } = {},
): Promise<Dataset> {
  const cfg = record.config as Record<string, any> & ImageConfig;
  const ds = await loadDataset(record.data.name, {
    ...imageLoadOptions({ ...cfg, kind: undefined }),
    dataDir: opts.dataDir ?? cfg.dataDir,
    cacheDir: cfg.cacheDir,
    offline: true,
    log: opts.log,
    progress: opts.progress,
  });
  if (ds.checksum !== record.data.checksum)
    throw new Error(
      `${record.data.name}: the run was trained on data with checksum ${record.data.checksum.slice(0, 12)}…, the data loaded now has ${ds.checksum.slice(0, 12)}… (files added, removed or changed since?)`,
    );
  return ds;
}

/** The run's labelled/unlabelled split, drawn again from its config (same seed, same data, same split). */
export function runSplit(record: RunRecord, ds: Dataset): LabelSplit {
  const cfg = record.config as Record<string, any>;
  return splitLabels(ds.train, ds.numClasses, {
    labels: cfg.labelFraction === undefined ? cfg.labels : undefined,
    labelFraction: cfg.labelFraction,
    validationPerClass: cfg.validationPerClass,
    seed: cfg.seed,
    classNames: ds.classNames,
  });
}

export type { LoadedRun };
