import { dispatch } from './callback.ts';
import type { TrainContext } from './context.ts';

/**
 * The only training loop: count steps, ask the method for each, and let the callbacks do the
 * rest. It stops at the step bound or when a callback calls `ctx.stop`.
 */
export async function runLoop(ctx: TrainContext): Promise<void> {
  const { callbacks, cfg } = ctx;
  try {
    await dispatch(callbacks, 'onTrainBegin', ctx);
    ctx.method.seek(ctx.step);
    ctx.clock.start();
    while (ctx.stoppedBy === null) {
      if (ctx.step >= ctx.maxSteps) {
        ctx.stop(cfg.steps !== undefined && ctx.step >= cfg.steps ? 'steps' : 'epochs');
        break;
      }
      await dispatch(callbacks, 'onStepBegin', ctx);
      if (ctx.stoppedBy !== null) break;
      const logs = ctx.method.trainStep(ctx.step);
      ctx.step++;
      await dispatch(callbacks, 'onStepEnd', ctx, logs);
      if (ctx.aborted) break;
      if (ctx.step % ctx.stepsPerEpoch === 0) await dispatch(callbacks, 'onEpochEnd', ctx, logs);
    }
    ctx.clock.stop();
    await dispatch(callbacks, 'onTrainEnd', ctx);
  } catch (e) {
    await dispatch(callbacks, 'onException', ctx, e);
    throw e;
  }
}
