import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRow } from '../bench/results.ts';
import { PER_CLASS_GRID } from '../augment/generate.ts';
import { orderLabels, pairedGain } from './stats.ts';
import { esc, pct, slug } from './format.ts';

const GAN_AUG = '+gan-aug';

/** `supervised-aug+gan-aug-w0.1` -> `supervised-aug`: the run the same recipe makes without the samples. */
export function baseMethodOf(method: string): string | null {
  const i = method.indexOf(GAN_AUG);
  return i > 0 ? method.slice(0, i) : null;
}

/** What `ssgan generate` recorded in a gan-aug run's `<run>-generated/manifest.json`. */
export interface DrawRecord {
  accepted: number;
  drawn: number;
  classHistogram: number[];
  minConfidence: number | null;
  conditional: boolean;
}

export function readDraw(runDir: string): DrawRecord | null {
  const path = join(`${runDir}-generated`, 'manifest.json');
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof m.accepted !== 'number' || typeof m.drawn !== 'number') return null;
    return {
      accepted: m.accepted,
      drawn: m.drawn,
      classHistogram: Array.isArray(m.classHistogram) ? m.classHistogram : [],
      minConfidence: typeof m.minConfidence === 'number' ? m.minConfidence : null,
      conditional: m.conditional === true,
    };
  } catch {
    return null; // a torn manifest: the row is reported without its draw figures
  }
}

/** One line of the effect table: a gan-aug recipe against the same recipe without samples, at one budget. */
export interface AugEffect {
  labels: number | 'all';
  method: string;
  base: string;
  /** Mean test errors over the seeds both have. */
  baseError: number;
  augError: number;
  /** Points of test error the samples remove (positive) or add (negative). */
  gain: number;
  /** Seeds both finished, and how many of them the samples made better. */
  seeds: number;
  better: number;
  kept: number;
  drawn: number;
  /** Images kept of the class with the fewest, over the seeds (a class the filter starved shows here). */
  fewestOfAClass: number | null;
}

/**
 * Pairs each gan-aug row with the row of its base recipe of the same budget and seed, so a
 * seed missing on one side never skews the other's mean.
 */
export function augmentationEffects(rows: ResultRow[], locate: (r: ResultRow) => string | null): AugEffect[] {
  const ok = rows.filter((r) => r.status === 'ok' && r.error !== null);
  const out: AugEffect[] = [];
  const groups = new Map<string, ResultRow[]>();
  for (const r of ok) {
    if (!baseMethodOf(r.method)) continue;
    const k = `${r.labels}|${r.method}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const rs of groups.values()) {
    const base = baseMethodOf(rs[0].method)!;
    const baseRuns = ok.filter((o) => o.method === base && String(o.labels) === String(rs[0].labels));
    const g = pairedGain(rs, baseRuns);
    if (!g) continue;
    const draws = rs
      .filter((r) => baseRuns.some((b) => b.seed === r.seed))
      .map((r) => {
        const dir = locate(r);
        return dir ? readDraw(dir) : null;
      });
    const known = draws.filter((d): d is DrawRecord => !!d);
    const hist = known.flatMap((d) => (d.classHistogram.length ? [Math.min(...d.classHistogram)] : []));
    out.push({
      labels: rs[0].labels,
      method: rs[0].method,
      base,
      baseError: g.baseError,
      augError: g.error,
      gain: g.points,
      seeds: g.seeds,
      better: g.better,
      kept: known.reduce((a, d) => a + d.accepted, 0),
      drawn: known.reduce((a, d) => a + d.drawn, 0),
      fewestOfAClass: hist.length ? Math.min(...hist) : null,
    });
  }
  const order = orderLabels(out.map((e) => e.labels)).map(String);
  return out.sort(
    (a, b) =>
      order.indexOf(String(a.labels)) - order.indexOf(String(b.labels)) ||
      (a.method < b.method ? -1 : a.method > b.method ? 1 : 0),
  );
}

const pts = (g: number) => `${g >= 0 ? '−' : '+'}${Math.abs(g).toFixed(2)} pts`;

/** The plain sentence under the table: where the samples helped and where they hurt. */
export function verdict(effects: AugEffect[]): string {
  const worse = effects.filter((e) => e.gain < 0);
  const better = effects.filter((e) => e.gain > 0);
  const say = (es: AugEffect[]) =>
    es.map((e) => `${e.method} at ${e.labels} labels (${pts(e.gain)} against ${e.base})`).join('; ');
  const parts: string[] = [];
  if (worse.length) parts.push(`The generated samples made the classifier worse: ${say(worse)}.`);
  if (better.length) parts.push(`They helped: ${say(better)}.`);
  if (!worse.length && !better.length) parts.push('The generated samples changed no mean test error.');
  return parts.join(' ');
}

export interface AugmentationSection {
  md: string;
  html: string;
}

/**
 * The report's "Augmentation data" section: the effect of the conditional generator's samples
 * on each supervised recipe (paired by seed), how many samples the filter kept of those drawn,
 * and one per-class grid per gan-aug recipe and budget (copied into `imgDir`). Empty when the
 * sweep has no gan-aug rows.
 */
export function augmentationSection(
  rows: ResultRow[],
  imgDir: string,
  locate: (r: ResultRow) => string | null,
  dataUri: (path: string) => string,
): AugmentationSection {
  const effects = augmentationEffects(rows, locate);
  if (!effects.length) return { md: '', html: '' };
  const ratio = (e: AugEffect) =>
    e.drawn ? `${e.kept} of ${e.drawn} (${(e.drawn / Math.max(1, e.kept)).toFixed(2)} drawn per kept)` : '–';
  const head = [
    'labels',
    'recipe',
    'without samples',
    'with samples',
    'effect',
    'seeds better',
    'kept of drawn',
    'fewest of a class',
  ];
  const cells = (e: AugEffect) => [
    String(e.labels),
    e.method,
    `${pct(e.baseError)} (${e.base})`,
    pct(e.augError),
    pts(e.gain),
    `${e.better} of ${e.seeds}`,
    ratio(e),
    e.fewestOfAClass === null ? '–' : String(e.fewestOfAClass),
  ];
  const grids: { alt: string; file: string; src: string }[] = [];
  for (const e of effects) {
    const row = rows
      .filter((r) => r.status === 'ok' && r.method === e.method && String(r.labels) === String(e.labels))
      .sort((a, b) => a.seed - b.seed)[0];
    const dir = row && locate(row);
    const grid = dir && join(`${dir}-generated`, PER_CLASS_GRID);
    if (!grid || !existsSync(grid)) continue;
    const file = `aug-${slug(e.method)}-${e.labels}.png`;
    copyFileSync(grid, join(imgDir, file));
    grids.push({ alt: `${e.method}, ${e.labels} labels, seed ${row.seed}: one row per class`, file, src: grid });
  }
  const intro =
    'Test error of each supervised recipe with and without the conditional generator\'s samples (mean over the seeds both finished; "effect" is the error removed (−) or added (+) by the samples). "kept of drawn" sums over those seeds: a sample G(z, y) is kept only where the GAN\'s classifier calls it y.';
  const sentence = verdict(effects);
  const md = [
    '## Augmentation data',
    '',
    intro,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...effects.map((e) => `| ${cells(e).join(' | ')} |`),
    '',
    sentence,
    '',
    ...grids.flatMap((g) => [`![${g.alt}](images/${g.file})`, '']),
  ].join('\n');
  const html = `<h2>Augmentation data</h2>
<p>${esc(intro)}</p>
<table class="augmentation"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${effects
    .map(
      (e) =>
        `<tr>${cells(e)
          .map((c, i) => `<td${i === 4 ? ` class="${e.gain >= 0 ? 'better' : 'worse'}"` : ''}>${esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>
<p>${esc(sentence)}</p>
${grids.map((g) => `<figure><img class="samples" alt="${esc(g.alt)}" src="${dataUri(g.src)}"><figcaption>${esc(g.alt)}</figcaption></figure>`).join('\n')}`;
  return { md, html };
}
