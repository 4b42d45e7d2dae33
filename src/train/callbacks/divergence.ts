import type { Callback } from '../callback.ts';

/**
 * Stops the run when a loss is NaN or explodes past `threshold` (Keras' TerminateOnNaN): the
 * step is not recorded, and the checkpoint callback rolls back to the last good checkpoint.
 */
export function divergence(threshold: number): Callback {
  return {
    name: 'divergence',
    onStepEnd(ctx, logs) {
      const losses = Object.entries(logs).filter(([k]) => k.startsWith('loss'));
      const worst = Math.max(0, ...losses.map(([, v]) => Math.abs(v)));
      if (Number.isFinite(worst) && worst <= threshold) return;
      const values = losses.map(([k, v]) => `${k} ${v}`).join(', ');
      ctx.log(`loss diverged at step ${ctx.step - 1} (${values}): stopping, keeping the last good checkpoint`);
      ctx.stop('nan', { abort: true });
    },
  };
}
