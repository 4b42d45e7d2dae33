import { esc, pct } from './format.ts';
/**
 * Published test errors a reader can hold our numbers against. They are full-MNIST figures
 * (60,000 training images, the 10,000-image test set): beside an mnist-10k table they are
 * context, not a like-for-like comparison, and the report says so.
 */
export interface Anchor {
  method: string;
  labels: number;
  /** Test error as a fraction, and its std over the paper's runs. */
  error: number;
  std: number;
  /** Training length, where the paper's code states it. */
  steps?: string;
  /** Author and year, where the table is narrow (HTML); `source` in full on hover and in Markdown. */
  cite: string;
  source: string;
}

export const MNIST_ANCHORS: Anchor[] = [
  {
    method: 'K+1 GAN, feature matching (sslgan-mlp)',
    labels: 100,
    error: 0.0093,
    std: 0.00065,
    steps: '180,000 steps (300 epochs of 600)',
    cite: 'Salimans et al. 2016',
    source: 'Salimans et al. 2016, Improved Techniques for Training GANs, Table 1 (93 ± 6.5 errors of 10,000)',
  },
  {
    method: 'Bad GAN (complementary generator, entropy term)',
    labels: 100,
    error: 0.008,
    std: 0.00098,
    cite: 'Dai et al. 2017',
    source:
      'Dai et al. 2017, Good Semi-supervised Learning That Requires a Bad GAN, Table 1 (79.5 ± 9.8 errors of 10,000)',
  },
];

/** The anchors shown beside a report of `dataset`, with the line that says what they are. */
export function anchorsFor(dataset: string): { caption: string; anchors: Anchor[] } | null {
  if (dataset === 'mnist')
    return {
      caption: 'Published anchors (full MNIST, the same data and test set as this report):',
      anchors: MNIST_ANCHORS,
    };
  if (dataset === 'mnist-10k')
    return {
      caption:
        'Published anchors, full-MNIST figures (60,000 training images and the 10,000-image test set; this report uses 8,000 and 2,000, so they are context, not a like-for-like comparison):',
      anchors: MNIST_ANCHORS,
    };
  return null;
}

export function anchorsMd(dataset: string): string | null {
  const a = anchorsFor(dataset);
  if (!a) return null;
  return [
    a.caption,
    '',
    '| published | labels | test error | training | source |',
    '|---|---:|---:|---|---|',
    ...a.anchors.map(
      (r) =>
        `| ${r.method} | ${r.labels} | ${pct(r.error)} ± ${(r.std * 100).toFixed(3)} | ${r.steps ?? '–'} | ${r.source} |`,
    ),
  ].join('\n');
}

export function anchorsHtml(dataset: string): string | null {
  const a = anchorsFor(dataset);
  if (!a) return null;
  const rows = a.anchors
    .map(
      (r) =>
        `<tr><td style="text-align:left">${esc(r.method)}</td><td>${r.labels}</td><td><b>${pct(r.error)}</b> ± ${(r.std * 100).toFixed(3)}</td><td style="text-align:left" title="${esc(r.source)}">${esc(r.cite)}</td></tr>`,
    )
    .join('');
  return `<div class="anchors"><p class="meta">${esc(a.caption)}</p><table class="anchors"><thead><tr><th>published</th><th>labels</th><th>test error</th><th>source</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
