import { join } from 'node:path';
import type { ResultRow } from '../bench/results.ts';
import { readMetricsFile } from '../run/metrics-file.ts';
import type { MetricsRow } from '../run/types.ts';
import { locateRun } from './locate.ts';
import { mean } from './stats.ts';

/** One evaluation of a run: test error (a fraction) after `step` steps and `wallSeconds` of training. */
export interface EvalPoint {
  step: number;
  wallSeconds: number;
  error: number;
}

/** The same, averaged over the seeds of a method (`n` of them). */
export interface MeanPoint extends EvalPoint {
  n: number;
}

export interface MethodCurve {
  method: string;
  /** Seeds averaged (the runs whose metrics.jsonl was found). */
  seeds: number[];
  points: MeanPoint[];
}

/** The evaluations among a run's metrics rows (the rows that carry a test accuracy). */
export function evaluationPoints(rows: MetricsRow[]): EvalPoint[] {
  return rows
    .filter((r) => typeof r.testAccuracy === 'number')
    .map((r) => ({ step: r.step, wallSeconds: Number(r.wallSeconds), error: 1 - (r.testAccuracy as number) }));
}

/**
 * Mean error and wall time over runs at each step every run evaluated at: a step some seeds lack
 * (a shorter run) would average other seeds than its neighbours and make a jump that is not there.
 * The curve ends with the mean of the runs' last points, where the seeds stop at different steps
 * (wall-time bounds, a diverged seed), so that its end is the mean error the results table shows.
 */
export function meanCurve(allRuns: EvalPoint[][]): MeanPoint[] {
  const runs = allRuns.filter((r) => r.length);
  if (!runs.length) return [];
  const bySteps = runs.map((r) => new Map(r.map((p) => [p.step, p])));
  const steps = [...bySteps[0].keys()].filter((s) => bySteps.every((m) => m.has(s))).sort((a, b) => a - b);
  const meanOf = (ps: EvalPoint[], step: number): MeanPoint => ({
    step,
    wallSeconds: mean(ps.map((p) => p.wallSeconds)),
    error: mean(ps.map((p) => p.error)),
    n: ps.length,
  });
  const out = steps.map((step) =>
    meanOf(
      bySteps.map((m) => m.get(step)!),
      step,
    ),
  );
  const lasts = runs.map((r) => r.reduce((a, b) => (b.step > a.step ? b : a)));
  const end = out[out.length - 1];
  // Every last point is at or after the last common step, so the rounded-up mean is past it.
  if (!end || lasts.some((p) => p.step !== end.step))
    out.push(meanOf(lasts, Math.ceil(mean(lasts.map((p) => p.step)))));
  return out;
}

/**
 * Each method's mean curve over its successful runs at `labels`: the evaluations in their run
 * folders' metrics.jsonl, ending with the final one their results rows hold.
 */
export function curvesAt(
  rows: ResultRow[],
  labels: number | 'all',
  fromDir: string,
  warn: (m: string) => void,
): MethodCurve[] {
  const at = rows.filter((r) => r.status === 'ok' && String(r.labels) === String(labels));
  const methods = [...new Set(at.map((r) => r.method))].sort();
  const out: MethodCurve[] = [];
  for (const method of methods) {
    const runs: EvalPoint[][] = [];
    const seeds: number[] = [];
    for (const r of at.filter((x) => x.method === method).sort((a, b) => a.seed - b.seed)) {
      const dir = locateRun(r, fromDir);
      if (!dir) {
        warn(`${r.runDir}: run folder of ${r.id} not found; its curve is left out of the mean`);
        continue;
      }
      // A run shorter than --log-every writes no metrics.jsonl: its final evaluation is its curve.
      const pts = evaluationPoints(readMetricsFile(join(dir, 'metrics.jsonl'), warn));
      // The run's final evaluation (results.json), where the last epoch end came before the last step.
      const last = pts[pts.length - 1];
      if (r.steps !== null && r.error !== null && r.wallSeconds !== null && (!last || r.steps > last.step))
        pts.push({ step: r.steps, wallSeconds: r.wallSeconds, error: r.error });
      if (!pts.length) continue;
      runs.push(pts);
      seeds.push(r.seed);
    }
    const ends = new Set(runs.map((pts) => pts[pts.length - 1].step));
    if (ends.size > 1)
      warn(
        `${method} at ${labels} labels: its seeds stop at steps ${[...ends].join(', ')}; the curve ends at their mean`,
      );
    const points = meanCurve(runs);
    if (points.length) out.push({ method, seeds, points });
    else warn(`${method} at ${labels} labels: no run logged an evaluation; left out of the curves`);
  }
  return out;
}
