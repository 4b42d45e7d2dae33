import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Inception-style classifier score: exp(E_x KL(p(y|x) || p(y))). Confident and diverse
 * predictions score high (at most K for K balanced classes); one repeated prediction scores 1.
 * `probs` is n rows of K class probabilities.
 */
export function classifierScore(probs: Float32Array | number[], n: number, K: number): number {
  const marginal = new Float64Array(K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) marginal[k] += probs[i * K + k] / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const p = probs[i * K + k];
      if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[k]));
    }
  }
  return Math.exp(kl / n);
}

export interface Gaussian {
  mean: Float64Array;
  cov: Matrix;
}

/** Mean and (n - 1)-normalised covariance of n feature rows of dimension d. */
export function fitGaussian(features: Float32Array | number[], n: number, d: number): Gaussian {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j] / n;
  const centred = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred.set(i, j, features[i * d + j] - mean[j]);
  const cov = centred
    .transpose()
    .mmul(centred)
    .div(Math.max(1, n - 1));
  return { mean, cov };
}

/** Square root of a symmetric positive semi-definite matrix (negative rounding noise clipped). */
function sqrtPsd(m: Matrix): Matrix {
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = e.eigenvectorMatrix;
  const d = Matrix.diag(e.realEigenvalues.map((l) => Math.sqrt(Math.max(0, l))));
  return v.mmul(d).mmul(v.transpose());
}

/**
 * Fréchet distance between two Gaussians: ||μ1 − μ2||² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^{1/2}).
 * Tr((Σ1 Σ2)^{1/2}) is computed as Σ sqrt(eig(Σ1^{1/2} Σ2 Σ1^{1/2})), a symmetric PSD matrix,
 * which stays real and stable where the product Σ1 Σ2 itself is not symmetric.
 */
export function frechetDistance(a: Gaussian, b: Gaussian): number {
  let meanTerm = 0;
  for (let j = 0; j < a.mean.length; j++) meanTerm += (a.mean[j] - b.mean[j]) ** 2;
  const s1 = sqrtPsd(a.cov);
  const inner = s1.mmul(b.cov).mmul(s1);
  const sym = inner.add(inner.transpose()).div(2);
  const ev = new EigenvalueDecomposition(sym, { assumeSymmetric: true }).realEigenvalues;
  const trSqrt = ev.reduce((s, l) => s + Math.sqrt(Math.max(0, l)), 0);
  return meanTerm + a.cov.trace() + b.cov.trace() - 2 * trSqrt;
}
