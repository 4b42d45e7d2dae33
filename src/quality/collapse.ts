/**
 * Mode-collapse guard: a generator whose samples the classifier puts into few classes (low
 * entropy of the class histogram) or whose features barely vary has collapsed, whatever its
 * losses say. Pure functions over predictions and features.
 */
export function classHistogram(pred: ArrayLike<number>, K: number): number[] {
  const h = new Array(K).fill(0);
  for (let i = 0; i < pred.length; i++) h[pred[i]]++;
  return h;
}

/** Entropy of the predicted-class histogram divided by log K: 1 for uniform, 0 for one class. */
export function normalisedClassEntropy(pred: ArrayLike<number>, K: number): number {
  const h = classHistogram(pred, K);
  const n = pred.length;
  let e = 0;
  for (const c of h) if (c > 0) e -= (c / n) * Math.log(c / n);
  return K > 1 ? e / Math.log(K) : 0;
}

/** Mean over feature dimensions of the standard deviation across samples. */
export function featureSpread(features: ArrayLike<number>, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += features[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (features[i * d + j] - m) ** 2;
    total += Math.sqrt(v / n);
  }
  return total / d;
}

export interface CollapseCheck {
  classEntropy: number;
  featureSpreadRatio: number | null;
  warning: string | null;
}

/**
 * Warns when the samples' class entropy falls below `minEntropy`, or their feature spread
 * below `minSpreadRatio` of real data's (when a real spread is given).
 */
export function checkCollapse(
  pred: ArrayLike<number>,
  K: number,
  opts: {
    features?: ArrayLike<number>;
    d?: number;
    realSpread?: number;
    minEntropy?: number;
    minSpreadRatio?: number;
  } = {},
): CollapseCheck {
  const classEntropy = normalisedClassEntropy(pred, K);
  const ratio =
    opts.features && opts.d && opts.realSpread
      ? featureSpread(opts.features, pred.length, opts.d) / opts.realSpread
      : null;
  const reasons: string[] = [];
  if (classEntropy < (opts.minEntropy ?? 0.5))
    reasons.push(
      `class entropy ${classEntropy.toFixed(2)} of the maximum (histogram ${classHistogram(pred, K).join(' ')})`,
    );
  if (ratio !== null && ratio < (opts.minSpreadRatio ?? 0.25))
    reasons.push(`feature spread ${(ratio * 100).toFixed(0)}% of real data's`);
  return {
    classEntropy,
    featureSpreadRatio: ratio,
    warning: reasons.length ? `possible mode collapse: ${reasons.join('; ')}` : null,
  };
}
