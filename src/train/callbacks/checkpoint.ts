import { join } from 'node:path';
import type { Callback } from '../callback.ts';
import { saveCheckpoint } from '../checkpoint.ts';
import type { TrainContext } from '../context.ts';
import { checkpointExtra, restoreNets } from '../resume.ts';

/**
 * Saves every `every` steps, at the start and at the end. A save comes after everything else of
 * its step was written (the epoch's metrics row included), so a run resumed from it has every
 * row up to it. A diverged run is rolled back to its last checkpoint instead.
 */
export function checkpointing(every: number): Callback {
  const dirOf = (ctx: TrainContext) => join(ctx.runDir, 'checkpoint');
  const save = (ctx: TrainContext) =>
    saveCheckpoint(dirOf(ctx), {
      nets: ctx.method.nets(),
      optimizers: ctx.method.optimizers(),
      state: { step: ctx.step, spec: ctx.method.spec, extra: { ...checkpointExtra(ctx.clock, ctx.callbacks) } },
    });
  return {
    name: 'checkpoint',
    async onTrainBegin(ctx) {
      if (!ctx.resuming) await save(ctx);
    },
    async onStepEnd(ctx) {
      if (ctx.step % every === 0 && ctx.step % ctx.stepsPerEpoch !== 0) await save(ctx);
    },
    async onEpochEnd(ctx) {
      if (ctx.step % every === 0) await save(ctx);
    },
    async onTrainEnd(ctx) {
      if (ctx.stoppedBy !== 'nan') return save(ctx);
      ctx.step = restoreNets(dirOf(ctx), ctx.method);
      ctx.log(`rolled back to the checkpoint of step ${ctx.step}`);
    },
  };
}
