import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDiscriminator, buildGenerator, sampleLatent } from '../models/index.ts';
import type { ModelSpec } from '../models/types.ts';
import { runPreprocessing } from '../predict/run-data.ts';
import type { RunRecord, RunResult } from '../run/types.ts';
import { loadNetInto, readState } from '../train/checkpoint.ts';
import { replaceDirAtomic } from '../util/fs.ts';
import { classifierModel } from './classifier.ts';
import { generatorModel } from './generator.ts';

export type ExportWhat = 'classifier' | 'generator';

/** A network's checkpoint values by parameter name (EMA weights for the classifier). */
function checkpointParams(
  ckpt: string,
  spec: ModelSpec,
  what: ExportWhat,
): { params: Map<string, tf.Tensor>; dispose: () => void } {
  if (what === 'classifier') {
    const D = buildDiscriminator(spec);
    tf.tidy(() => void D.apply(tf.zeros([1, ...spec.imageShape]) as tf.Tensor4D, { training: false, seed: 0 }));
    loadNetInto(ckpt, 'D-ema', D.params);
    return { params: D.params.vars, dispose: () => D.params.dispose() };
  }
  const G = buildGenerator(spec);
  tf.tidy(() => void G.apply(sampleLatent(spec.arch, 2, spec.latentDim, 0), { training: true, seed: 0 }));
  loadNetInto(ckpt, 'G', G.params);
  return { params: G.params.vars, dispose: () => G.params.dispose() };
}

/** model.json + weights.bin as tf.loadLayersModel reads them (the layers-model format of tfjs). */
async function artifactsOf(model: tf.LayersModel): Promise<{ json: string; weights: Uint8Array }> {
  let out: { json: string; weights: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData as ArrayBuffer;
      out = {
        json: JSON.stringify({
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
          convertedBy: 'ssgan export',
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        }),
        weights: new Uint8Array(data),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('export: the model produced no artifacts');
  return out;
}

export interface ExportOptions {
  what: ExportWhat;
  /** Generator batch-norm statistics: latents drawn, and their seed. */
  statsCount?: number;
  statsSeed?: number;
}

/**
 * Writes a run's classifier (EMA weights, noise off, weight norm folded) or generator as a
 * standard TensorFlow.js LayersModel in `out` (built beside it and swapped in whole), with the
 * class names and the preprocessing the model expects.
 */
export async function exportRun(runDir: string, out: string, o: ExportOptions): Promise<{ files: string[] }> {
  const ckpt = join(runDir, 'checkpoint');
  const { spec } = readState(ckpt);
  const { readFileSync } = await import('node:fs');
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  let result: RunResult | null = null;
  try {
    result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as RunResult;
  } catch {
    // Class names then come from the data provenance.
  }
  const classNames = result?.classNames ?? record.data.provenance?.classNames;
  if (!classNames) throw new Error(`${runDir}: the run records no class names (result.json missing?)`);
  if (o.what === 'generator' && record.kind !== 'gan')
    throw new Error(`--what generator: ${runDir} is a ${record.kind} run, which has no generator`);
  const { params, dispose } = checkpointParams(ckpt, spec, o.what);
  let model: tf.Sequential;
  const statsCount = o.statsCount ?? 1000;
  const statsSeed = o.statsSeed ?? 1;
  try {
    model =
      o.what === 'classifier' ? classifierModel(spec, params) : generatorModel(spec, params, statsCount, statsSeed);
  } finally {
    dispose();
  }
  const art = await artifactsOf(model);
  model.dispose();
  const pre = runPreprocessing(record, spec.imageShape);
  const info =
    o.what === 'classifier'
      ? {
          what: 'classifier',
          input: {
            shape: [null, ...spec.imageShape],
            layout: 'NHWC, float32',
            scaling: 'pixel / 255 (values in [0, 1])',
            size: pre.size,
            channels: pre.channels,
            fit: pre.fit,
            resize:
              pre.fit === 'cover'
                ? 'scale the shorter side to size, centre-crop'
                : 'scale the longer side to size, pad with black',
            grey: 'Rec. 601 luma 0.299 R + 0.587 G + 0.114 B, rounded to a byte',
            exifOrientation: 'applied',
            alpha: 'flattened on black',
          },
          output: 'softmax over the classes of labels.json, in that order',
        }
      : {
          what: 'generator',
          input: {
            shape: [null, spec.latentDim],
            prior: spec.arch === 'mlp' ? 'uniform on [0, 1)' : 'uniform on [-1, 1)',
          },
          output: { shape: [null, ...spec.imageShape], layout: 'NHWC, float32 in [0, 1]' },
          batchNorm: `fixed statistics from ${statsCount} latents (seed ${statsSeed}); training sampled with batch statistics`,
        };
  const meta = {
    ...info,
    run: runDir,
    method: record.method,
    dataset: record.data.name,
    dataChecksum: record.data.checksum,
    testAccuracy: result?.accuracy ?? null,
    tfjs: tf.version.tfjs,
  };
  replaceDirAtomic(out, (tmp) => {
    writeFileSync(join(tmp, 'model.json'), art.json);
    writeFileSync(join(tmp, 'weights.bin'), art.weights);
    writeFileSync(join(tmp, 'labels.json'), JSON.stringify(classNames) + '\n');
    writeFileSync(join(tmp, 'preprocessing.json'), JSON.stringify(meta, null, 2) + '\n');
  });
  return { files: ['model.json', 'weights.bin', 'labels.json', 'preprocessing.json'] };
}
