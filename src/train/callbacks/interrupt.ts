import type { Callback } from '../callback.ts';

/** A run stopped by a signal: its last step is checkpointed, and `--resume` continues it. */
export class TrainingInterrupted extends Error {}

/**
 * SIGTERM or SIGINT (a stopping worker, a preempted machine, Ctrl-C) ends the run at the next
 * step boundary, where the checkpoint callback saves it; a second signal gets the default (exit).
 * Wired by the CLI only: a library caller keeps its own signal handling.
 */
export function stopOnSignals(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Callback {
  let caught: NodeJS.Signals | null = null;
  const on = (s: NodeJS.Signals) => () => {
    caught = s;
  };
  const handlers = signals.map((s) => [s, on(s)] as const);
  const remove = () => {
    for (const [s, h] of handlers) process.removeListener(s, h);
  };
  return {
    name: 'signals',
    onTrainBegin() {
      for (const [s, h] of handlers) process.once(s, h);
    },
    async onStepBegin(ctx) {
      // Signals arrive as event-loop tasks, which a loop of resolved promises never lets run.
      await new Promise((resolve) => setImmediate(resolve));
      if (caught) ctx.stop('interrupted');
    },
    onTrainEnd(ctx) {
      remove();
      if (ctx.stoppedBy === 'interrupted')
        ctx.log(`${caught}: stopped at step ${ctx.step}, checkpoint saved; --resume continues the run`);
    },
    onException: remove,
  };
}
