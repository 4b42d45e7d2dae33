import test from 'ava';
import { readFileSync } from 'node:fs';
import { selectBackend } from '../../src/backend/select.ts';
import { GOLDEN_CASES, numbersOf, runGoldenCase, type GoldenDigest } from '../helpers/golden.ts';

/**
 * Refactors keep results bit-identical: these fixed-seed runs must reproduce, to the last bit,
 * the weights and metrics recorded before the training loop was redesigned.
 */
const fixture = JSON.parse(readFileSync('tests/fixtures/golden.json', 'utf8')) as {
  backend: string;
  cases: Record<string, GoldenDigest>;
};

let backendDescription = '';
test.before(async () => {
  backendDescription = (await selectBackend({ backend: 'wasm' })).description;
});

for (const name of Object.keys(GOLDEN_CASES)) {
  test.serial(`golden: ${name} gives the recorded weights and metrics bit for bit`, async (t) => {
    if (backendDescription !== fixture.backend) {
      // Another GEMM or convolution engine sums in another order: the digests say nothing there.
      t.log(`recorded on "${fixture.backend}", this machine runs "${backendDescription}": not comparable`);
      t.pass();
      return;
    }
    const got = await runGoldenCase(name);
    const want = fixture.cases[name];
    t.deepEqual(got.metrics, want.metrics.map(numbersOf));
    t.deepEqual(got.weights, want.weights);
    t.is(got.accuracy, want.accuracy);
  });
}
