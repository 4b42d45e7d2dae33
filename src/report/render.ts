import { ConfusionMatrix } from 'ml-confusion-matrix';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsFile, ResultRow } from '../bench/results.ts';
import type { RunResult } from '../run/types.ts';
import { PER_CLASS_GRID } from '../augment/generate.ts';
import { writeFileAtomic } from '../util/fs.ts';
import { baselineSection, isBaseline } from './against-baseline.ts';
import { aggregate, bestRun, orderLabels, wilsonInterval, type CellStats } from './stats.ts';
import { anchorsHtml, anchorsMd } from './anchors.ts';
import { headlineBudget } from './headline.ts';
import { locateRun } from './locate.ts';
import { trainingTimeSection } from './training-time.ts';
import { SMALL_TEST_SET } from '../config/defaults.ts';
import { errorChart } from './svg.ts';
import { augmentationSection, readDraw } from './augmentation.ts';
import { esc, pct, slug } from './format.ts';
import { readJson } from '../run/read-json.ts';
import { readMetricsFile } from '../run/metrics-file.ts';

interface BestRun {
  method: string;
  row: ResultRow;
  result: RunResult;
  samples: string | null;
  /** The last logged generator scores, for GAN runs. */
  generator: string | null;
  /** The one-row-per-class grid of the generated images a gan-aug run trained on, with kept/drawn. */
  perClass: { grid: string; line: string } | null;
}

/**
 * A gan-aug cell's generated images sit beside its run folder (`<run>-generated`, where the
 * sweep's `ssgan generate` wrote them) with their per-class grid and manifest.
 */
function perClassOf(dir: string): BestRun['perClass'] {
  const grid = join(`${dir}-generated`, PER_CLASS_GRID);
  if (!existsSync(grid)) return null;
  const m = readDraw(dir);
  const from = m?.conditional
    ? 'a conditional generator, kept where the classifier agreed with the class'
    : 'labelled by the classifier';
  const line = m
    ? `${m.accepted} generated images (${from}), ${m.accepted} kept of ${m.drawn} drawn (${(m.drawn / Math.max(1, m.accepted)).toFixed(2)} drawn per kept), per class ${m.classHistogram.join(' ')}`
    : `generated images (${from})`;
  return { grid, line };
}

/** "class entropy 0.93, classifier score 7.1, Fréchet 12.3 (step 800)" from the last row that has them. */
function generatorLine(metrics: Record<string, number>[]): string | null {
  const last = [...metrics].reverse().find((m) => typeof m.sampleClassEntropy === 'number');
  if (!last) return null;
  const q = [...metrics].reverse().find((m) => typeof m.classifierScore === 'number');
  const parts = [`sample class entropy ${last.sampleClassEntropy.toFixed(2)} of the maximum (step ${last.step})`];
  if (q)
    parts.push(
      `classifier score ${q.classifierScore.toFixed(2)}, Fréchet distance ${q.frechetDistance.toFixed(2)} (step ${q.step})`,
    );
  return parts.join('; ');
}

function loadBest(rows: ResultRow[], method: string, fromDir: string, warn: (m: string) => void): BestRun | null {
  const row = bestRun(rows, method);
  if (!row) return null;
  const dir = locateRun(row, fromDir);
  if (!dir) {
    warn(
      `${row.runDir}: run folder of ${row.id} not found (nor under ${join(fromDir, 'runs')}); its confusion matrix and samples are left out`,
    );
    return null;
  }
  const result = readJson<RunResult>(join(dir, 'result.json'), 'run result');
  const samples = existsSync(join(dir, 'samples.png')) ? join(dir, 'samples.png') : null;
  const metrics = readMetricsFile(join(dir, 'metrics.jsonl'), warn) as Record<string, number>[];
  return { method, row, result, samples, generator: generatorLine(metrics), perClass: perClassOf(dir) };
}

function table(stats: CellStats[], methods: string[]): { md: string; html: string } {
  const labels = orderLabels(stats.map((s) => s.labels));
  const cell = (l: number | 'all', m: string) => stats.find((s) => s.method === m && String(s.labels) === String(l));
  const fmt = (s: CellStats | undefined) =>
    s
      ? `${pct(s.meanError)} ± ${(s.stdError * 100).toFixed(2)} (n=${s.n})${s.gainOverSupervised !== null ? `, ${s.gainOverSupervised >= 0 ? '−' : '+'}${Math.abs(s.gainOverSupervised).toFixed(2)} pts` : ''}`
      : '–';
  const md = [
    `| labels | ${methods.join(' | ')} |`,
    `|---|${methods.map(() => '---').join('|')}|`,
    ...labels.map((l) => `| ${l} | ${methods.map((m) => fmt(cell(l, m))).join(' | ')} |`),
  ].join('\n');
  const html = `<table class="results"><thead><tr><th>labels</th>${methods.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead><tbody>${labels
    .map(
      (l) =>
        `<tr><th>${l}</th>${methods
          .map((m) => {
            const s = cell(l, m);
            if (!s) return '<td>–</td>';
            const gain =
              s.gainOverSupervised === null
                ? ''
                : `<div class="gain ${s.gainOverSupervised >= 0 ? 'better' : 'worse'}">${s.gainOverSupervised >= 0 ? '−' : '+'}${Math.abs(s.gainOverSupervised).toFixed(2)} pts vs supervised</div>`;
            return `<td><b>${pct(s.meanError)}</b> ± ${(s.stdError * 100).toFixed(2)} <span class="n">n=${s.n}</span>${gain}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  return { md, html };
}

function confusionHtml(result: RunResult): string {
  const cm = new ConfusionMatrix(
    result.confusion,
    result.classNames.map((_, k) => k),
  );
  const m = cm.getMatrix();
  const head = `<tr><th>true \\ pred</th>${result.classNames.map((c) => `<th>${esc(c)}</th>`).join('')}<th>recall</th></tr>`;
  const rows = m.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return `<tr><th>${esc(result.classNames[k])}</th>${row.map((v) => `<td style="background:rgba(31,119,180,${(v / total).toFixed(3)});color:${v / total > 0.5 ? '#fff' : '#000'}">${v}</td>`).join('')}<td>${pct(cm.getTruePositiveRate(k), 1)}</td></tr>`;
  });
  return `<table class="confusion">${head}${rows.join('')}</table>`;
}

function confusionMd(result: RunResult): string {
  const m = result.confusion;
  return [
    `| true \\ pred | ${result.classNames.join(' | ')} |`,
    `|---|${result.classNames.map(() => '---:').join('|')}|`,
    ...m.map((row, k) => `| **${result.classNames[k]}** | ${row.join(' | ')} |`),
  ].join('\n');
}

/**
 * Writes report.md and a self-contained report.html (SVG inline, images as data URIs) into `dir`.
 * `fromDir` is the sweep folder holding results.json (and runs/), `dir` unless the report goes elsewhere.
 */
export function renderReport(
  results: ResultsFile,
  dir: string,
  opts: { fromDir?: string; warn?: (m: string) => void } = {},
): { md: string; html: string } {
  const fromDir = opts.fromDir ?? dir;
  const warn = opts.warn ?? (() => {});
  const rows = results.rows;
  const stats = aggregate(rows);
  // Baselines first (plain supervised leftmost), then the methods measured against them.
  const rank = (m: string) => (m === 'supervised' ? 0 : isBaseline(m) ? 1 : 2);
  const methods = [...new Set(stats.map((s) => s.method))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const t = table(stats, methods);
  const vsBaseline = baselineSection(rows);
  const chart = errorChart(stats);
  // Confusion matrices and samples come from the headline budget, where methods differ most.
  const headline = headlineBudget(stats.map((s) => s.labels));
  const atHeadline = rows.filter((r) => String(r.labels) === String(headline));
  const best = methods.map((m) => loadBest(atHeadline, m, fromDir, warn)).filter((b): b is BestRun => !!b);
  for (const m of methods)
    if (headline !== null && !atHeadline.some((r) => r.method === m && r.status === 'ok'))
      warn(`${m}: no successful run at ${headline} labels, so no confusion matrix or samples for it`);
  const failed = rows.filter((r) => r.status !== 'ok');
  const anyRow = rows.find((r) => r.status === 'ok');
  const imgDir = join(dir, 'images');
  mkdirSync(imgDir, { recursive: true });
  for (const b of best) {
    if (b.samples) copyFileSync(b.samples, join(imgDir, `samples-${slug(b.method)}.png`));
    if (b.perClass) copyFileSync(b.perClass.grid, join(imgDir, `per-class-${slug(b.method)}.png`));
  }
  writeFileAtomic(join(imgDir, 'error-vs-labels.svg'), chart);
  const timing = headline === null ? null : trainingTimeSection(rows, headline, fromDir, imgDir, warn);
  const refMd = anchorsMd(results.dataset) ?? 'No published reference numbers are recorded for this dataset.';
  const refHtml = anchorsHtml(results.dataset) ?? `<p>${esc(refMd)}</p>`;
  const dataUri = (p: string) => `data:image/png;base64,${readFileSync(p).toString('base64')}`;
  const aug = augmentationSection(rows, imgDir, (r) => locateRun(r, fromDir), dataUri);
  const md = [
    `# ssgan report: ${results.name}`,
    '',
    `Dataset **${results.dataset}**; ${rows.length} runs (${failed.length} failed); backend ${anyRow?.backend ?? '?'}; ssgan ${anyRow?.versions?.ssgan ?? '?'}, tfjs ${anyRow?.versions?.tfjs ?? '?'}; data checksum ${anyRow?.dataChecksum?.slice(0, 16) ?? '?'}…`,
    '',
    `Command: \`${results.command}\``,
    '',
    '## Test error by label budget',
    '',
    'Mean test error ± sample std over seeds; "pts" is the error removed (−) or added (+) against `supervised` at the same budget.',
    '',
    t.md,
    '',
    refMd,
    '',
    '![test error against label budget](images/error-vs-labels.svg)',
    '',
    ...(vsBaseline ? [vsBaseline.md] : []),
    ...(best.length ? [`## Best run of each method at ${headline} labels`, ''] : []),
    ...best.flatMap((b) => [
      `### ${b.method}: ${pct(b.row.error!)} error${smallSetInterval(b.result)} (${b.row.labels} labels, seed ${b.row.seed}, ${b.row.steps} steps, ${b.row.wallSeconds?.toFixed(0)} s)`,
      '',
      confusionMd(b.result),
      '',
      ...(b.generator ? [`Generator: ${b.generator}.`, ''] : []),
      ...(b.samples ? [`![samples of ${b.method}](images/samples-${slug(b.method)}.png)`, ''] : []),
      ...(b.perClass
        ? [
            `Trained on ${b.perClass.line}; one row per class:`,
            '',
            `![per-class samples of ${b.method}](images/per-class-${slug(b.method)}.png)`,
            '',
          ]
        : []),
    ]),
    ...(aug.md ? [aug.md] : []),
    ...(timing ? [timing.md] : []),
    ...(failed.length ? ['## Failed runs', '', ...failed.map((f) => `- ${f.id}: ${f.failure}`), ''] : []),
  ].join('\n');

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ssgan report: ${esc(results.name)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
table.results td{min-width:9em}.gain{font-size:85%}.better{color:#2a7a2a}.worse{color:#b22}.n{color:#888;font-size:85%}
table.confusion td{min-width:2.5em}code{background:#f4f4f4;padding:1px 4px}.meta{color:#555}
img.samples{image-rendering:pixelated;width:290px;border:1px solid #ccc}
.beside{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}.anchors{max-width:360px}
</style></head><body>
<h1>ssgan report: ${esc(results.name)}</h1>
<p class="meta">Dataset <b>${esc(results.dataset)}</b>; ${rows.length} runs (${failed.length} failed); backend ${esc(anyRow?.backend ?? '?')}; ssgan ${esc(anyRow?.versions?.ssgan ?? '?')}, tfjs ${esc(anyRow?.versions?.tfjs ?? '?')}; data checksum <code>${esc(anyRow?.dataChecksum?.slice(0, 16) ?? '?')}…</code></p>
<p class="meta">Command: <code>${esc(results.command)}</code></p>
<h2>Test error by label budget</h2>
<p>Mean test error ± sample std over seeds; the second line is the error removed (−) or added (+) against <code>supervised</code> at the same budget.</p>
<div class="beside">${t.html}${refHtml}</div>
${chart}
${vsBaseline?.html ?? ''}
${best.length ? `<h2>Best run of each method at ${esc(String(headline))} labels</h2>` : ''}
${best.map((b) => `<h3>${esc(b.method)}: ${pct(b.row.error!)} error${smallSetInterval(b.result)} (${b.row.labels} labels, seed ${b.row.seed}, ${b.row.steps} steps, ${b.row.wallSeconds?.toFixed(0)} s)</h3>${confusionHtml(b.result)}${b.generator ? `<p>Generator: ${esc(b.generator)}.</p>` : ''}${b.samples ? `<p><img class="samples" alt="samples of ${esc(b.method)}" src="${dataUri(b.samples)}"></p>` : ''}${b.perClass ? `<p>Trained on ${esc(b.perClass.line)}; one row per class:</p><p><img class="samples" alt="per-class samples of ${esc(b.method)}" src="${dataUri(b.perClass.grid)}"></p>` : ''}`).join('\n')}
${aug.html}
${timing?.html ?? ''}
${failed.length ? `<h2>Failed runs</h2><ul>${failed.map((f) => `<li>${esc(f.id)}: ${esc(f.failure ?? '')}</li>`).join('')}</ul>` : ''}
</body></html>
`;
  writeFileAtomic(join(dir, 'report.md'), md);
  writeFileAtomic(join(dir, 'report.html'), html);
  return { md, html };
}

/** ", 95% interval a-b of N test images" after an error measured on a small test set (a folder's hold-out). */
function smallSetInterval(result: RunResult | null | undefined): string {
  if (!result?.confusion) return '';
  const n = result.confusion.flat().reduce((a, b) => a + b, 0);
  if (n === 0 || n >= SMALL_TEST_SET) return '';
  const { low, high } = wilsonInterval(Math.round(result.error * n), n);
  return ` (95% interval ${pct(low)}-${pct(high)}, ${n} test images)`;
}
