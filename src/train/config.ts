import type { BackendChoice } from '../backend/select.ts';
import { COMMON_DEFAULTS, TRAIN_DEFAULTS } from '../config/defaults.ts';
import type { RunKind } from '../run/types.ts';

export type TrainConfig = typeof TRAIN_DEFAULTS & {
  kind: RunKind;
  dataset: string;
  dataDir?: string;
  cacheDir?: string;
  offline: boolean;
  labels: number | 'all';
  labelFraction?: number;
  validationPerClass: number;
  seed: number;
  steps?: number;
  epochs?: number;
  budgetMinutes?: number;
  runDir: string;
  backend: BackendChoice;
  native: 'auto' | 'off';
  /** Extra labelled images (IDX folder written by `ssgan generate`) for a baseline. */
  augmentWith?: string;
  /** Reading image files (src/data/options.ts): extra unlabelled folder, size, fit, channels, test hold-out, strictness. */
  unlabelledDir?: string;
  imageSize?: number;
  fit?: 'cover' | 'contain';
  channels?: 1 | 3;
  testPerClass?: number;
  strict?: boolean;
};

export function makeConfig(partial: Partial<TrainConfig> & { kind: RunKind }): TrainConfig {
  const cfg = {
    ...TRAIN_DEFAULTS,
    dataset: COMMON_DEFAULTS.dataset,
    labels: COMMON_DEFAULTS.labels,
    validationPerClass: COMMON_DEFAULTS.validationPerClass,
    seed: COMMON_DEFAULTS.seed,
    backend: COMMON_DEFAULTS.backend,
    native: COMMON_DEFAULTS.native,
    offline: false,
    runDir: '',
    ...stripUndefined(partial),
  } as TrainConfig;
  if (!cfg.runDir) cfg.runDir = defaultRunDir(cfg);
  if (cfg.steps === undefined && cfg.epochs === undefined && cfg.budgetMinutes === undefined) {
    throw new Error('bound the run: give --steps, --epochs or --budget-minutes');
  }
  return cfg;
}

export function methodName(cfg: TrainConfig): string {
  if (cfg.kind === 'baseline')
    return cfg.augmentWith ? 'supervised+gan-aug' : cfg.augment === 'shift' ? 'supervised-aug' : 'supervised';
  if (cfg.gan !== 'standard') return 'sslgan-wgan';
  return `sslgan-${cfg.arch}`;
}

export function defaultRunDir(
  cfg: Pick<TrainConfig, 'kind' | 'dataset' | 'labels' | 'arch' | 'gan' | 'seed' | 'augment' | 'augmentWith'>,
): string {
  const ds = cfg.dataset.replace(/^folder:/, 'folder-').replace(/[^A-Za-z0-9._-]+/g, '_');
  const what =
    cfg.kind === 'gan'
      ? `${cfg.arch}-${cfg.gan}`
      : `${cfg.arch}-${cfg.augmentWith ? 'ganaug' : cfg.augment === 'shift' ? 'supervised-aug' : 'supervised'}`;
  return `runs/${ds}-${cfg.labels}-${what}-s${cfg.seed}`;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
