import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREDICT_DEFAULTS } from '../config/defaults.ts';
import { createRng } from '../util/random.ts';
import { writeJsonAtomic } from '../util/fs.ts';
import type { Dataset } from '../data/types.ts';
import type { LoadedRun } from '../run/types.ts';
import { loadRunDataset, runSplit } from './run-data.ts';
import { percentile, scoreSet } from './score.ts';

export interface RealnessThreshold {
  /** p(real) below this flags an image as unlike the run's data. */
  threshold: number;
  percentile: number;
  /** Unlabelled images of the run it was measured on. */
  count: number;
  dataChecksum: string;
}

/**
 * The p(real) that `percentile`% of the run's own unlabelled images fall below: a K+1
 * discriminator scores what looks like its data high, so an image below nearly all of its own
 * data is flagged. Measured once and kept in the run folder (realness.json).
 */
export async function realnessThreshold(
  run: LoadedRun,
  opts: { dataDir?: string; log?: (m: string) => void; dataset?: Dataset } = {},
): Promise<RealnessThreshold> {
  const path = join(run.dir, 'realness.json');
  const pct = PREDICT_DEFAULTS.realnessPercentile;
  if (existsSync(path)) {
    try {
      const t = JSON.parse(readFileSync(path, 'utf8')) as RealnessThreshold;
      if (t.dataChecksum === run.record.data.checksum && t.percentile === pct) return t;
    } catch {
      // Measured again below.
    }
  }
  const ds = opts.dataset ?? (await loadRunDataset(run.record, opts));
  const pool = runSplit(run.record, ds).unlabelled;
  if (pool.length === 0) throw new Error(`${run.dir}: the run has no unlabelled images to set a realness threshold on`);
  const sample = createRng(0, 'realness').shuffle(Int32Array.from(pool)).slice(0, PREDICT_DEFAULTS.realnessSample);
  const { pReal } = scoreSet(run, ds.train, sample);
  const t: RealnessThreshold = {
    threshold: percentile(pReal, pct),
    percentile: pct,
    count: sample.length,
    dataChecksum: run.record.data.checksum,
  };
  writeJsonAtomic(path, t);
  return t;
}
