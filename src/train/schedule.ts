import type { TrainConfig } from './config.ts';

/**
 * Learning rate at `progress` in [0, 1] of a run's steps: constant, then linear decay to 0 from
 * `lrDecayStart`. Progress 0 (a run with no known end) keeps the base rate.
 */
export function lrSchedule(cfg: Pick<TrainConfig, 'lr' | 'lrDecay' | 'lrDecayStart'>, progress: number): number {
  if (cfg.lrDecay === 'none' || progress <= cfg.lrDecayStart) return cfg.lr;
  return cfg.lr * Math.max(0, (1 - progress) / (1 - cfg.lrDecayStart));
}
