/**
 * Records the golden digests that tests/golden/golden.test.ts compares against. Run it only
 * when a change is meant to alter results, and say so in the commit:
 *   SSGAN_BLAS_THREADS=1 npx tsx scripts/record-golden.ts
 */
import { writeFileSync } from 'node:fs';
import { selectBackend } from '../src/backend/select.ts';
import { GOLDEN_CASES, runGoldenCase } from '../tests/helpers/golden.ts';

const backend = await selectBackend({ backend: 'wasm' });
const cases: Record<string, unknown> = {};
for (const name of Object.keys(GOLDEN_CASES)) {
  cases[name] = await runGoldenCase(name);
  process.stderr.write(`${name}: recorded\n`);
}
const out = 'tests/fixtures/golden.json';
writeFileSync(out, JSON.stringify({ backend: backend.description, cases }, null, 1) + '\n');
process.stderr.write(`wrote ${out} (${backend.description})\n`);
