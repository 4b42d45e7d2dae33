import type { Callback } from '../callback.ts';

/** Sets the method's learning rate before each step and notes it in the metrics row. */
export function lrSchedule(): Callback {
  return {
    name: 'lr-schedule',
    onStepBegin(ctx) {
      ctx.method.setLearningRate(ctx.lrAt(ctx.step));
    },
    onStepEnd(ctx) {
      ctx.row.lr = ctx.lrAt(ctx.step);
    },
  };
}
