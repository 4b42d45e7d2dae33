import type { ResultRow } from '../bench/results.ts';
import { esc, pct } from './format.ts';
import { aggregate, orderLabels, pairedGain } from './stats.ts';

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
    /** Seeds both ran; the figures below are over these alone. */
    pairedSeeds: number;
    /** Points of error removed over the paired seeds (positive = better); null without pairs. */
    points: number | null;
    /** Paired seeds on which this method had the lower error. */
    betterSeeds: number;
  }[];
}

/**
 * Each semi-supervised method against the strongest baseline of its budget, seed by seed. The
 * baseline is the best on the test set, which favours the baseline; no semi-supervised method is
 * chosen, so nothing is picked on the test set in the method's favour.
 */
export function compareToBaseline(rows: ResultRow[]): BaselineComparison[] {
  const ok = rows.filter((r) => r.status === 'ok' && r.error !== null);
  const stats = aggregate(rows);
  const out: BaselineComparison[] = [];
  for (const labels of orderLabels(stats.map((s) => s.labels))) {
    const at = stats.filter((s) => String(s.labels) === String(labels));
    const baselines = at.filter((s) => isBaseline(s.method));
    const ssl = at.filter((s) => isSemiSupervised(s.method));
    if (!baselines.length || !ssl.length) continue;
    const base = baselines.reduce((a, b) => (b.meanError < a.meanError ? b : a));
    const runsOf = (m: string) => ok.filter((r) => r.method === m && String(r.labels) === String(labels));
    out.push({
      labels,
      baseline: { method: base.method, meanError: base.meanError },
      methods: ssl.map(({ method }) => {
        const g = pairedGain(runsOf(method), runsOf(base.method));
        return { method, pairedSeeds: g?.seeds ?? 0, points: g?.points ?? null, betterSeeds: g?.better ?? 0 };
      }),
    });
  }
  return out;
}

const signed = (points: number) => `${points > 0 ? '−' : points < 0 ? '+' : '±'}${Math.abs(points).toFixed(2)} pts`;
type Compared = BaselineComparison['methods'][number];
const seedsText = (m: Compared) =>
  m.points === null ? 'no seed in common' : `${signed(m.points)}, better on ${m.betterSeeds} of ${m.pairedSeeds} seeds`;

/** The section's Markdown and HTML; null when the sweep lacks a baseline or a semi-supervised method. */
export function baselineSection(rows: ResultRow[]): { md: string; html: string } | null {
  const cmp = compareToBaseline(rows);
  if (!cmp.length) return null;
  const methods = [...new Set(cmp.flatMap((c) => c.methods.map((m) => m.method)))];
  const cell = (c: BaselineComparison, method: string) => c.methods.find((m) => m.method === method);
  const notBetter = cmp.flatMap((c) =>
    c.methods
      .filter((m) => m.points !== null && m.points <= 0)
      .map((m) =>
        m.points === 0
          ? `at ${c.labels} labels ${m.method} is no better than ${c.baseline.method}`
          : `at ${c.labels} labels ${m.method} is ${(-m.points!).toFixed(2)} points worse than ${c.baseline.method}`,
      ),
  );
  const intro =
    'Each semi-supervised method against the strongest baseline trained on the same labels alone ' +
    '(the supervised method with the lowest mean test error at that budget): the error it removes, ' +
    'seed by seed, averaged over the seeds both ran.';
  const verdict = notBetter.length
    ? `Where the GAN does not help: ${notBetter.join('; ')}.`
    : `Every semi-supervised method here removes error against the strongest baseline at ${cmp.map((c) => c.labels).join(', ')} labels.`;
  const md = [
    '## Semi-supervised against the strongest baseline',
    '',
    intro,
    '',
    `| labels | strongest baseline | ${methods.join(' | ')} |`,
    `|---|---|${methods.map(() => '---').join('|')}|`,
    ...cmp.map((c) => {
      const cells = methods.map((m) => (cell(c, m) ? seedsText(cell(c, m)!) : '–'));
      return `| ${c.labels} | ${c.baseline.method} ${pct(c.baseline.meanError)} | ${cells.join(' | ')} |`;
    }),
    '',
    verdict,
    '',
  ].join('\n');
  const td = (c: BaselineComparison, method: string) => {
    const m = cell(c, method);
    if (!m) return '<td>–</td>';
    const cls = m.points === null ? '' : m.points > 0 ? ' better' : ' worse';
    return `<td><div class="gain${cls}">${esc(seedsText(m))}</div></td>`;
  };
  const html = `<h2>Semi-supervised against the strongest baseline</h2>
<p>${esc(intro)}</p>
<table class="results"><thead><tr><th>labels</th><th>strongest baseline</th>${methods.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead><tbody>${cmp
    .map(
      (c) =>
        `<tr><th>${esc(String(c.labels))}</th><td>${esc(c.baseline.method)} <b>${pct(c.baseline.meanError)}</b></td>${methods.map((m) => td(c, m)).join('')}</tr>`,
    )
    .join('')}</tbody></table>
<p>${esc(verdict)}</p>`;
  return { md, html };
}
