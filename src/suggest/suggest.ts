import type { Dataset } from '../data/types.ts';
import { unlabelledIndices } from '../data/split.ts';
import { loadRunDataset, runSplit } from '../predict/run-data.ts';
import { scoreSet } from '../predict/score.ts';
import type { LoadedRun } from '../run/types.ts';
import { SUGGEST_DEFAULTS } from '../config/defaults.ts';
import { featureSet } from './features.ts';
import { describeRow, selectSuggestions, type Suggestion, type SuggestBy } from './select.ts';
import { typicalRows } from './typical.ts';
import { createRng } from '../util/random.ts';

export interface SuggestedImage {
  rank: number;
  /** The file, for images read from files; null for a packaged dataset's images. */
  file: string | null;
  /** Index into the dataset's train split (what `data export` and the split use). */
  index: number;
  predicted: string;
  probability: number;
  entropy: number;
  margin: number;
}

/**
 * Which of a run's unlabelled images to label next. Images that came without a label are the
 * candidates when there are any; otherwise (a benchmark, labels hidden by the split) the
 * run's unlabelled pool.
 */
export async function suggestForRun(
  run: LoadedRun,
  o: {
    count: number;
    by: SuggestBy;
    dataDir?: string;
    log?: (m: string) => void;
    dataset?: Dataset;
    /** --by typical: cluster at most this many candidates (a seeded sample). */
    typicalSample?: number;
  },
): Promise<SuggestedImage[]> {
  const ds = o.dataset ?? (await loadRunDataset(run.record, { dataDir: o.dataDir, log: o.log, progress: true }));
  const withoutLabel = unlabelledIndices(ds.train);
  let candidates = withoutLabel.length ? Int32Array.from(withoutLabel) : runSplit(run.record, ds).unlabelled;
  if (candidates.length === 0) throw new Error(`${run.dir}: the run has no unlabelled images to suggest from`);
  const seed = Number(run.record.config.seed);
  // k-means costs candidates x clusters per iteration: a benchmark's 60,000-image pool is sampled.
  const sample = o.typicalSample ?? SUGGEST_DEFAULTS.typicalSample;
  if (o.by === 'typical' && candidates.length > sample)
    candidates = Int32Array.from(
      createRng(seed, 'suggest-typical')
        .shuffle(Array.from(candidates))
        .slice(0, sample)
        .sort((a, b) => a - b),
    );
  let picked: Suggestion[];
  if (o.by === 'typical') {
    // The labelled images count as covering their clusters, so the picks go where no label is.
    const { features, d } = featureSet(run, ds.train, candidates);
    const labelled = featureSet(run, ds.train, runSplit(run.record, ds).labelled).features;
    const rows = typicalRows(features, labelled, d, o.count, {
      seed,
      neighbours: SUGGEST_DEFAULTS.neighbours,
      minClusterSize: SUGGEST_DEFAULTS.minClusterSize,
      maxIterations: SUGGEST_DEFAULTS.maxIterations,
    });
    // Only the picks need class probabilities: one more pass of D over them, not over the pool.
    const { probs, numClasses } = scoreSet(
      run,
      ds.train,
      Int32Array.from(rows, (r) => candidates[r]),
    );
    picked = rows.map((r, i) => ({ ...describeRow(probs, numClasses, i), row: r }));
  } else {
    const { probs, numClasses } = scoreSet(run, ds.train, candidates);
    picked = selectSuggestions(probs, numClasses, o.count, o.by);
  }
  return picked.map((s, r) => ({
    rank: r + 1,
    file: ds.files?.train[candidates[s.row]] ?? null,
    index: candidates[s.row],
    predicted: ds.classNames[s.predicted],
    probability: s.probability,
    entropy: s.entropy,
    margin: s.margin,
  }));
}
