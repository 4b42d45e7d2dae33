import { kmeans } from 'ml-kmeans';

export interface TypicalOptions {
  /** Seeds k-means++ (the run's seed: the same run gives the same list). */
  seed: number;
  /** Neighbours whose mean distance defines typicality. */
  neighbours: number;
  /** Clusters smaller than this are passed over while larger ones are left (outlier clumps). */
  minClusterSize: number;
  maxIterations: number;
}

/** Rows of a row-major n x d matrix as unit vectors (k-means on them clusters by angle). */
export function unitRows(x: Float32Array, d: number): number[][] {
  const n = d ? x.length / d : 0;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(x.subarray(i * d, (i + 1) * d));
    const norm = Math.sqrt(row.reduce((a, v) => a + v * v, 0)) || 1;
    out.push(row.map((v) => v / norm));
  }
  return out;
}

const distance = (a: number[], b: number[]) => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return Math.sqrt(s);
};

/**
 * Typicality of each point of a group: the inverse mean distance to its `k` nearest others in
 * the group (Hacohen et al. 2022). A lone point has typicality 0.
 */
export function typicality(points: number[][], k: number): number[] {
  return points.map((p, i) => {
    // The k smallest distances, ascending (a bounded insertion: clusters reach thousands of points).
    const near: number[] = [];
    for (let j = 0; j < points.length; j++) {
      if (j === i) continue;
      const d = distance(p, points[j]);
      if (near.length === k && d >= near[k - 1]) continue;
      let at = near.length;
      while (at > 0 && near[at - 1] > d) at--;
      near.splice(at, 0, d);
      if (near.length > k) near.pop();
    }
    if (near.length === 0) return 0;
    const mean = near.reduce((a, v) => a + v, 0) / near.length;
    return mean > 0 ? 1 / mean : Infinity;
  });
}

/**
 * TypiClust (Hacohen, Dekel & Weinshall 2022, "Active learning on a budget"): what helps most
 * when labels are few is covering the data with typical examples, not its uncertain edges.
 * Clusters the candidates and the labelled images together into (labelled + count) clusters;
 * then, `count` times, takes the cluster with the fewest labelled images (the largest on ties)
 * and labels its most typical candidate. Returns candidate rows in the order taken.
 *
 * `candidates` and `labelled` are row-major features of dimension d.
 */
export function typicalRows(
  candidates: Float32Array,
  labelled: Float32Array,
  d: number,
  count: number,
  o: TypicalOptions,
): number[] {
  const cand = unitRows(candidates, d);
  const lab = unitRows(labelled, d);
  const n = cand.length;
  const want = Math.min(count, n);
  if (want === 0) return [];
  const data = [...cand, ...lab];
  const k = Math.min(data.length, lab.length + want);
  const { clusters } = kmeans(data, k, { seed: o.seed, initialization: 'kmeans++', maxIterations: o.maxIterations });
  const groups = Array.from({ length: k }, () => ({ rows: [] as number[], labelled: 0, size: 0 }));
  clusters.forEach((c, i) => {
    groups[c].size++;
    if (i < n) groups[c].rows.push(i);
    else groups[c].labelled++;
  });
  // Most typical first within each cluster, ties by row; worked out for a cluster when it is first
  // picked from (at most `count` of the clusters are).
  const queues: ({ r: number; t: number }[] | null)[] = groups.map(() => null);
  const queueOf = (c: number) => {
    if (!queues[c]) {
      const rows = groups[c].rows;
      const t = typicality(
        rows.map((r) => cand[r]),
        o.neighbours,
      );
      queues[c] = rows.map((r, j) => ({ r, t: t[j] })).sort((a, b) => b.t - a.t || a.r - b.r);
    }
    return queues[c];
  };
  const taken = groups.map(() => 0);
  const out: number[] = [];
  while (out.length < want) {
    const open = groups.map((g, c) => ({ g, c })).filter(({ g, c }) => taken[c] < g.rows.length);
    const big = open.filter(({ g }) => g.size >= o.minClusterSize);
    const pool = big.length ? big : open;
    pool.sort((a, b) => a.g.labelled - b.g.labelled || b.g.size - a.g.size || a.c - b.c);
    const { g, c } = pool[0];
    out.push(queueOf(c)[taken[c]++].r);
    g.labelled++;
  }
  return out;
}
