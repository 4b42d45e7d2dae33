import * as tf from '@tensorflow/tfjs';
import cliProgress from 'cli-progress';
import { existsSync, statSync } from 'node:fs';
import { IMAGE_DEFAULTS, PREDICT_DEFAULTS } from '../config/defaults.ts';
import { decodeFor, IMAGE_EXTENSIONS, isImageFile, listFiles, mapLimit } from '../data/images.ts';
import type { LoadedRun } from '../run/types.ts';
import { realnessThreshold } from './realness.ts';
import { runPreprocessing } from './run-data.ts';
import { scoreBatch, topK } from './score.ts';
import { TableWriter } from './output.ts';

/** Files named on the command line, folders searched recursively for images (sorted). */
export function collectInputs(inputs: string[], log: (m: string) => void): string[] {
  const files: string[] = [];
  for (const p of inputs) {
    if (!existsSync(p)) throw new Error(`${p}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      for (const f of listFiles(p, true)) {
        if (isImageFile(f.path)) files.push(f.path);
        else log(`warning: ${f.path}: not an image file (expected one of ${IMAGE_EXTENSIONS.join(' ')}); skipped`);
      }
    } else if (isImageFile(p)) files.push(p);
    else throw new Error(`${p}: not an image file (expected one of ${IMAGE_EXTENSIONS.join(' ')})`);
  }
  if (files.length === 0) throw new Error(`${inputs.join(' ')}: no image files found`);
  return files;
}

export interface PredictOptions {
  out?: string;
  top: number;
  batchSize?: number;
  dataDir?: string;
  log?: (m: string) => void;
  progress?: boolean;
}

export interface PredictSummary {
  count: number;
  failed: number;
  flagged: number;
  threshold: number | null;
}

/**
 * Classifies image files with a run's classifier, streaming one row per image: predicted class,
 * its probability, the top-k, the K+1 head's p(real) and whether it falls below the threshold
 * measured on the run's own unlabelled images.
 */
export async function predictFiles(run: LoadedRun, files: string[], o: PredictOptions): Promise<PredictSummary> {
  const log = o.log ?? (() => {});
  const pre = runPreprocessing(run.record, run.imageShape);
  const names = run.result?.classNames ?? run.record.data.provenance?.classNames;
  if (!names) throw new Error(`${run.dir}: the run records no class names (result.json missing?)`);
  const isGan = run.record.kind === 'gan';
  let threshold: number | null = null;
  if (isGan) {
    try {
      threshold = (await realnessThreshold(run, { dataDir: o.dataDir, log })).threshold;
    } catch (e) {
      log(`warning: no realness threshold (${(e as Error).message}); unlike_data left empty`);
    }
  }
  const k = Math.min(o.top, run.numClasses);
  const columns = ['file', 'class', 'probability'];
  for (let j = 2; j <= k; j++) columns.push(`class_${j}`, `probability_${j}`);
  columns.push('p_real', 'unlike_data');
  const writer = new TableWriter(o.out, columns);
  const bs = o.batchSize ?? PREDICT_DEFAULTS.batchSize;
  const px = pre.size * pre.size * pre.channels;
  const bar =
    o.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: 'predicting {bar} {value}/{total} images', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(files.length, 0);
  const summary: PredictSummary = { count: 0, failed: 0, flagged: 0, threshold };
  try {
    for (let s = 0; s < files.length; s += bs) {
      const part = files.slice(s, s + bs);
      const decoded = await mapLimit(part, IMAGE_DEFAULTS.decodeConcurrency, async (f) => {
        try {
          return await decodeFor(f, pre);
        } catch (e) {
          log(`warning: ${f}: unreadable or truncated image (${(e as Error).message}); skipped`);
          return null;
        }
      });
      const ok = part.map((_, i) => i).filter((i) => decoded[i] !== null);
      summary.failed += part.length - ok.length;
      if (ok.length) {
        const buf = new Float32Array(ok.length * px);
        ok.forEach((i, j) => {
          const img = decoded[i]!;
          for (let q = 0; q < px; q++) buf[j * px + q] = img[q] / 255;
        });
        const x = tf.tensor4d(buf, [ok.length, pre.size, pre.size, pre.channels]);
        const sc = scoreBatch(run, x);
        x.dispose();
        ok.forEach((i, j) => {
          const top = topK(sc.probs, sc.numClasses, j, k);
          const pReal = isGan ? sc.pReal[j] : null;
          const unlike = pReal !== null && threshold !== null ? pReal < threshold : null;
          if (unlike) summary.flagged++;
          const row: Record<string, unknown> = {
            file: part[i],
            class: names[top[0].cls],
            probability: round(top[0].p),
          };
          for (let r = 1; r < top.length; r++) {
            row[`class_${r + 1}`] = names[top[r].cls];
            row[`probability_${r + 1}`] = round(top[r].p);
          }
          row.p_real = pReal === null ? null : round(pReal);
          row.unlike_data = unlike;
          if (writer.format === 'jsonl') {
            writer.row({
              file: part[i],
              class: row.class,
              probability: row.probability,
              top: top.map((t) => ({ class: names[t.cls], probability: round(t.p) })),
              p_real: row.p_real,
              unlike_data: unlike,
            });
          } else writer.row(row);
          summary.count++;
        });
      }
      bar?.increment(part.length);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    bar?.stop();
  }
  return summary;
}

const round = (p: number) => Number(p.toPrecision(6));
