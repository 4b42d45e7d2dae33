/** Predictive entropy of row i (nats). */
export function entropyOf(probs: Float32Array, K: number, i: number): number {
  let h = 0;
  for (let k = 0; k < K; k++) {
    const p = probs[i * K + k];
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** Top probability minus the runner-up's: small = the classifier hesitates between two classes. */
export function marginOf(probs: Float32Array, K: number, i: number): number {
  let a = -1;
  let b = -1;
  for (let k = 0; k < K; k++) {
    const p = probs[i * K + k];
    if (p > a) [a, b] = [p, a];
    else if (p > b) b = p;
  }
  return a - b;
}

export function argmaxOf(probs: Float32Array, K: number, i: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (probs[i * K + k] > probs[i * K + best]) best = k;
  return best;
}

/** Uncertainty orders; 'typical' (typical.ts) covers the data with its most typical images instead. */
export type UncertaintyBy = 'entropy' | 'margin';
export const SUGGEST_BY = ['typical', 'entropy', 'margin'] as const;
export type SuggestBy = (typeof SUGGEST_BY)[number];

/** What the classifier says of row i. */
export function describeRow(probs: Float32Array, K: number, i: number): Suggestion {
  const predicted = argmaxOf(probs, K, i);
  return {
    row: i,
    predicted,
    probability: probs[i * K + predicted],
    entropy: entropyOf(probs, K, i),
    margin: marginOf(probs, K, i),
  };
}

export interface Suggestion {
  /** Row of `probs`. */
  row: number;
  predicted: number;
  probability: number;
  entropy: number;
  margin: number;
}

/**
 * The `count` rows to label next: most uncertain first (highest entropy, or smallest margin),
 * taken in turns from each predicted class so that one confusing class cannot take every label.
 * Classes take turns in the order of their most uncertain row; ties break by row, so the choice
 * is deterministic.
 */
export function selectSuggestions(probs: Float32Array, K: number, count: number, by: UncertaintyBy): Suggestion[] {
  const n = probs.length / K;
  const all: Suggestion[] = [];
  for (let i = 0; i < n; i++) all.push(describeRow(probs, K, i));
  const uncertainty = (s: Suggestion) => (by === 'entropy' ? s.entropy : -s.margin);
  const byClass: Suggestion[][] = Array.from({ length: K }, () => []);
  for (const s of all) byClass[s.predicted].push(s);
  for (const list of byClass) list.sort((a, b) => uncertainty(b) - uncertainty(a) || a.row - b.row);
  const order = byClass
    .map((list, k) => ({ k, top: list.length ? uncertainty(list[0]) : -Infinity, size: list.length }))
    .filter((c) => c.size > 0)
    .sort((a, b) => b.top - a.top || a.k - b.k)
    .map((c) => c.k);
  const out: Suggestion[] = [];
  for (let round = 0; out.length < Math.min(count, n); round++)
    for (const k of order) {
      if (out.length >= count) break;
      if (round < byClass[k].length) out.push(byClass[k][round]);
    }
  return out;
}
