import type { ResultRow } from '../bench/results.ts';
import { esc, pct } from './format.ts';
import { mean, orderLabels } from './stats.ts';

/** A baseline sees the labels alone: a supervised method without generated data (`+gan-aug`). */
export const isBaseline = (method: string) => /^supervised(-|$)/.test(method) && !method.includes('+');
export const isSemiSupervised = (method: string) => method.startsWith('sslgan');

export interface BaselineComparison {
  labels: number | 'all';
  /** The baseline with the lowest mean test error at this budget: the hardest one to beat. */
  baseline: { method: string; meanError: number };
  /** Every semi-supervised method swept at this budget, against that baseline. */
  methods: {
    method: string;
    meanError: number;
    /** Points of error removed against the baseline (positive = better). */
    points: number;
    /** Seeds both ran, and on how many of them this method had the lower error. */
    pairedSeeds: number;
    betterSeeds: number;
  }[];
}

/**
 * Each semi-supervised method against the strongest baseline of its budget. The baseline is the
 * best on the test set, which favours the baseline; no semi-supervised method is chosen, so
 * nothing is picked on the test set in the method's favour.
 */
export function compareToBaseline(rows: ResultRow[]): BaselineComparison[] {
  const ok = rows.filter((r) => r.status === 'ok' && r.error !== null);
  const out: BaselineComparison[] = [];
  for (const labels of orderLabels(ok.map((r) => r.labels))) {
    const at = ok.filter((r) => String(r.labels) === String(labels));
    const byMethod = new Map<string, ResultRow[]>();
    for (const r of at) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
    const meanOf = (m: string) => mean(byMethod.get(m)!.map((r) => r.error!));
    const baselines = [...byMethod.keys()].filter(isBaseline).sort();
    const ssl = [...byMethod.keys()].filter(isSemiSupervised).sort();
    if (!baselines.length || !ssl.length) continue;
    const base = baselines.reduce((a, b) => (meanOf(b) < meanOf(a) ? b : a));
    const baseBySeed = new Map(byMethod.get(base)!.map((r) => [r.seed, r.error!]));
    out.push({
      labels,
      baseline: { method: base, meanError: meanOf(base) },
      methods: ssl.map((m) => {
        const paired = byMethod.get(m)!.filter((r) => baseBySeed.has(r.seed));
        return {
          method: m,
          meanError: meanOf(m),
          points: (meanOf(base) - meanOf(m)) * 100,
          pairedSeeds: paired.length,
          betterSeeds: paired.filter((r) => r.error! < baseBySeed.get(r.seed)!).length,
        };
      }),
    });
  }
  return out;
}

const signed = (points: number) => `${points >= 0 ? '−' : '+'}${Math.abs(points).toFixed(2)} pts`;

/** The section's Markdown and HTML; null when the sweep lacks a baseline or a semi-supervised method. */
export function baselineSection(rows: ResultRow[]): { md: string; html: string } | null {
  const cmp = compareToBaseline(rows);
  if (!cmp.length) return null;
  const methods = [...new Set(cmp.flatMap((c) => c.methods.map((m) => m.method)))];
  const cell = (c: BaselineComparison, method: string) => c.methods.find((m) => m.method === method);
  const text = (c: BaselineComparison, method: string) => {
    const m = cell(c, method);
    return m ? `${pct(m.meanError)}, ${signed(m.points)} (better on ${m.betterSeeds} of ${m.pairedSeeds} seeds)` : '–';
  };
  const worse = cmp.flatMap((c) =>
    c.methods
      .filter((m) => m.points < 0)
      .map(
        (m) => `at ${c.labels} labels ${m.method} is ${(-m.points).toFixed(2)} points worse than ${c.baseline.method}`,
      ),
  );
  const intro =
    'Each semi-supervised method against the strongest baseline trained on the same labels alone ' +
    '(the supervised method with the lowest mean test error at that budget); seeds are paired.';
  const verdict = worse.length
    ? `Where the GAN does not help: ${worse.join('; ')}.`
    : `Every semi-supervised method here has a lower mean error than the strongest baseline at ${cmp.map((c) => c.labels).join(', ')} labels.`;
  const md = [
    '## Semi-supervised against the strongest baseline',
    '',
    intro,
    '',
    `| labels | strongest baseline | ${methods.join(' | ')} |`,
    `|---|---|${methods.map(() => '---').join('|')}|`,
    ...cmp.map(
      (c) =>
        `| ${c.labels} | ${c.baseline.method} ${pct(c.baseline.meanError)} | ${methods.map((m) => text(c, m)).join(' | ')} |`,
    ),
    '',
    verdict,
    '',
  ].join('\n');
  const td = (c: BaselineComparison, method: string) => {
    const m = cell(c, method);
    if (!m) return '<td>–</td>';
    const seeds = `better on ${m.betterSeeds} of ${m.pairedSeeds} seeds`;
    const gain = `<div class="gain ${m.points >= 0 ? 'better' : 'worse'}">${signed(m.points)}, ${seeds}</div>`;
    return `<td><b>${pct(m.meanError)}</b>${gain}</td>`;
  };
  const html = `<h2>Semi-supervised against the strongest baseline</h2>
<p>${esc(intro)}</p>
<table class="results"><thead><tr><th>labels</th><th>strongest baseline</th>${methods.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead><tbody>${cmp
    .map(
      (c) =>
        `<tr><th>${c.labels}</th><td>${esc(c.baseline.method)} <b>${pct(c.baseline.meanError)}</b></td>${methods.map((m) => td(c, m)).join('')}</tr>`,
    )
    .join('')}</tbody></table>
<p>${esc(verdict)}</p>`;
  return { md, html };
}
