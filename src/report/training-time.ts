import { join } from 'node:path';
import type { ResultRow } from '../bench/results.ts';
import { writeFileAtomic } from '../util/fs.ts';
import { curvesAt, type MethodCurve, type MeanPoint } from './curves.ts';
import { errorCurveChart } from './svg.ts';
import { esc, pct } from './format.ts';

/** The evaluation nearest each quarter of the run; null where it repeats the one after (a run with few evaluations), so the end is always shown. */
export function quarterPoints(points: MeanPoint[]): (MeanPoint | null)[] {
  const last = points[points.length - 1].step;
  const near = [0.25, 0.5, 0.75, 1].map((f) =>
    points.reduce((a, b) => (Math.abs(b.step - f * last) < Math.abs(a.step - f * last) ? b : a)),
  );
  return near.map((p, i) => (near[i + 1]?.step === p.step ? null : p));
}

function tableMd(curves: MethodCurve[]): string {
  return [
    '| method | seeds | error at ¼ of the steps | ½ | ¾ | end |',
    '|---|---:|---:|---:|---:|---:|',
    ...curves.map(
      (c) =>
        `| ${c.method} | ${c.seeds.length} | ${quarterPoints(c.points)
          .map((p) => (p ? `${pct(p.error)} (step ${p.step}, ${p.wallSeconds.toFixed(0)} s)` : '–'))
          .join(' | ')} |`,
    ),
  ].join('\n');
}

function tableHtml(curves: MethodCurve[]): string {
  const rows = curves
    .map(
      (c) =>
        `<tr><th>${esc(c.method)}</th><td>${c.seeds.length}</td>${quarterPoints(c.points)
          .map((p) =>
            p
              ? `<td><b>${pct(p.error)}</b> <span class="n">step ${p.step}, ${p.wallSeconds.toFixed(0)} s</span></td>`
              : '<td>–</td>',
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="curves"><thead><tr><th>method</th><th>seeds</th><th>error at ¼ of the steps</th><th>½</th><th>¾</th><th>end</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * "How long to train": test error against steps and against wall time at the headline budget,
 * each method a mean over its seeds of every evaluation its runs logged. Writes the two charts
 * into `imgDir` and returns the section, or null when no run at that budget logged evaluations.
 */
export function trainingTimeSection(
  rows: ResultRow[],
  labels: number | 'all',
  fromDir: string,
  imgDir: string,
  warn: (m: string) => void,
): { md: string; html: string } | null {
  const curves = curvesAt(rows, labels, fromDir, warn);
  if (!curves.length) return null;
  const name = (c: MethodCurve) => `${c.method} (n=${c.seeds.length})`;
  const bySteps = errorCurveChart(
    curves.map((c) => ({ name: name(c), points: c.points.map((p) => [p.step, p.error * 100] as [number, number]) })),
    { xLabel: `training step (${labels} labels; test error, reported only)` },
  );
  const byTime = errorCurveChart(
    curves.map((c) => ({
      name: name(c),
      points: c.points.map((p) => [p.wallSeconds, p.error * 100] as [number, number]),
    })),
    { xLabel: `wall seconds of training (${labels} labels; this machine, its load at the time)` },
  );
  writeFileAtomic(join(imgDir, 'error-vs-steps.svg'), bySteps);
  writeFileAtomic(join(imgDir, 'error-vs-time.svg'), byTime);
  const intro = `Test error of each method at ${labels} labels during training, the mean over its seeds at every evaluation (every epoch), against steps and against wall time: how long a run needs. Test error is reported, never used to choose; the wall times are this sweep's, on its machine and under its load.`;
  const md = [
    `## Test error during training (${labels} labels)`,
    '',
    intro,
    '',
    '![test error against steps](images/error-vs-steps.svg)',
    '',
    '![test error against wall time](images/error-vs-time.svg)',
    '',
    tableMd(curves),
    '',
  ].join('\n');
  const html = `<h2>Test error during training (${esc(String(labels))} labels)</h2>\n<p>${esc(intro)}</p>\n${bySteps}\n${byTime}\n${tableHtml(curves)}`;
  return { md, html };
}
