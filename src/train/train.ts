import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../backend/select.ts';
import type { TrainConfig } from '../config/train-config.ts';
import { loadDataset } from '../data/datasets.ts';
import { imageLoadOptions } from '../data/options.ts';
import { splitLabels } from '../data/split.ts';
import { methodDefinition } from '../methods/registry.ts';
import { QUALITY_DEFAULTS, TRAIN_DEFAULTS } from '../config/defaults.ts';
import { defaultsOf } from '../config/options.ts';
import { checkResume } from '../run/resume.ts';
import { checkRunDir } from '../run/run-dir.ts';
import type { RunResult } from '../run/types.ts';
import type { Callback, StepLogs } from './callback.ts';
import { budget } from './callbacks/budget.ts';
import { checkpointing } from './callbacks/checkpoint.ts';
import { collapseGuard } from './callbacks/collapse.ts';
import { divergence } from './callbacks/divergence.ts';
import { TrainingInterrupted } from './callbacks/interrupt.ts';
import { evaluation } from './callbacks/evaluation.ts';
import { lrSchedule } from './callbacks/lr-schedule.ts';
import { metricsJsonl } from './callbacks/metrics-jsonl.ts';
import { progress } from './callbacks/progress.ts';
import { runFiles } from './callbacks/run-files.ts';
import { clearCheckpoints, hasCheckpoint, readState } from './checkpoint.ts';
import { Clock, type TrainContext } from './context.ts';
import { runLoop } from './loop.ts';
import { restoreRun } from './restore.ts';
import { lrSchedule as lrAtProgress } from './schedule.ts';

export interface TrainOptions {
  resume?: boolean;
  log?: (msg: string) => void;
  /** Show a progress bar on stderr (only drawn on a TTY). */
  progress?: boolean;
  /** Called after each step; tests use it to watch tensors. */
  onStep?: (step: number, logs: StepLogs) => void;
  /** More callbacks (e.g. generator quality scores), run after the built-in evaluations. */
  callbacks?: Callback[];
}

/**
 * Trains one run of `cfg.method` into `cfg.runDir`: data, the method's networks, then the loop
 * with the callbacks that write the run folder. Returns what result.json holds.
 */
export async function train(given: TrainConfig, opts: TrainOptions = {}): Promise<RunResult> {
  const log = opts.log ?? (() => {});
  checkRunDir(given.runDir);
  const backend = await selectBackend({ backend: given.backend, native: given.native });
  log(`backend: ${backend.description}`);
  const def = methodDefinition(given.method);
  const cfg = def.adapt ? def.adapt(given, { log, backend: backend.name }) : given;
  const ds = await loadDataset(cfg.dataset, {
    ...imageLoadOptions(cfg),
    progress: opts.progress,
    dataDir: cfg.dataDir,
    cacheDir: cfg.cacheDir,
    offline: cfg.offline,
    log,
  });
  const split = splitLabels(ds.train, ds.numClasses, {
    labels: cfg.labelFraction === undefined ? cfg.labels : undefined,
    labelFraction: cfg.labelFraction,
    validationPerClass: cfg.validationPerClass,
    seed: cfg.seed,
    classNames: ds.classNames,
  });

  const runDir = cfg.runDir;
  const ckptDir = join(runDir, 'checkpoint');
  const resuming = !!opts.resume && hasCheckpoint(ckptDir);
  if (opts.resume && !resuming) log(`--resume: no checkpoint in ${ckptDir}; starting from scratch`);
  if (!resuming) {
    for (const f of ['metrics.jsonl', 'result.json', 'samples.png']) rmSync(join(runDir, f), { force: true });
    clearCheckpoints(ckptDir);
  }
  // A resume must continue the run its folder holds: settings that change the numbers must match.
  const extensions = resuming
    ? checkResume(runDir, cfg, ds.checksum, readState(ckptDir).step, log, {
        ...TRAIN_DEFAULTS,
        ...QUALITY_DEFAULTS,
        ...defaultsOf(def.options),
        method: cfg.method,
        kind: cfg.kind,
      }).extensions
    : undefined;

  const method = def.create({ cfg, ds, split, log });
  try {
    const stepsPerEpoch = Math.max(1, Math.floor(ds.train.count / cfg.batchSize));
    const maxSteps = Math.min(cfg.steps ?? Infinity, cfg.epochs !== undefined ? cfg.epochs * stepsPerEpoch : Infinity);
    const files = runFiles(def.runName(cfg), extensions);
    // Order matters: a step is judged (divergence) before anything records it, the evaluations
    // fill the row before it is written, and the checkpoint is taken after the row.
    const callbacks: Callback[] = [
      divergence(cfg.explodeThreshold),
      ...(opts.onStep
        ? [{ name: 'on-step', onStepEnd: (c: TrainContext, l: StepLogs) => opts.onStep!(c.step, l) }]
        : []),
      lrSchedule(),
      ...(cfg.budgetMinutes !== undefined ? [budget(cfg.budgetMinutes)] : []),
      evaluation(),
      collapseGuard(),
      ...(opts.callbacks ?? []),
      metricsJsonl(cfg.logEvery),
      progress(!!opts.progress),
      checkpointing(cfg.checkpointEvery, cfg.keepCheckpoints),
      files,
    ];
    const ctx: TrainContext = {
      cfg,
      ds,
      split,
      method,
      backend,
      runDir,
      resuming,
      log,
      stepsPerEpoch,
      maxSteps,
      clock: new Clock(),
      callbacks,
      step: 0,
      row: {},
      lastRow: null,
      stoppedBy: null,
      aborted: false,
      stop(reason, o) {
        this.stoppedBy ??= reason;
        if (o?.abort) this.aborted = true;
      },
      // Only a run bounded in steps decays: a 5-minute semi-supervised run is still in the phase
      // where the generator catches up, and decaying by wall time there cost ~2 accuracy points.
      lrAt: (t) => lrAtProgress(cfg, Number.isFinite(maxSteps) ? t / maxSteps : 0),
    };
    if (resuming) {
      ctx.step = await restoreRun(ckptDir, method, callbacks, ctx.clock);
      log(`resuming ${runDir} at step ${ctx.step}`);
    }
    await runLoop(ctx);
    if (ctx.stoppedBy === 'interrupted') throw new TrainingInterrupted(`${runDir}: interrupted at step ${ctx.step}`);
    return files.result();
  } finally {
    method.dispose();
  }
}

export function readResult(runDir: string): RunResult | null {
  const p = join(runDir, 'result.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}
