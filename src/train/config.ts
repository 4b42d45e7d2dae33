import { COMMON_DEFAULTS, QUALITY_DEFAULTS, TRAIN_DEFAULTS, TRAIN_OPTIONS } from '../config/defaults.ts';
import { checkValue, defaultsOf, flagOf } from '../config/options.ts';
import type { TrainConfig } from '../config/train-config.ts';
import { methodDefinition } from '../methods/registry.ts';

export type { TrainConfig };

/** Settings every run has that are not in an option table (data, bounds, where to write). */
const RUN_KEYS = new Set([
  'method',
  'kind',
  'dataset',
  'dataDir',
  'cacheDir',
  'offline',
  'labels',
  'labelFraction',
  'validationPerClass',
  'seed',
  'steps',
  'epochs',
  'budgetMinutes',
  'runDir',
  'backend',
  'native',
  // Reading image files (src/data/options.ts).
  'unlabelledDir',
  'imageSize',
  'fit',
  'channels',
  'testPerClass',
  'strict',
  ...Object.keys(QUALITY_DEFAULTS),
]);

/**
 * A full config from what the caller gave: defaults filled in from the common table and the
 * method's table, every value checked against its table. `kind` alone picks the classic methods
 * ('gan' -> sslgan, 'baseline' -> supervised).
 */
export function makeConfig(
  partial: Partial<TrainConfig> & ({ kind: TrainConfig['kind'] } | { method: string }),
): TrainConfig {
  const given = stripUndefined(partial);
  const methodId = (given.method as string | undefined) ?? (given.kind === 'baseline' ? 'supervised' : 'sslgan');
  const def = methodDefinition(methodId);
  for (const [key, v] of Object.entries(given)) {
    const spec =
      (TRAIN_OPTIONS as Record<string, (typeof TRAIN_OPTIONS)[keyof typeof TRAIN_OPTIONS]>)[key] ?? def.options[key];
    if (spec) {
      const c = checkValue(spec, v);
      if ('expected' in c) throw new Error(`--${flagOf(key)}: expected ${c.expected}, got ${JSON.stringify(v)}`);
    } else if (!RUN_KEYS.has(key)) {
      throw new Error(`--${flagOf(key)}: not a setting of method ${def.id}`);
    }
  }
  const cfg = {
    ...TRAIN_DEFAULTS,
    ...QUALITY_DEFAULTS,
    ...defaultsOf(def.options),
    dataset: COMMON_DEFAULTS.dataset,
    labels: COMMON_DEFAULTS.labels,
    validationPerClass: COMMON_DEFAULTS.validationPerClass,
    seed: COMMON_DEFAULTS.seed,
    backend: COMMON_DEFAULTS.backend,
    native: COMMON_DEFAULTS.native,
    offline: false,
    runDir: '',
    ...given,
    method: def.id,
    kind: def.kind,
  } as TrainConfig;
  def.validate?.(cfg);
  if (!cfg.runDir) cfg.runDir = defaultRunDir(cfg);
  if (cfg.steps === undefined && cfg.epochs === undefined && cfg.budgetMinutes === undefined) {
    throw new Error('bound the run: give --steps, --epochs or --budget-minutes');
  }
  return cfg;
}

export function defaultRunDir(cfg: TrainConfig): string {
  const ds = cfg.dataset.replace(/^folder:/, 'folder-').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `runs/${ds}-${cfg.labels}-${cfg.arch}-${methodDefinition(cfg.method).runTag(cfg)}-s${cfg.seed}`;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
