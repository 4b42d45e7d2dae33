import { IndexStream } from '../../data/batch.ts';
import { labelledSet } from '../../data/labelled.ts';
import type { Dataset, LabelSplit } from '../../data/types.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import { createRng } from '../../util/random.ts';

/**
 * The K+1 game's batches: labelled images, unlabelled ones for D and an independent draw for G,
 * each from its own seeded stream, so `seek` can replay them to any step on resume.
 */
export function ganBatches(cfg: TrainConfig, ds: Dataset, split: LabelSplit) {
  const lab = labelledSet(ds, split.labelled);
  // The paper uses every training image as unlabelled data, labelled ones included.
  const pool = Int32Array.from([...split.labelled, ...split.unlabelled]).sort();
  const all = Int32Array.from({ length: lab.count }, (_, i) => i);
  const streams = {
    lab: new IndexStream(all, createRng(cfg.seed, 'labelled')),
    unl: new IndexStream(pool, createRng(cfg.seed, 'unlabelled')),
    unlG: new IndexStream(pool, createRng(cfg.seed, 'unlabelled-g')),
  };
  const B = cfg.batchSize;
  const next = () => ({ lab: streams.lab.next(B), unl: streams.unl.next(B), unlG: streams.unlG.next(B) });
  return {
    lab,
    pool,
    next,
    seek(step: number) {
      for (let i = 0; i < step; i++) next();
    },
  };
}
