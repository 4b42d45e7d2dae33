/**
 * The one place defaults live. CLI flags, library calls and run records all read from here, so a
 * run.json always states the values that were really used.
 */
export const COMMON_DEFAULTS = {
  backend: 'auto' as const,
  native: 'auto' as const,
  seed: 1,
  dataset: 'mnist-10k',
  /** Per class; the paper's 100-label MNIST setting is 10 per class. */
  labels: 100 as number | 'all',
  validationPerClass: 0,
};

/** Where downloads are cached unless --data-dir / SSGAN_DATA_DIR / --cache-dir say otherwise. */
export const DEFAULT_CACHE_DIR = 'data/cache';
export const DEFAULT_RUNS_DIR = 'runs';
export const DEFAULT_REPORTS_DIR = 'reports';

/**
 * Training defaults: the paper's MNIST feature-matching recipe (Salimans et al. 2016,
 * train_mnist_feature_matching.py): batch 100, Adam lr 0.003 beta1 0.5, unlabelled weight 1,
 * data-dependent init from 500 images, EMA of D's weights for evaluation.
 */
export const TRAIN_DEFAULTS = {
  arch: 'mlp' as 'mlp' | 'dcgan',
  head: 'implicit' as 'implicit' | 'explicit',
  gan: 'standard' as 'standard' | 'wgan-gp' | 'wgan-clip',
  gLoss: 'feature-matching' as 'feature-matching' | 'minimax',
  labelSmoothing: 0,
  minibatchDisc: false,
  unlabelledWeight: 1,
  batchSize: 100,
  lr: 0.003,
  beta1: 0.5,
  beta2: 0.999,
  /**
   * The reference's Adam divides by sqrt(v + 1e-8), i.e. an epsilon of ~1e-4 next to sqrt(v); tfjs'
   * default 1e-7 turns the generator's tiny feature-matching gradients into full-size steps.
   */
  adamEpsilon: 1e-4,
  /** linear: decays to 0 over the second half of the run when its length in steps is known (--steps/--epochs). */
  lrDecay: 'linear' as 'linear' | 'none',
  /** Fraction of the run after which the linear decay starts. */
  lrDecayStart: 0.5,
  emaDecay: 0.999,
  latentDim: 100,
  /** Generator updates per discriminator update (a generator that falls behind never matches D's features). */
  gSteps: 1,
  /** Generator learning rate as a multiple of --lr (two time-scale updates, Heusel et al. 2017). */
  gLrMult: 1,
  initBatch: 500,
  gpWeight: 10,
  clipValue: 0.01,
  augment: 'none' as 'none' | 'shift',
  checkpointEvery: 1000,
  /** Steps between metrics.jsonl rows (epoch ends always get one, with test accuracy). */
  logEvery: 50,
  /** Epochs between generator quality scores in metrics.jsonl (0 = off; needs the reference classifier). */
  qualityEvery: 0,
  qualityCount: 1000,
  referenceSteps: 2000,
  /** Loss above this (or NaN) stops the run and keeps the last good checkpoint. */
  explodeThreshold: 1e4,
};

/** Reading a user's image files (`folder:<path>`, `--unlabelled-dir`). */
export const IMAGE_DEFAULTS = {
  /** The default --image-size is the side most labelled images share, but never above this. */
  maxImageSize: 64,
  fit: 'cover' as 'cover' | 'contain',
  /** Without a test/ folder, each class holds out this share of its labelled images... */
  holdoutShare: 0.2,
  /** ...but at least one and at most this many (override with --test-per-class). */
  holdoutMaxPerClass: 10,
  /** The hold-out is drawn with this seed, not --seed, so every run of a folder tests on the same images. */
  holdoutSeed: 0,
  /** Files decoded at once (sharp decodes on libvips' own threads). */
  decodeConcurrency: 8,
  /** Colour images count as grey when no channel differs from another by more than this (JPEG chroma noise). */
  greyTolerance: 3,
  /** Subfolder of the cache dir holding decoded arrays. */
  decodedCacheDir: 'decoded',
};

/** Test sets smaller than this get a 95% Wilson interval wherever their accuracy is printed. */
export const SMALL_TEST_SET = 1000;

/** `ssgan predict` and `ssgan suggest`. */
export const PREDICT_DEFAULTS = {
  top: 3,
  batchSize: 256,
  /** p(real) below this percentile of the run's own unlabelled images flags an image as unlike the data. */
  realnessPercentile: 1,
  /** Unlabelled images scored to set that threshold (a seeded sample when the pool is larger). */
  realnessSample: 2000,
};

export const SUGGEST_DEFAULTS = {
  count: 20,
  by: 'entropy' as 'entropy' | 'margin',
};
