import test from 'ava';
import { Matrix } from 'ml-matrix';
import { classifierScore, fitGaussian, frechetDistance } from '../../src/quality/scores.ts';

test('classifier score: K for confident balanced predictions, 1 for one repeated class', (t) => {
  // Four one-hot rows over 4 classes: p(y) uniform, KL = ln 4 each → score 4.
  const eye = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  t.true(Math.abs(classifierScore(eye, 4, 4) - 4) < 1e-9);
  t.true(Math.abs(classifierScore([1, 0, 1, 0, 1, 0], 3, 2) - 1) < 1e-9);
  // Two rows [0.5, 0.5] and [1, 0]: p(y) = [0.75, 0.25]; KLs 0.5·ln(0.5/0.75) + 0.5·ln(0.5/0.25) = 0.143841 and ln(1/0.75) = 0.287682
  t.true(Math.abs(classifierScore([0.5, 0.5, 1, 0], 2, 2) - Math.exp((0.143841 + 0.287682) / 2)) < 1e-5);
});

test('Fréchet distance by hand: 1-D and diagonal 2-D Gaussians', (t) => {
  // 1-D: (μ1-μ2)² + σ1² + σ2² - 2σ1σ2 = (1-3)² + (2-1)² = 5 for σ = 2 and 1.
  const g1 = { mean: Float64Array.from([1]), cov: new Matrix([[4]]) };
  const g2 = { mean: Float64Array.from([3]), cov: new Matrix([[1]]) };
  t.true(Math.abs(frechetDistance(g1, g2) - 5) < 1e-9);
  // Diagonal 2-D: means differ by (1, 0); variances (1, 9) vs (4, 1) → 1 + (1-2)² + (3-1)² = 6.
  const a = {
    mean: Float64Array.from([0, 0]),
    cov: new Matrix([
      [1, 0],
      [0, 9],
    ]),
  };
  const b = {
    mean: Float64Array.from([1, 0]),
    cov: new Matrix([
      [4, 0],
      [0, 1],
    ]),
  };
  t.true(Math.abs(frechetDistance(a, b) - 6) < 1e-9);
  t.true(Math.abs(frechetDistance(a, a)) < 1e-9);
});

test('fitted Gaussians: sample mean and unbiased covariance', (t) => {
  // Rows (1, 2), (3, 6): mean (2, 4); deviations (-1, -2), (1, 2) → cov [[2, 4], [4, 8]].
  const g = fitGaussian([1, 2, 3, 6], 2, 2);
  t.deepEqual(Array.from(g.mean), [2, 4]);
  t.deepEqual(g.cov.to2DArray(), [
    [2, 4],
    [4, 8],
  ]);
});
