import test from 'ava';
import { createRng } from '../../src/util/random.ts';
import { typicality, typicalRows, unitRows } from '../../src/suggest/typical.ts';

const OPTS = { seed: 1, neighbours: 20, minClusterSize: 5, maxIterations: 100 };

/**
 * Points in d = 3 around the unit directions e0, e1, e2 (and -e0), `per` each, with noise; row
 * i belongs to blob floor(i / per). Returns the features and each row's blob.
 */
function blobs(per: number[], noise: number, seed: number): { x: Float32Array; blob: number[] } {
  const centres = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [-1, 0, 0],
  ];
  const rng = createRng(seed, 'blobs');
  const rows: number[] = [];
  const blob: number[] = [];
  per.forEach((n, b) => {
    for (let i = 0; i < n; i++) {
      for (const c of centres[b]) rows.push(c + noise * (rng.next() * 2 - 1));
      blob.push(b);
    }
  });
  return { x: Float32Array.from(rows), blob };
}

test('unit rows and typicality: the centre of a group is its most typical point, a far point the least', (t) => {
  const u = unitRows(Float32Array.from([3, 4, 0, 0, 0, 0]), 3);
  t.deepEqual(u[0], [0.6, 0.8, 0]);
  t.deepEqual(u[1], [0, 0, 0]); // a zero row stays zero rather than NaN
  const line = [[0], [1], [2], [3], [10]];
  const typ = typicality(line, 2);
  // Mean distance to the 2 nearest: 1.5, 1, 1, 1.5, 7.5.
  t.true(Math.abs(typ[1] - 1) < 1e-12 && Math.abs(typ[0] - 1 / 1.5) < 1e-12 && Math.abs(typ[4] - 1 / 7.5) < 1e-12);
  t.is(typ.indexOf(Math.min(...typ)), 4);
  t.deepEqual(typicality([[5]], 20), [0]);
});

test('one pick per blob, each near its blob centre, none from an outlier clump, deterministic', (t) => {
  const { x, blob } = blobs([60, 50, 40, 3], 0.3, 7);
  const rows = typicalRows(x, new Float32Array(0), 3, 3, OPTS);
  t.is(rows.length, 3);
  t.deepEqual(new Set(rows.map((r) => blob[r])), new Set([0, 1, 2]));
  // The largest blob goes first (no labels anywhere: ties on labels break by size).
  t.is(blob[rows[0]], 0);
  // Each pick is closer to its blob's centre direction than the blob's average point.
  const u = unitRows(x, 3);
  for (const r of rows) {
    const b = blob[r];
    const cos = (i: number) => u[i][b];
    const members = blob.map((bb, i) => (bb === b ? i : -1)).filter((i) => i >= 0);
    const meanCos = members.reduce((a, i) => a + cos(i), 0) / members.length;
    t.true(cos(r) > meanCos, `blob ${b}: pick ${cos(r)} vs mean ${meanCos}`);
  }
  t.deepEqual(typicalRows(x, new Float32Array(0), 3, 3, OPTS), rows);
});

test('blobs that already hold a label are covered: the picks go to the others', (t) => {
  const { x, blob } = blobs([60, 50, 40], 0.3, 3);
  // One labelled image in blob 0: of three clusters, the two uncovered ones, the larger first.
  const inBlob0 = Float32Array.from([1, 0.05, 0]);
  t.deepEqual(
    typicalRows(x, inBlob0, 3, 2, OPTS).map((r) => blob[r]),
    [1, 2],
  );
  // Labels in blobs 0 and 1: the one pick is in blob 2, although it is the smallest.
  const labelled = Float32Array.from([1, 0.05, 0, 0.02, 1, 0]);
  t.deepEqual(
    typicalRows(x, labelled, 3, 1, OPTS).map((r) => blob[r]),
    [2],
  );
  // Asking for more than there are clusters keeps going, by fewest labels then size, and never repeats.
  const many = typicalRows(x, labelled, 3, 150, OPTS);
  t.is(many.length, 150);
  t.is(new Set(many).size, 150);
  t.deepEqual(typicalRows(x, labelled, 3, 0, OPTS), []);
});
