import type { OptionsOf } from '../../config/options.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import { flipImages, shiftImages } from '../../data/augment.ts';
import { createRng } from '../../util/random.ts';
import { gameName, sslgan, tag } from '../sslgan/index.ts';
import { createSslgan } from '../sslgan/method.ts';
import { SSLGAN_OPTIONS } from '../sslgan/options.ts';
import type { MethodDefinition } from '../types.ts';

const OPTIONS = {
  ...SSLGAN_OPTIONS,
  augShift: { type: 'int', default: 2, min: 0, max: 16, describe: 'random shifts of real images, in pixels' },
  augFlip: { type: 'boolean', default: false, describe: 'random left-right flips of real images (photos)' },
} as const;
type Config = TrainConfig & OptionsOf<typeof OPTIONS>;

/**
 * The K+1 game on augmented real images (labelled and unlabelled batches): no longer the
 * permutation-invariant recipe, so it is its own method in reports.
 */
export const sslganAug: MethodDefinition<typeof OPTIONS> = {
  id: 'sslgan-aug',
  kind: 'gan',
  summary: 'the K+1 GAN on shifted (and optionally flipped) real images',
  options: OPTIONS,
  runName: (cfg) => `${gameName('sslgan-aug', cfg)}${(cfg as Config).augFlip ? '-flip' : ''}`,
  runTag: (cfg) => `aug-${tag(cfg)}`,
  variants: {
    'sslgan-aug-mlp': { settings: { arch: 'mlp' } },
    'sslgan-aug-dcgan': { settings: { arch: 'dcgan' } },
  },
  adapt: sslgan.adapt,
  create(setup) {
    const cfg = setup.cfg as Config;
    const [H, W, C] = [setup.ds.train.height, setup.ds.train.width, setup.ds.train.channels];
    return createSslgan(setup, {
      augment: (batch, n, step, stream) => {
        const rng = createRng(cfg.seed, `aug-${stream}/${step}`);
        if (cfg.augShift > 0) shiftImages(batch, n, H, W, C, rng, cfg.augShift);
        if (cfg.augFlip) flipImages(batch, n, H, W, C, rng);
      },
    });
  },
};
