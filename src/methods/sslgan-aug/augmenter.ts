import type { OptionsOf } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import { flipImages, shiftImages } from '../../data/augment.ts';
import type { ImageSet } from '../../data/types.ts';
import { createRng } from '../../util/random.ts';
import type { Augment } from '../shared/real-batch.ts';

export const AUG_OPTIONS = {
  augShift: { type: 'int', default: 2, min: 0, max: 16, describe: 'random shifts of real images, in pixels' },
  augFlip: { type: 'boolean', default: false, describe: 'random left-right flips of real images (photos)' },
} as const;
export type AugConfig = TrainConfig & OptionsOf<typeof AUG_OPTIONS>;

/** "-shift4" for other shifts than the default, "-flip" for flips: two recipes never share a run name. */
export function augSuffix(cfg: TrainConfig): string {
  const c = cfg as AugConfig;
  const shift = c.augShift === AUG_OPTIONS.augShift.default ? '' : `-shift${c.augShift}`;
  return `${shift}${c.augFlip ? '-flip' : ''}`;
}

/** Shifts (and flips) of real batches, drawn from a stream of their own per step and batch. */
export function realAugmenter(cfg: AugConfig, set: ImageSet): Augment {
  const [H, W, C] = [set.height, set.width, set.channels];
  return (batch, n, step, stream) => {
    const rng = createRng(cfg.seed, `aug-${stream}/${step}`);
    if (cfg.augShift > 0) shiftImages(batch, n, H, W, C, rng, cfg.augShift);
    if (cfg.augFlip) flipImages(batch, n, H, W, C, rng);
  };
}
