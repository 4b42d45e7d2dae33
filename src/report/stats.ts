import type { ResultRow } from '../bench/results.ts';

export interface CellStats {
  labels: number | 'all';
  method: string;
  n: number;
  meanError: number;
  /** Sample standard deviation (n - 1); 0 for a single run. */
  stdError: number;
  minError: number;
  maxError: number;
  meanAccuracy: number;
  meanSeconds: number;
  /** Points of error the method removes against `supervised` at the same budget (positive = better). */
  gainOverSupervised: number | null;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function sampleStd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Label budgets in ascending order with 'all' last. */
export function orderLabels(ls: (number | 'all')[]): (number | 'all')[] {
  const uniq = [...new Set(ls.map(String))].map((s) => (s === 'all' ? ('all' as const) : Number(s)));
  return uniq.sort((a, b) => (a === 'all' ? 1 : b === 'all' ? -1 : a - b));
}

/** Mean ± std of test error per (labels, method) over the successful seeds. */
export function aggregate(rows: ResultRow[]): CellStats[] {
  const ok = rows.filter((r) => r.status === 'ok' && r.error !== null);
  const groups = new Map<string, ResultRow[]>();
  for (const r of ok) {
    const k = `${r.labels}|${r.method}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const stats: CellStats[] = [];
  for (const rs of groups.values()) {
    const errs = rs.map((r) => r.error!);
    stats.push({
      labels: rs[0].labels,
      method: rs[0].method,
      n: rs.length,
      meanError: mean(errs),
      stdError: sampleStd(errs),
      minError: Math.min(...errs),
      maxError: Math.max(...errs),
      meanAccuracy: mean(rs.map((r) => r.accuracy!)),
      meanSeconds: mean(rs.map((r) => r.wallSeconds ?? 0)),
      gainOverSupervised: null,
    });
  }
  for (const s of stats) {
    const sup = stats.find((o) => o.method === 'supervised' && String(o.labels) === String(s.labels));
    s.gainOverSupervised = sup && s.method !== 'supervised' ? (sup.meanError - s.meanError) * 100 : null;
  }
  const order = orderLabels(stats.map((s) => s.labels));
  return stats.sort((a, b) => order.indexOf(a.labels) - order.indexOf(b.labels) || a.method.localeCompare(b.method));
}

/** One method's runs against another's at the same budget, seed by seed. */
export interface PairedGain {
  /** Seeds both finished; the means below are over these alone. */
  seeds: number;
  baseError: number;
  error: number;
  /** Points of test error removed against the base (positive = better). */
  points: number;
  /** Paired seeds on which the method had the lower error. */
  better: number;
}

/**
 * Pairs each run with the base run of the same seed, so a seed missing on one side never skews
 * the other's mean; null when no seed is shared.
 */
export function pairedGain(runs: ResultRow[], baseRuns: ResultRow[]): PairedGain | null {
  const pairs = runs.flatMap((r) => {
    const b = baseRuns.find((o) => o.seed === r.seed);
    return b ? [{ run: r, base: b }] : [];
  });
  if (!pairs.length) return null;
  const baseError = mean(pairs.map((p) => p.base.error!));
  const error = mean(pairs.map((p) => p.run.error!));
  return {
    seeds: pairs.length,
    baseError,
    error,
    points: (baseError - error) * 100,
    better: pairs.filter((p) => p.run.error! < p.base.error!).length,
  };
}

/** The run of a method with the lowest test error (for its confusion matrix and samples). */
export function bestRun(rows: ResultRow[], method: string): ResultRow | null {
  const rs = rows.filter((r) => r.method === method && r.status === 'ok');
  return rs.length ? rs.reduce((a, b) => (b.error! < a.error! ? b : a)) : null;
}

/**
 * 95% Wilson score interval for a proportion k/n (Wilson 1927): unlike p ± 1.96·sqrt(p(1-p)/n)
 * it stays inside [0, 1] and keeps its coverage for the small test sets a hold-out gives.
 */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  if (n <= 0) return { low: NaN, high: NaN };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** "92.50%", with its 95% Wilson interval when the test set is small (fewer than `small` images). */
export function accuracyText(accuracy: number, n: number, small: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  if (!(n > 0) || n >= small) return pct(accuracy);
  const { low, high } = wilsonInterval(Math.round(accuracy * n), n);
  return `${pct(accuracy)} (95% interval ${pct(low)}-${pct(high)}, ${n} test images)`;
}
