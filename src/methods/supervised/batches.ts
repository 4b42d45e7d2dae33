import { IndexStream } from '../../data/batch.ts';
import { createRng } from '../../util/random.ts';

export interface BatchMix {
  /** Rows 0..real-1 are the split's labelled images; the next `synthetic` rows the --augment-with ones. */
  real: number;
  synthetic: number;
  batchSize: number;
  seed: number;
  /** Before this step batches hold real rows only (--synthetic-from-step; 0: from the start). */
  fromStep: number;
  /** Fraction of each batch that is synthetic (--synthetic-share); undefined: drawn from the pool of both. */
  share?: number;
}

/**
 * The row indices of the supervised method's batch at each step, called once per step in order
 * (a resumed run replays the calls to reach the same state). Without synthetic rows it is the
 * plain baseline's stream, so runs without --augment-with keep their numbers.
 */
export function batchDrawer(m: BatchMix): (step: number) => Int32Array {
  const B = m.batchSize;
  const rows = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  const delayed = m.synthetic > 0 && m.fromStep > 0;
  const shared = m.synthetic > 0 && m.share !== undefined;
  const total = m.real + m.synthetic;
  const realStream = delayed || shared ? new IndexStream(rows(0, m.real), createRng(m.seed, 'labelled')) : null;
  const pooled = shared
    ? null
    : new IndexStream(rows(0, total), createRng(m.seed, delayed ? 'labelled-synthetic' : 'labelled'));
  const synthetic = shared ? new IndexStream(rows(m.real, total), createRng(m.seed, 'synthetic')) : null;
  const nSynthetic = shared ? Math.min(B, Math.max(1, Math.round(B * m.share!))) : 0;
  return (step) => {
    if (realStream && step < m.fromStep) return realStream.next(B);
    if (pooled) return pooled.next(B);
    const out = new Int32Array(B);
    if (nSynthetic < B) out.set(realStream!.next(B - nSynthetic));
    out.set(synthetic!.next(nSynthetic), B - nSynthetic);
    return out;
  };
}
