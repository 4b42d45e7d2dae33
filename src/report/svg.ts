import { errorAxis, linearTicks, tickLabel } from './axis.ts';
import { orderLabels, type CellStats } from './stats.ts';
import { esc } from './format.ts';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2'];

/**
 * Test error (%) against label budget, one line per method, shaded from min to max over seeds.
 * Budgets are spaced evenly in order (20, 50, 100, 1000, all): a log scale cannot place 'all'.
 * The error axis turns logarithmic where the errors span a decade (src/report/axis.ts).
 */
export function errorChart(stats: CellStats[], width = 640, height = 360): string {
  const labels = orderLabels(stats.map((s) => s.labels));
  const methods = [...new Set(stats.map((s) => s.method))].sort();
  const m = { l: 56, r: 150, t: 20, b: 44 };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const axis = errorAxis(stats.flatMap((s) => [s.minError * 100, s.maxError * 100]));
  const x = (l: number | 'all') => m.l + (labels.length === 1 ? w / 2 : (labels.indexOf(l) / (labels.length - 1)) * w);
  const y = (e: number) => m.t + h - axis.at(e) * h;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="#fafafa" stroke="#ccc"/>`);
  parts.push(...gridLines(axis, m.l, w, y));
  for (const l of labels) parts.push(`<text x="${x(l)}" y="${m.t + h + 18}" text-anchor="middle">${l}</text>`);
  parts.push(`<text x="${m.l + w / 2}" y="${height - 6}" text-anchor="middle">labelled examples</text>`);
  parts.push(
    `<text transform="rotate(-90)" x="${-(m.t + h / 2)}" y="14" text-anchor="middle">test error${axis.log ? ' (log scale)' : ''}</text>`,
  );
  methods.forEach((method, i) => {
    const c = COLORS[i % COLORS.length];
    const pts = labels
      .map((l) => stats.find((s) => s.method === method && String(s.labels) === String(l)))
      .filter((s): s is CellStats => !!s);
    if (pts.length > 1) {
      const band = [
        ...pts.map((s) => `${x(s.labels)},${y(s.maxError * 100)}`),
        ...pts.reverse().map((s) => `${x(s.labels)},${y(s.minError * 100)}`),
      ];
      pts.reverse();
      parts.push(`<polygon points="${band.join(' ')}" fill="${c}" fill-opacity="0.15" stroke="none"/>`);
      parts.push(
        `<polyline points="${pts.map((s) => `${x(s.labels)},${y(s.meanError * 100)}`).join(' ')}" fill="none" stroke="${c}" stroke-width="2"/>`,
      );
    }
    for (const s of pts)
      parts.push(
        `<circle cx="${x(s.labels)}" cy="${y(s.meanError * 100)}" r="3.5" fill="${c}"><title>${esc(method)}, ${s.labels} labels: ${(s.meanError * 100).toFixed(2)}% ± ${(s.stdError * 100).toFixed(2)} (n=${s.n})</title></circle>`,
      );
    parts.push(
      `<rect x="${m.l + w + 14}" y="${m.t + 8 + i * 20}" width="12" height="12" fill="${c}"/><text x="${m.l + w + 32}" y="${m.t + 18 + i * 20}">${esc(method)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Horizontal grid lines with their labels at the axis' ticks. */
function gridLines(axis: ReturnType<typeof errorAxis>, left: number, w: number, y: (v: number) => number): string[] {
  return axis.ticks.map(
    (v) =>
      `<line x1="${left}" x2="${left + w}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${tickLabel(v)}</text>`,
  );
}

/**
 * Test error (%) against a run's progress (steps, or seconds of wall time), one line per method,
 * each a mean over seeds; log-scaled where the errors span a decade.
 */
export function errorCurveChart(
  series: { name: string; points: [number, number][] }[],
  opts: { xLabel: string; width?: number; height?: number },
): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 300;
  const m = { l: 56, r: 190, t: 16, b: 44 };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const all = series.flatMap((s) => s.points);
  const xTicks = linearTicks(Math.max(1, ...all.map((p) => p[0])));
  const xMax = xTicks[xTicks.length - 1];
  const axis = errorAxis(all.map((p) => p[1]));
  const x = (v: number) => m.l + (v / xMax) * w;
  const y = (v: number) => m.t + h - axis.at(v) * h;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="#fafafa" stroke="#ccc"/>`,
    ...gridLines(axis, m.l, w, y),
    ...xTicks.map((v) => `<text x="${x(v)}" y="${m.t + h + 16}" text-anchor="middle">${v}</text>`),
    `<text x="${m.l + w / 2}" y="${height - 6}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="rotate(-90)" x="${-(m.t + h / 2)}" y="14" text-anchor="middle">test error${axis.log ? ' (log scale)' : ''}</text>`,
  ];
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    parts.push(
      `<polyline points="${s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ')}" fill="none" stroke="${c}" stroke-width="1.5"/>`,
    );
    // A run shorter than an epoch has only its final evaluation: a point, not a line.
    if (s.points.length === 1)
      parts.push(
        `<circle cx="${x(s.points[0][0]).toFixed(1)}" cy="${y(s.points[0][1]).toFixed(1)}" r="3" fill="${c}"/>`,
      );
    parts.push(
      `<rect x="${m.l + w + 12}" y="${m.t + 6 + i * 18}" width="12" height="12" fill="${c}"/><text x="${m.l + w + 30}" y="${m.t + 16 + i * 18}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
