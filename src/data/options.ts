import type { LoadOptions } from './types.ts';

/** The dataset fields of a run's config (TrainConfig has them), by the names run records use. */
export interface ImageConfig {
  kind?: string;
  unlabelledDir?: string;
  imageSize?: number;
  fit?: 'cover' | 'contain';
  channels?: 1 | 3;
  testPerClass?: number;
  strict?: boolean;
}

/** Loader options for a run's config: a GAN run needs unlabelled images where it was given a folder of them. */
export function imageLoadOptions(cfg: ImageConfig): LoadOptions {
  return {
    unlabelledDir: cfg.unlabelledDir,
    imageSize: cfg.imageSize,
    fit: cfg.fit,
    channels: cfg.channels,
    testPerClass: cfg.testPerClass,
    strict: cfg.strict,
    requireUnlabelled: cfg.kind === 'gan',
  };
}
