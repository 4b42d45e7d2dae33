import type { BackendChoice } from '../backend/select.ts';
import type { RunKind } from '../run/types.ts';
import type { QUALITY_DEFAULTS, TRAIN_OPTIONS } from './defaults.ts';
import type { OptionsOf } from './options.ts';

/**
 * Everything a training run is configured by, flat, as run.json records it: the common settings
 * (TRAIN_OPTIONS), the data and bounds, and the method's own settings (its option table), which
 * the method reads through its typed view of this object.
 */
export type TrainConfig = OptionsOf<typeof TRAIN_OPTIONS> &
  typeof QUALITY_DEFAULTS & {
    /** A method id of the registry (src/methods/registry.ts). */
    method: string;
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
    /** Reading image files (src/data/options.ts): extra unlabelled folder, size, fit, channels, test hold-out, strictness. */
    unlabelledDir?: string;
    imageSize?: number;
    fit?: 'cover' | 'contain';
    channels?: 1 | 3;
    testPerClass?: number;
    strict?: boolean;
    [methodSetting: string]: unknown;
  };
