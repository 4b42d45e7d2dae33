/**
 * Which generated samples become labelled data. Pure: the caller supplies, per sample, the
 * class probabilities among the K real classes and the probability of "generated".
 */
export interface SelectOptions {
  /** Minimum top class probability (among the K real classes), in [0,1]. */
  minConfidence: number;
  /** Maximum probability of the "generated" class, in [0,1]. */
  maxGeneratedProb: number;
  /** Per-class quota; Infinity when not balancing. */
  quota: number;
}

export interface Decision {
  index: number;
  label: number;
  confidence: number;
}

/** Accepts samples in order while their class still has room, at most `limit`; counts them into `taken`. */
export function selectSamples(
  classProbs: Float32Array,
  pGenerated: Float32Array,
  K: number,
  opts: SelectOptions,
  taken: number[],
  limit = Infinity,
): Decision[] {
  const out: Decision[] = [];
  const n = pGenerated.length;
  for (let i = 0; i < n && out.length < limit; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (classProbs[i * K + k] > classProbs[i * K + best]) best = k;
    const conf = classProbs[i * K + best];
    if (conf < opts.minConfidence || pGenerated[i] > opts.maxGeneratedProb) continue;
    if (taken[best] >= opts.quota) continue;
    taken[best]++;
    out.push({ index: i, label: best, confidence: conf });
  }
  return out;
}
