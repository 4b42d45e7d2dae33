import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CACHE_DIR } from '../config/defaults.ts';
import { loadDataset } from '../data/datasets.ts';
import type { Dataset } from '../data/types.ts';
import { loadRun } from '../run/load.ts';
import type { LoadedRun } from '../run/types.ts';
import { makeConfig } from '../train/config.ts';
import { train } from '../train/train.ts';

export interface ReferenceOptions {
  dataDir?: string;
  cacheDir?: string;
  seed: number;
  steps: number;
  log: (m: string) => void;
}

/**
 * The judge of sample quality: a classifier trained on every label of the dataset (a
 * `baseline --labels all --augment shift` run), never the run's own discriminator, so runs are
 * scored by the same yardstick. Cached per dataset checksum and seed.
 */
export async function referenceClassifier(
  datasetName: string,
  opts: ReferenceOptions,
): Promise<{ run: LoadedRun; ds: Dataset; fresh: boolean }> {
  let ds: Dataset;
  try {
    ds = await loadDataset(datasetName, { dataDir: opts.dataDir, offline: true });
  } catch (e) {
    throw new Error(`reference classifier: ${(e as Error).message}`);
  }
  const dir = join(
    opts.cacheDir ?? join(DEFAULT_CACHE_DIR, 'reference'),
    `${datasetName.replace(/[^A-Za-z0-9._-]+/g, '_')}-${ds.checksum.slice(0, 8)}-s${opts.seed}-${opts.steps}`,
  );
  const fresh = !existsSync(join(dir, 'result.json'));
  if (fresh) {
    opts.log(`training the reference classifier for ${datasetName} (${opts.steps} steps, all labels) into ${dir}`);
    await train(
      makeConfig({
        kind: 'baseline',
        dataset: datasetName,
        dataDir: opts.dataDir,
        labels: 'all',
        augment: 'shift',
        steps: opts.steps,
        seed: opts.seed,
        runDir: dir,
        lrDecay: 'linear',
      }),
      { log: opts.log },
    );
  }
  return { run: await loadRun(dir), ds, fresh };
}
