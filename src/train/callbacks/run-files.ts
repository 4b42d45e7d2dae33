import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { accuracyOf, evaluate, predict } from '../../eval/evaluate.ts';
import { describeEnvironment, type Environment } from '../../run/record.ts';
import type { RunRecord, RunResult } from '../../run/types.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { writeGridPng } from '../../util/png.ts';
import { createRng } from '../../util/random.ts';
import type { Callback } from '../callback.ts';
import type { TrainContext } from '../context.ts';

/**
 * The run folder's record files: run.json (config, environment, data, split) when training
 * begins; samples.png and result.json (the final test evaluation) when it ends.
 */
export function runFiles(runName: string, extensions?: unknown[]): Callback & { result(): RunResult } {
  let env: Environment;
  let record: RunRecord;
  let result: RunResult | null = null;
  return {
    name: 'run-files',
    async onTrainBegin(ctx) {
      const { cfg, ds, split, method } = ctx;
      env = await describeEnvironment(ctx.backend);
      record = {
        kind: cfg.kind,
        method: runName,
        config: { ...cfg },
        environment: env,
        data: {
          name: ds.name,
          checksum: ds.checksum,
          source: ds.source,
          numClasses: ds.numClasses,
          trainCount: ds.train.count,
          testCount: ds.test.count,
          provenance: ds.provenance,
        },
        split: {
          labelledCount: split.labelled.length,
          unlabelledCount: split.unlabelled.length,
          validationCount: split.validation.length,
          labelledHash: split.labelledHash,
        },
        startedAt: new Date().toISOString(),
      };
      writeJsonAtomic(join(ctx.runDir, 'run.json'), {
        ...record,
        labelledIndices: Array.from(split.labelled),
        ...method.recordExtras(),
        resumedAtStep: ctx.resuming ? ctx.step : undefined,
        // Every change of the bounds across resumes (src/run/resume.ts).
        extensions,
      });
      ctx.log(`${runName} on ${ds.name}: ${method.describeData()}, ${ds.test.count} test; run folder ${ctx.runDir}`);
    },
    onTrainEnd(ctx) {
      // An interrupted run has no result yet: bench and workers read result.json as "done".
      if (ctx.stoppedBy === 'interrupted') return;
      const { cfg, ds, split, method } = ctx;
      const classify = method.classify.bind(method);
      const ev = evaluate(classify, ds.test, ds.classNames);
      const valAcc = split.validation.length
        ? accuracyOf(predict(classify, ds.train, split.validation), ds.train, split.validation)
        : null;
      writeSamples(ctx);
      const wallSeconds = ctx.clock.elapsed();
      result = {
        kind: cfg.kind,
        method: runName,
        dataset: ds.name,
        labels: cfg.labelFraction !== undefined ? split.labelled.length : cfg.labels,
        seed: cfg.seed,
        accuracy: ev.accuracy,
        error: ev.error,
        validationAccuracy: valAcc,
        steps: ctx.step,
        epochs: ctx.step / ctx.stepsPerEpoch,
        wallSeconds,
        stoppedBy: ctx.stoppedBy ?? 'steps',
        backend: ctx.backend.description,
        versions: { ssgan: env.ssgan, tfjs: env.tfjs, node: env.node },
        dataChecksum: ds.checksum,
        confusion: ev.confusion,
        classNames: ds.classNames,
        finishedAt: new Date().toISOString(),
      };
      writeJsonAtomic(join(ctx.runDir, 'result.json'), result);
      const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
      const how = `after ${ctx.step} steps, ${wallSeconds.toFixed(0)} s, stopped by ${result.stoppedBy}`;
      ctx.log(`${runName}: test accuracy ${pct(ev.accuracy)} (error ${pct(ev.error)}) ${how}`);
    },
    result() {
      if (!result) throw new Error('the run ended before its result was written');
      return result;
    },
  };
}

/** A 10x10 grid of the generator's samples, for methods that have one. */
function writeSamples(ctx: TrainContext): void {
  const gen = ctx.method.generator;
  if (!gen) return;
  const [H, W, C] = ctx.method.spec.imageShape;
  const imgs = tf.tidy(() => gen.sample(gen.latent(100, createRng(ctx.cfg.seed, 'samples').seedInt())));
  writeGridPng(join(ctx.runDir, 'samples.png'), imgs.dataSync(), 100, H, W, C, 10);
  imgs.dispose();
}
