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
