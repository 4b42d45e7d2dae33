import type { Callback } from '../callback.ts';

/**
 * A wall-time bound (Lightning's Timer): the clock it reads survives a resume through the
 * checkpoint, so a resumed run gets only what is left of its budget.
 */
export function budget(minutes: number): Callback {
  const seconds = minutes * 60;
  return {
    name: 'budget',
    onStepBegin(ctx) {
      if (ctx.clock.elapsed() >= seconds) ctx.stop('budget');
    },
  };
}
