import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { conditionalGenerator, conditionalView } from '../models/conditional.ts';
import { buildDiscriminator, buildGenerator, sampleLatent } from '../models/index.ts';
import { hasCheckpoint, hasNet, loadNetInto, readState } from '../train/checkpoint.ts';
import { readJson } from './read-json.ts';
import type { LoadedRun, RunRecord, RunResult } from './types.ts';

/**
 * Brings a run folder back: its record, result and networks from the latest checkpoint, with
 * the classifier in evaluation mode (EMA weights, noise off).
 */
export async function loadRun(dir: string): Promise<LoadedRun> {
  if (!existsSync(dir)) throw new Error(`--run ${dir}: no such folder`);
  const record = readJson<RunRecord>(join(dir, 'run.json'), 'run record');
  const ckpt = join(dir, 'checkpoint');
  if (!hasCheckpoint(ckpt))
    throw new Error(`${ckpt}: no checkpoint in this run folder (was the run stopped before its first checkpoint?)`);
  const { spec } = readState(ckpt);
  const result = existsSync(join(dir, 'result.json')) ? readJson<RunResult>(join(dir, 'result.json'), 'result') : null;

  const D = buildDiscriminator(spec);
  tf.tidy(() => {
    D.apply(tf.zeros([1, ...spec.imageShape]) as tf.Tensor4D, { training: false, seed: 0 });
  });
  loadNetInto(ckpt, 'D-ema', D.params);

  let generator: LoadedRun['generator'] = null;
  let G: { params: { dispose(): void } } | null = null;
  if (record.kind === 'gan' && hasNet(ckpt, 'G') && spec.conditional) {
    const g = conditionalGenerator(spec);
    G = g;
    generator = conditionalView(g, spec);
    tf.tidy(() => {
      generator!.sample(sampleLatent(spec.arch, 2, spec.latentDim, 0));
    });
    loadNetInto(ckpt, 'G', g.params);
  } else if (record.kind === 'gan' && hasNet(ckpt, 'G')) {
    const g = buildGenerator(spec);
    G = g;
    tf.tidy(() => {
      g.apply(sampleLatent(spec.arch, 2, spec.latentDim, 0), { training: true, seed: 0 });
    });
    loadNetInto(ckpt, 'G', g.params);
    generator = {
      latentDim: spec.latentDim,
      conditional: false,
      // Batch statistics, as in training: sample in batches of a few dozen or more.
      sample: (z) => g.apply(z, { training: true, seed: 0 }),
      latent: (n, seed) => sampleLatent(spec.arch, n, spec.latentDim, seed),
    };
  }
  return {
    dir,
    record,
    result,
    numClasses: spec.numClasses,
    imageShape: spec.imageShape,
    classify: (x) => D.apply(x, { training: false, seed: 0 }).logits,
    features: (x) => D.apply(x, { training: false, seed: 0 }).features,
    discriminate: (x) => {
      const o = D.apply(x, { training: false, seed: 0 });
      return { logits: o.logits, fakeLogit: o.fakeLogit };
    },
    generator,
    dispose() {
      D.params.dispose();
      G?.params.dispose();
    },
  };
}
