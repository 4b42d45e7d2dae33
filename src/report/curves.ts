import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRow } from '../bench/results.ts';
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

/** The evaluation rows of a metrics.jsonl text (the rows that carry a test accuracy). */
export function evaluationPoints(text: string, path = 'metrics.jsonl'): EvalPoint[] {
  const out: EvalPoint[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${path}: line ${i + 1} is not JSON`);
    }
    if (typeof row.testAccuracy !== 'number') return;
    out.push({ step: Number(row.step), wallSeconds: Number(row.wallSeconds), error: 1 - row.testAccuracy });
  });
  return out;
}

/**
 * Mean error and wall time over runs at each step every run evaluated at: a step some seeds lack
 * (a shorter run) would average other seeds than its neighbours and make a jump that is not there.
 */
export function meanCurve(runs: EvalPoint[][]): MeanPoint[] {
  if (!runs.length) return [];
  const bySteps = runs.map((r) => new Map(r.map((p) => [p.step, p])));
  const steps = [...bySteps[0].keys()].filter((s) => bySteps.every((m) => m.has(s))).sort((a, b) => a - b);
  return steps.map((step) => {
    const ps = bySteps.map((m) => m.get(step)!);
    return {
      step,
      wallSeconds: mean(ps.map((p) => p.wallSeconds)),
      error: mean(ps.map((p) => p.error)),
      n: ps.length,
    };
  });
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
      const path = join(dir, 'metrics.jsonl');
      const pts = existsSync(path) ? evaluationPoints(readFileSync(path, 'utf8'), path) : [];
      // The run's final evaluation (results.json), where the last epoch end came before the last step.
      const last = pts[pts.length - 1];
      if (r.steps !== null && r.error !== null && r.wallSeconds !== null && (!last || r.steps > last.step))
        pts.push({ step: r.steps, wallSeconds: r.wallSeconds, error: r.error });
      if (!pts.length) continue;
      runs.push(pts);
      seeds.push(r.seed);
    }
    const points = meanCurve(runs);
    if (points.length) out.push({ method, seeds, points });
  }
  return out;
}
