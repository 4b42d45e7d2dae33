import test from 'ava';
import { checkCollapse, featureSpread, normalisedClassEntropy } from '../../src/quality/collapse.ts';

test('class entropy: 1 for a uniform histogram, 0 for one class, by hand in between', (t) => {
  t.true(Math.abs(normalisedClassEntropy([0, 1, 2, 3], 4) - 1) < 1e-12);
  t.is(normalisedClassEntropy([2, 2, 2], 4), 0);
  // Half class 0, half class 1, K = 4: entropy ln 2 over ln 4 = 0.5.
  t.true(Math.abs(normalisedClassEntropy([0, 1, 0, 1], 4) - 0.5) < 1e-12);
});

test('feature spread: mean per-dimension std', (t) => {
  // Dim 0: 1, 3 → std 1; dim 1: 5, 5 → 0. Mean 0.5.
  t.is(featureSpread([1, 5, 3, 5], 2, 2), 0.5);
});

test('collapsed batches warn, diverse ones do not', (t) => {
  const diverse = Array.from({ length: 100 }, (_, i) => i % 10);
  const collapsed = Array.from({ length: 100 }, (_, i) => (i < 95 ? 7 : i % 10));
  t.is(checkCollapse(diverse, 10).warning, null);
  t.regex(checkCollapse(collapsed, 10).warning!, /possible mode collapse: class entropy 0\.\d\d/);
  const flat = new Array(100 * 4).fill(0.5);
  t.regex(
    checkCollapse(diverse, 10, { features: flat, d: 4, realSpread: 1 }).warning!,
    /feature spread 0% of real data's/,
  );
});
