import { defaultsOf, type OptionTable } from './options.ts';

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
 * data-dependent init from 500 images, EMA of D's weights for evaluation. What only one method
 * reads (the GAN objective, augmentation...) lives in that method's option table (src/methods/).
 */
export const TRAIN_OPTIONS = {
  arch: {
    type: 'choice',
    choices: ['mlp', 'dcgan'] as const,
    default: 'mlp',
    describe: "classifier/generator architecture: the paper's MLP or a small DCGAN",
  },
  head: {
    type: 'choice',
    choices: ['implicit', 'explicit'] as const,
    default: 'implicit',
    describe: 'K logits with the generated logit fixed at 0, or an explicit K+1 softmax',
  },
  batchSize: {
    type: 'int',
    default: 100,
    min: 1,
    max: 10000,
    describe: 'images per batch (each of labelled, unlabelled, generated)',
  },
  lr: { type: 'number', default: 0.003, min: 0, max: 1, openMin: true, describe: 'Adam learning rate' },
  beta1: { type: 'number', default: 0.5, min: 0, max: 1, describe: 'Adam beta1' },
  beta2: { type: 'number', default: 0.999, min: 0, max: 1, describe: 'Adam beta2' },
  // The reference's Adam divides by sqrt(v + 1e-8), i.e. an epsilon of ~1e-4 next to sqrt(v); tfjs'
  // default 1e-7 turns the generator's tiny feature-matching gradients into full-size steps.
  adamEpsilon: { type: 'number', default: 1e-4, min: 0, max: 1, openMin: true, describe: 'Adam epsilon' },
  lrDecay: {
    type: 'choice',
    choices: ['linear', 'none'] as const,
    default: 'linear',
    describe: 'linear decay to 0 over the last part of a run bounded by --steps/--epochs',
  },
  lrDecayStart: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    describe: 'fraction of the run after which the decay starts',
  },
  emaDecay: {
    type: 'number',
    default: 0.999,
    min: 0,
    max: 1,
    describe: 'decay of the weight average used for evaluation',
  },
  latentDim: { type: 'int', default: 100, min: 1, max: 4096, describe: "size of the generator's noise input" },
  initBatch: {
    type: 'int',
    default: 500,
    min: 1,
    max: 100000,
    describe: 'images for the data-dependent weight-norm init',
  },
  checkpointEvery: { type: 'int', default: 1000, min: 1, describe: 'steps between checkpoints' },
  keepCheckpoints: {
    type: 'int',
    default: 2,
    min: 1,
    max: 1000,
    describe: 'checkpoints kept in the run folder (a damaged newest one falls back to the one before)',
  },
  logEvery: {
    type: 'int',
    default: 50,
    min: 1,
    describe: 'steps between metrics.jsonl rows (epoch ends always get one)',
  },
  explodeThreshold: {
    type: 'number',
    default: 1e4,
    min: 0,
    openMin: true,
    describe: 'a loss above this (or NaN) stops the run and keeps the last good checkpoint',
  },
} as const satisfies OptionTable;

export const TRAIN_DEFAULTS = defaultsOf(TRAIN_OPTIONS);

/** Generator quality scores logged during training (src/quality/callback.ts). */
export const QUALITY_DEFAULTS = {
  /** Epochs between scores (0 = off; needs the reference classifier). */
  qualityEvery: 0,
  qualityCount: 1000,
  referenceSteps: 2000,
};

/**
 * `ssgan bench --queue` and `ssgan worker`: BullMQ's defaults suit jobs of seconds; a bench cell
 * runs for minutes to hours (why each value is what it is: README, "Sweeps on many machines").
 */
export const QUEUE_DEFAULTS = {
  queueName: 'ssgan-bench',
  /** A running cell's lock: renewed every half of it by the worker's main process (the training runs in a child). */
  lockSeconds: 600,
  /** How often workers look for cells whose lock lapsed (their worker died). */
  stalledSeconds: 300,
  /** Times a cell may be recovered from a dead worker before it fails. */
  maxStalledCount: 3,
  attempts: 3,
  /** First retry delay; doubles each attempt. */
  backoffSeconds: 120,
  concurrency: 1,
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
  by: 'typical' as 'typical' | 'entropy' | 'margin',
  /** --by typical: typicality is the inverse mean distance to this many nearest neighbours (TypiClust's 20). */
  neighbours: 20,
  /** --by typical: clusters smaller than this are passed over while larger ones remain (TypiClust's 5). */
  minClusterSize: 5,
  /** --by typical: k-means iterations at most. */
  maxIterations: 100,
  /** --by typical: a larger pool is clustered through a seeded sample of this many images. */
  typicalSample: 10000,
};

/**
 * The bench's gan-aug cells (`supervised+gan-aug`, `supervised-aug+gan-aug`): how they draw the
 * conditional generator's samples (`ssgan generate --per-class`, the sweep's --gan-aug-count
 * split equally over the classes). How the supervised run weighs them is the supervised method's
 * option table (--synthetic-weight, --synthetic-from-step).
 */
export const GAN_AUG_DEFAULTS = {
  /**
   * The bench variant (src/methods registry) whose generator the gan-aug cells of an arch draw
   * from. Shifted real batches: on mnist-10k (100 labels, 3,000 steps, seed 1) its classifier's
   * validation error was 13.8% against 27.5% without shifts (supervised: 25.7%).
   */
  gan: { mlp: 'sslgan-cond-mlp-shift2', dcgan: 'sslgan-cond-dcgan-shift2' } as Record<'mlp' | 'dcgan', string>,
  /** 500 of each class asked for on mnist-10k; classes the filter starves come out short. */
  count: 5000,
  /**
   * A sample G(z, y) is kept only where the GAN's classifier calls it y with at least this
   * probability; 0.99 with --synthetic-weight 1 was the validation choice (23.8% error against
   * 24.8% at weight 0.3 and 25.7% without samples).
   */
  minConfidence: 0.99,
  /** Per class, give up after this many times its count of draws (the cell then trains on fewer). */
  maxDrawFactor: 20,
  /**
   * The supervised method's --synthetic-share default: this fraction of each batch is samples,
   * the rest real labelled images (0: drawn from the pool of both, which left 100 real images 2%
   * of each batch). Validation choice on mnist-10k, 100 labels, seed 1 (README, Augmentation data): with
   * the 0.99-filtered samples, supervised 20.0% at 0.25 against 21.8% (0.1), 21.6% (0.5), 22.1%
   * (0.75), 23.1% pooled and 23.2% without samples; with shifts 13.9% at 0.25 against 15.1% (0.5),
   * 13.6% (0.1), 16.6% pooled and 13.5% without samples.
   */
  syntheticShare: 0.25,
};
