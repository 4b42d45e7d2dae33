import type { Dataset } from '../data/types.ts';
import { unlabelledIndices } from '../data/split.ts';
import { loadRunDataset, runSplit } from '../predict/run-data.ts';
import { scoreSet } from '../predict/score.ts';
import type { LoadedRun } from '../run/types.ts';
import { selectSuggestions, type SuggestBy } from './select.ts';

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
  o: { count: number; by: SuggestBy; dataDir?: string; log?: (m: string) => void; dataset?: Dataset },
): Promise<SuggestedImage[]> {
  const ds = o.dataset ?? (await loadRunDataset(run.record, { dataDir: o.dataDir, log: o.log, progress: true }));
  const withoutLabel = unlabelledIndices(ds.train);
  const candidates = withoutLabel.length ? Int32Array.from(withoutLabel) : runSplit(run.record, ds).unlabelled;
  if (candidates.length === 0) throw new Error(`${run.dir}: the run has no unlabelled images to suggest from`);
  const { probs, numClasses } = scoreSet(run, ds.train, candidates);
  return selectSuggestions(probs, numClasses, o.count, o.by).map((s, r) => ({
    rank: r + 1,
    file: ds.files?.train[candidates[s.row]] ?? null,
    index: candidates[s.row],
    predicted: ds.classNames[s.predicted],
    probability: s.probability,
    entropy: s.entropy,
    margin: s.margin,
  }));
}
