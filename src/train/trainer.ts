import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { selectBackend } from '../backend/select.ts';
import { gatherImages, gatherLabels, IndexStream } from '../data/batch.ts';
import { loadDataset } from '../data/datasets.ts';
import { readIdxPair } from '../data/idx.ts';
import { splitLabels } from '../data/split.ts';
import { imageLoadOptions } from '../data/options.ts';
import type { Dataset, ImageSet } from '../data/types.ts';
import { accuracyOf, evaluate, predict } from '../eval/evaluate.ts';
import { buildDiscriminator, buildGenerator, sampleLatent } from '../models/index.ts';
import type { Discriminator, Generator, ModelSpec } from '../models/types.ts';
import { describeEnvironment } from '../run/record.ts';
import type { LoadedRun, MetricsRow, RunRecord, RunResult } from '../run/types.ts';
import type { Judged } from '../quality/measure.ts';
import { appendJsonl, writeFileAtomic, writeJsonAtomic } from '../util/fs.ts';
import { writeGridPng } from '../util/png.ts';
import { createRng } from '../util/random.ts';
import { checkCollapse } from '../quality/collapse.ts';
import { shiftImages } from './augment.ts';
import { hasCheckpoint, loadNetInto, readState, restoreOptimizer, saveCheckpoint } from './checkpoint.ts';
import { methodName, type TrainConfig } from './config.ts';
import { copyParams, updateEma } from './ema.ts';
import { adam } from './adam.ts';
import { lrSchedule } from './schedule.ts';
import { discriminatorStep, generatorStep, stepSeeds, type StepLosses } from './steps.ts';
import { secondOrderGradientsWork } from '../backend/capabilities.ts';

export interface TrainOptions {
  resume?: boolean;
  log?: (msg: string) => void;
  /** Show a progress bar on stderr (only drawn on a TTY). */
  progress?: boolean;
  /** Called after each step; tests use it to watch tensors. */
  onStep?: (step: number, losses: StepLosses) => void;
}

/** Test for a stop of the NaN/explosion kind; the caller restores the last checkpoint. */
class Diverged extends Error {}

/** The labelled examples as their own ImageSet, plus any generated augmentation images. */
function labelledSet(ds: Dataset, indices: Int32Array, augmentWith?: string): ImageSet {
  const t = ds.train;
  const size = t.height * t.width * t.channels;
  let extraImages: Uint8Array = new Uint8Array(0);
  let extraLabels: Uint8Array = new Uint8Array(0);
  if (augmentWith) {
    const { images, labels } = readIdxPair(
      join(augmentWith, 'images-idx3-ubyte'),
      join(augmentWith, 'labels-idx1-ubyte'),
    );
    const [, h, w] = images.dims;
    const c = images.dims[3] ?? 1;
    if (h !== t.height || w !== t.width || c !== t.channels) {
      throw new Error(
        `--augment-with ${augmentWith}: images are ${h}x${w}x${c}, the dataset's are ${t.height}x${t.width}x${t.channels}`,
      );
    }
    for (const y of labels.data)
      if (y >= ds.numClasses)
        throw new Error(`--augment-with ${augmentWith}: label ${y} is outside the dataset's ${ds.numClasses} classes`);
    extraImages = images.data;
    extraLabels = labels.data;
  }
  const count = indices.length + extraLabels.length;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  indices.forEach((ix, i) => {
    images.set(t.images.subarray(ix * size, (ix + 1) * size), i * size);
    labels[i] = t.labels[ix];
  });
  images.set(extraImages, indices.length * size);
  labels.set(extraLabels, indices.length);
  return { images, labels, count, height: t.height, width: t.width, channels: t.channels };
}

function batchTensor(set: ImageSet, idx: Int32Array): tf.Tensor4D {
  return tf.tensor4d(gatherImages(set, idx), [idx.length, set.height, set.width, set.channels]);
}

export async function train(cfg: TrainConfig, opts: TrainOptions = {}): Promise<RunResult> {
  const log = opts.log ?? (() => {});
  const backend = await selectBackend({ backend: cfg.backend, native: cfg.native });
  log(`backend: ${backend.description}`);
  if (cfg.gan === 'wgan-gp' && cfg.kind === 'gan' && !secondOrderGradientsWork()) {
    log(`--gan wgan-gp: second-order gradients fail on the ${backend.name} backend; falling back to --gan wgan-clip`);
    cfg = { ...cfg, gan: 'wgan-clip' };
  }
  const ds = await loadDataset(cfg.dataset, {
    ...imageLoadOptions(cfg),
    progress: opts.progress,
    dataDir: cfg.dataDir,
    cacheDir: cfg.cacheDir,
    offline: cfg.offline,
    log,
  });
  const K = ds.numClasses;
  const split = splitLabels(ds.train, K, {
    labels: cfg.labelFraction === undefined ? cfg.labels : undefined,
    labelFraction: cfg.labelFraction,
    validationPerClass: cfg.validationPerClass,
    seed: cfg.seed,
    classNames: ds.classNames,
  });
  const lab = labelledSet(ds, split.labelled, cfg.augmentWith);
  const isGan = cfg.kind === 'gan';
  // The paper uses every training image as unlabelled data, labelled ones included.
  const pool = Int32Array.from([...split.labelled, ...split.unlabelled]).sort();
  const { height: H, width: W, channels: C } = ds.train;
  const spec: ModelSpec = {
    arch: cfg.arch,
    head: cfg.head,
    imageShape: [H, W, C],
    numClasses: K,
    latentDim: cfg.latentDim,
    initSeed: createRng(cfg.seed, 'init').seedInt(),
    minibatchDisc: isGan && cfg.minibatchDisc,
    minibatchGroup: cfg.batchSize,
  };

  const runDir = cfg.runDir;
  const ckptDir = join(runDir, 'checkpoint');
  const resuming = !!opts.resume && hasCheckpoint(ckptDir);
  if (opts.resume && !resuming) log(`--resume: no checkpoint in ${ckptDir}; starting from scratch`);
  if (!resuming) {
    for (const f of ['metrics.jsonl', 'result.json', 'samples.png']) rmSync(join(runDir, f), { force: true });
  }

  const D = buildDiscriminator(spec);
  const Dema = buildDiscriminator(spec);
  const G: Generator | null = isGan ? buildGenerator(spec) : null;

  // Data-dependent init from up to `initBatch` images: the pool for GANs, only labelled images for baselines.
  const initRng = createRng(cfg.seed, 'init-batch');
  const initSource = isGan ? pool : Int32Array.from({ length: lab.count }, (_, i) => i);
  const initIdx = initRng.shuffle(Int32Array.from(initSource)).slice(0, cfg.initBatch);
  tf.tidy(() => {
    const x = batchTensor(isGan ? ds.train : lab, initIdx);
    D.apply(x, { training: true, init: true, seed: initRng.seedInt() });
    Dema.apply(tf.slice(x, 0, 1), { training: false, seed: 0 });
    if (G)
      G.apply(sampleLatent(spec.arch, cfg.batchSize, spec.latentDim, initRng.seedInt()), {
        training: true,
        init: true,
        seed: initRng.seedInt(),
      });
  });
  copyParams(Dema.params, D.params);

  const optD = adam(cfg.lr, cfg.beta1, cfg.beta2, cfg.adamEpsilon);
  const optG = isGan ? adam(cfg.lr, cfg.beta1, cfg.beta2, cfg.adamEpsilon) : null;

  const stepsPerEpoch = Math.max(1, Math.floor(ds.train.count / cfg.batchSize));
  const maxSteps = Math.min(cfg.steps ?? Infinity, cfg.epochs !== undefined ? cfg.epochs * stepsPerEpoch : Infinity);
  const budgetSeconds = cfg.budgetMinutes !== undefined ? cfg.budgetMinutes * 60 : Infinity;

  let step = 0;
  let priorSeconds = 0;
  if (resuming) {
    const state = readState(ckptDir);
    restoreNets(ckptDir, D, Dema, G);
    await restoreOptimizer(ckptDir, 'D', optD);
    if (G && optG) await restoreOptimizer(ckptDir, 'G', optG);
    step = state.step;
    priorSeconds = Number(state.extra.wallSeconds ?? 0);
    truncateMetrics(join(runDir, 'metrics.jsonl'), step);
    log(`resuming ${runDir} at step ${step}`);
  }

  const env = await describeEnvironment(backend);
  const record: RunRecord = {
    kind: cfg.kind,
    method: methodName(cfg),
    config: { ...cfg },
    environment: env,
    data: {
      name: ds.name,
      checksum: ds.checksum,
      source: ds.source,
      numClasses: K,
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
  writeJsonAtomic(join(runDir, 'run.json'), {
    ...record,
    labelledIndices: Array.from(split.labelled),
    augmentCount: lab.count - split.labelled.length,
    resumedAtStep: resuming ? step : undefined,
  });
  log(
    `${record.method} on ${ds.name}: ${split.labelled.length} labelled${lab.count > split.labelled.length ? ` + ${lab.count - split.labelled.length} generated` : ''}, ${isGan ? `${pool.length} unlabelled, ` : ''}${ds.test.count} test; run folder ${runDir}`,
  );

  // Index streams are replayed up to `step` on resume, so the batches continue exactly.
  const labStream = new IndexStream(
    Int32Array.from({ length: lab.count }, (_, i) => i),
    createRng(cfg.seed, 'labelled'),
  );
  const unlStream = new IndexStream(pool, createRng(cfg.seed, 'unlabelled'));
  const unlStream2 = new IndexStream(pool, createRng(cfg.seed, 'unlabelled-g'));
  for (let i = 0; i < step; i++) {
    labStream.next(cfg.batchSize);
    if (isGan) {
      unlStream.next(cfg.batchSize);
      unlStream2.next(cfg.batchSize);
    }
  }

  // Only a run bounded in steps decays: a 5-minute semi-supervised run is still in the phase
  // where the generator catches up, and decaying by wall time there cost ~2 accuracy points.
  const lrAt = (t: number) => lrSchedule(cfg, Number.isFinite(maxSteps) ? t / maxSteps : 0);
  const classify = (x: tf.Tensor4D) => Dema.apply(x, { training: false, seed: 0 }).logits;
  const save = async (extra: Record<string, unknown>) => {
    const nets: Record<string, typeof D.params> = { D: D.params, 'D-ema': Dema.params };
    if (G) nets.G = G.params;
    const optimizers: Record<string, tf.Optimizer> = { D: optD };
    if (optG) optimizers.G = optG;
    await saveCheckpoint(ckptDir, { nets, optimizers, state: { step, spec, extra } });
  };
  if (!resuming) await save({ wallSeconds: 0 });

  // Generator quality scores need a classifier that is not D: the cached reference classifier.
  let quality: { ref: LoadedRun; real: Judged } | null = null;
  if (G && cfg.qualityEvery > 0) {
    const { referenceClassifier } = await import('../quality/reference.ts');
    const { judgeImages } = await import('../quality/measure.ts');
    const { run: ref } = await referenceClassifier(cfg.dataset, {
      dataDir: cfg.dataDir,
      seed: cfg.seed,
      steps: cfg.referenceSteps,
      log,
    });
    quality = {
      ref,
      real: judgeImages(
        ref,
        ds.test,
        Int32Array.from({ length: Math.min(cfg.qualityCount, ds.test.count) }, (_, i) => i),
      ),
    };
  }

  const t0 = performance.now();
  const elapsed = () => priorSeconds + (performance.now() - t0) / 1000;
  const bar =
    opts.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format:
              '{bar} step {value}{total} | ep {epoch} | Llab {lab} Lunl {unl} Lgen {gen} | acc {acc} | {ips} img/s',
            hideCursor: true,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(Number.isFinite(maxSteps) ? maxSteps : 0, step, {
    total: '',
    epoch: 0,
    lab: '-',
    unl: '-',
    gen: '-',
    acc: '-',
    ips: '-',
  });

  let stoppedBy = 'steps';
  let lastLog = performance.now();
  let lastLogStep = step;
  const acc = { lab: 0, unl: 0, gen: 0, accLab: 0, n: 0 };
  try {
    while (true) {
      if (step >= maxSteps) {
        stoppedBy = cfg.steps !== undefined && step >= cfg.steps ? 'steps' : 'epochs';
        break;
      }
      if (elapsed() >= budgetSeconds) {
        stoppedBy = 'budget';
        break;
      }
      const s = stepSeeds(cfg.seed, step);
      setLearningRate(optD, lrAt(step));
      if (optG) setLearningRate(optG, lrAt(step) * cfg.gLrMult);
      const labIdx = labStream.next(cfg.batchSize);
      const xLabData = gatherImages(lab, labIdx);
      if (cfg.augment === 'shift') shiftImages(xLabData, labIdx.length, H, W, C, createRng(cfg.seed, `shift/${step}`));
      const xLab = tf.tensor4d(xLabData, [labIdx.length, H, W, C]);
      const yLab = tf.tensor1d(gatherLabels(lab, labIdx), 'int32');
      const xUnl = isGan ? batchTensor(ds.train, unlStream.next(cfg.batchSize)) : undefined;
      const xUnl2 = isGan ? batchTensor(ds.train, unlStream2.next(cfg.batchSize)) : undefined;
      let losses: StepLosses;
      try {
        losses = discriminatorStep(cfg, spec, D, G, optD, { xLab, yLab, xUnl, xUnl2 }, s);
        updateEma(Dema.params, D.params, cfg.emaDecay, step);
        if (G && optG && xUnl2) {
          for (let k = 0; k < cfg.gSteps; k++)
            losses.lossGen = generatorStep(
              cfg,
              spec,
              D,
              G,
              optG,
              xUnl2,
              k === 0 ? s : stepSeeds(cfg.seed + 7919 * k, step),
            );
        }
      } finally {
        tf.dispose([xLab, yLab, xUnl, xUnl2].filter((t) => t !== undefined) as tf.Tensor[]);
      }
      const worst = Math.max(Math.abs(losses.lossLab), Math.abs(losses.lossUnl), isGan ? Math.abs(losses.lossGen) : 0);
      if (!Number.isFinite(worst) || worst > cfg.explodeThreshold) {
        throw new Diverged(
          `loss diverged at step ${step} (lab ${losses.lossLab}, unl ${losses.lossUnl}, gen ${losses.lossGen})`,
        );
      }
      step++;
      opts.onStep?.(step, losses);
      acc.lab += losses.lossLab;
      acc.unl += losses.lossUnl;
      acc.gen += isGan ? losses.lossGen : 0;
      acc.accLab += losses.accLab;
      acc.n++;
      const epochDone = step % stepsPerEpoch === 0;
      if (step % cfg.logEvery === 0 || epochDone) {
        const now = performance.now();
        const ips = ((step - lastLogStep) * cfg.batchSize * (isGan ? 3 : 1)) / ((now - lastLog) / 1000);
        const row: MetricsRow = {
          step,
          epoch: step / stepsPerEpoch,
          wallSeconds: elapsed(),
          lossLab: acc.lab / acc.n,
          lossUnl: isGan ? acc.unl / acc.n : null,
          lossGen: isGan ? acc.gen / acc.n : null,
          trainAccuracy: acc.accLab / acc.n,
          imagesPerSecond: ips,
          lr: lrAt(step),
        };
        if (epochDone) {
          // Reported, never used to choose anything: checkpoints are not picked on the test set.
          row.testAccuracy = accuracyOf(predict(classify, ds.test), ds.test);
          if (G) {
            // Mode-collapse guard: classify 500 samples, watch the spread of their classes.
            const pred = tf.tidy(() => {
              const xs = [0, 1, 2, 3, 4].map((k) =>
                G.apply(sampleLatent(spec.arch, 100, spec.latentDim, s.zG + 104729 * (k + 1)), {
                  training: true,
                  seed: 0,
                }),
              );
              return tf.argMax(classify(tf.concat(xs) as tf.Tensor4D), 1).dataSync();
            });
            const check = checkCollapse(pred, K);
            if (quality && Math.round(step / stepsPerEpoch) % cfg.qualityEvery === 0) {
              const { judgeGenerator, scoreOf, distance } = await import('../quality/measure.ts');
              const asRun = {
                dir: runDir,
                record,
                generator: {
                  latentDim: spec.latentDim,
                  conditional: false,
                  sample: (z: tf.Tensor2D) => G.apply(z, { training: true, seed: 0 }),
                  latent: (n: number, sd: number) => sampleLatent(spec.arch, n, spec.latentDim, sd),
                },
              } as unknown as LoadedRun;
              const fake = judgeGenerator(quality.ref, asRun, cfg.qualityCount, cfg.seed + step);
              row.classifierScore = scoreOf(fake);
              row.frechetDistance = distance(quality.real, fake);
            }
            row.sampleClassEntropy = check.classEntropy;
            if (check.warning) log(`epoch ${Math.round(step / stepsPerEpoch)}: ${check.warning}`);
          }
          if (split.validation.length)
            row.validationAccuracy = accuracyOf(
              predict(classify, ds.train, split.validation),
              ds.train,
              split.validation,
            );
          if (!bar)
            log(
              `epoch ${Math.round(step / stepsPerEpoch)} step ${step}: test accuracy ${(row.testAccuracy * 100).toFixed(2)}%${row.validationAccuracy !== undefined ? `, validation ${((row.validationAccuracy as number) * 100).toFixed(2)}%` : ''}, ${ips.toFixed(0)} img/s`,
            );
        }
        appendJsonl(join(runDir, 'metrics.jsonl'), row);
        bar?.update(step, {
          epoch: (step / stepsPerEpoch).toFixed(1),
          lab: (acc.lab / acc.n).toFixed(3),
          unl: isGan ? (acc.unl / acc.n).toFixed(3) : '-',
          gen: isGan ? (acc.gen / acc.n).toFixed(4) : '-',
          acc: (acc.accLab / acc.n).toFixed(3),
          ips: ips.toFixed(0),
        });
        Object.assign(acc, { lab: 0, unl: 0, gen: 0, accLab: 0, n: 0 });
        lastLog = now;
        lastLogStep = step;
      }
      if (step % cfg.checkpointEvery === 0) await save({ wallSeconds: elapsed() });
    }
  } catch (e) {
    if (!(e instanceof Diverged)) throw e;
    stoppedBy = 'nan';
    log(`${e.message}: stopping, keeping the last good checkpoint (step ${readState(ckptDir).step})`);
    restoreNets(ckptDir, D, Dema, G);
    step = readState(ckptDir).step;
  } finally {
    bar?.stop();
  }
  const wallSeconds = elapsed();
  if (stoppedBy !== 'nan') await save({ wallSeconds });

  const ev = evaluate(classify, ds.test, ds.classNames);
  const valAcc = split.validation.length
    ? accuracyOf(predict(classify, ds.train, split.validation), ds.train, split.validation)
    : null;
  if (G) {
    const imgs = tf.tidy(() =>
      G.apply(sampleLatent(spec.arch, 100, spec.latentDim, createRng(cfg.seed, 'samples').seedInt()), {
        training: true,
        seed: 0,
      }),
    );
    writeGridPng(join(runDir, 'samples.png'), imgs.dataSync(), 100, H, W, C, 10);
    imgs.dispose();
  }
  const result: RunResult = {
    kind: cfg.kind,
    method: record.method,
    dataset: ds.name,
    labels: cfg.labelFraction !== undefined ? split.labelled.length : cfg.labels,
    seed: cfg.seed,
    accuracy: ev.accuracy,
    error: ev.error,
    validationAccuracy: valAcc,
    steps: step,
    epochs: step / stepsPerEpoch,
    wallSeconds,
    stoppedBy,
    backend: backend.description,
    versions: { ssgan: env.ssgan, tfjs: env.tfjs, node: env.node },
    dataChecksum: ds.checksum,
    confusion: ev.confusion,
    classNames: ds.classNames,
    finishedAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(runDir, 'result.json'), result);
  log(
    `${record.method}: test accuracy ${(ev.accuracy * 100).toFixed(2)}% (error ${(ev.error * 100).toFixed(2)}%) after ${step} steps, ${wallSeconds.toFixed(0)} s, stopped by ${stoppedBy}`,
  );

  quality?.ref.dispose();
  D.params.dispose();
  Dema.params.dispose();
  G?.params.dispose();
  optD.dispose();
  optG?.dispose();
  return result;
}

function restoreNets(ckptDir: string, D: Discriminator, Dema: Discriminator, G: Generator | null): void {
  loadNetInto(ckptDir, 'D', D.params);
  loadNetInto(ckptDir, 'D-ema', Dema.params);
  if (G) loadNetInto(ckptDir, 'G', G.params);
}

/** Drops metric rows written after the checkpoint a run resumes from, so none appear twice. */
function truncateMetrics(path: string, step: number): void {
  if (!existsSync(path)) return;
  const keep = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l && JSON.parse(l).step <= step);
  writeFileAtomic(path, keep.map((l) => l + '\n').join(''));
}

/** tfjs reads `learningRate` at every update but exposes no setter; the linear decay needs one. */
function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

export function readResult(runDir: string): RunResult | null {
  const p = join(runDir, 'result.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}
