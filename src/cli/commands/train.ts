import type { Argv, CommandModule } from 'yargs';
import { SMALL_TEST_SET, TRAIN_OPTIONS } from '../../config/defaults.ts';
import { accuracyText } from '../../report/stats.ts';
import { flagOf } from '../../config/options.ts';
import { METHOD_REGISTRY, methodDefinition } from '../../methods/registry.ts';
import { qualityScores } from '../../quality/callback.ts';
import { makeConfig, type TrainConfig } from '../../train/config.ts';
import { stopOnSignals, TrainingInterrupted } from '../../train/callbacks/interrupt.ts';
import { train } from '../../train/train.ts';
import { settingsFrom, withOptionTable } from '../flags.ts';
import { imageFlags, intFlag, numberFlag, UsageError, withCommon, withDataset, withLabels } from '../options.ts';

/** Flags shared by `train` and `baseline`: the same classifier, split and bounds. */
export function withTrainFlags<T>(y: Argv<T>) {
  return withOptionTable(withLabels(withDataset(withCommon(y))), TRAIN_OPTIONS, { group: 'Training:' })
    .option('steps', { type: 'number', coerce: intFlag('steps', 1), describe: 'stop after this many steps' })
    .option('epochs', {
      type: 'number',
      coerce: numberFlag('epochs', 0, 1e6, { openMin: true }),
      describe: 'stop after this many passes over the training set',
    })
    .option('budget-minutes', {
      type: 'number',
      coerce: numberFlag('budget-minutes', 0, 1e6, { openMin: true }),
      describe: 'stop after this much wall time',
    })
    .option('run-dir', {
      type: 'string',
      describe: 'where the run writes (default runs/<dataset>-<labels>-<arch>-<method tag>-s<seed>)',
    })
    .option('resume', { type: 'boolean', default: false, describe: "continue from the run folder's last checkpoint" })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
    .check((a) => {
      if (a.steps === undefined && a.epochs === undefined && a['budget-minutes'] === undefined) {
        throw new Error('bound the run: give --steps, --epochs or --budget-minutes');
      }
      return true;
    });
}

/** Every method's settings as flags, grouped by method; unset ones stay undefined. */
function withMethodFlags<T>(y: Argv<T>, ids: string[]) {
  let out = y;
  for (const id of ids) {
    out = withOptionTable(out, METHOD_REGISTRY[id].options, { group: `Method ${id}:`, withDefaults: false });
  }
  return out;
}

type Args = Record<string, unknown>;

/** The config the parsed flags describe, for `method`; a flag of another method is refused. */
export function configFromArgs(a: Args, method: string): TrainConfig {
  const def = methodDefinition(method);
  for (const [id, other] of Object.entries(METHOD_REGISTRY)) {
    if (id === method) continue;
    for (const key of Object.keys(other.options))
      if (a[key] !== undefined && !(key in def.options))
        throw new UsageError(`--${flagOf(key)}: a setting of method ${id}, not of ${method}`);
  }
  return makeConfig({
    method,
    dataset: a.dataset as string,
    dataDir: a['data-dir'] as string | undefined,
    cacheDir: a['cache-dir'] as string | undefined,
    offline: a.offline as boolean,
    labels: a['label-fraction'] !== undefined ? 'all' : (a.labels as number | 'all'),
    labelFraction: a['label-fraction'] as number | undefined,
    validationPerClass: a['validation-per-class'] as number,
    seed: a.seed as number,
    backend: a.backend as TrainConfig['backend'],
    native: a.native as TrainConfig['native'],
    steps: a.steps as number | undefined,
    epochs: a.epochs as number | undefined,
    budgetMinutes: a['budget-minutes'] as number | undefined,
    runDir: a['run-dir'] as string | undefined,
    ...imageFlags(a),
    ...(a['quality-every'] !== undefined ? { qualityEvery: a['quality-every'] as number } : {}),
    ...settingsFrom(TRAIN_OPTIONS, a),
    ...settingsFrom(def.options, a),
  });
}

export async function runTraining(cfg: TrainConfig, a: Args): Promise<void> {
  const log = a.quiet ? () => {} : (m: string) => process.stderr.write(m + '\n');
  const quality = cfg.qualityEvery > 0 ? [qualityScores(cfg, log)] : [];
  let result;
  try {
    result = await train(cfg, {
      resume: a.resume as boolean,
      log,
      progress: !a.quiet,
      callbacks: [...quality, stopOnSignals()],
    });
  } catch (e) {
    if (!(e instanceof TrainingInterrupted)) throw e;
    process.stderr.write(`ssgan: ${e.message}; the checkpoint holds it, --resume continues\n`);
    process.exitCode = 143;
    return;
  }
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  process.stdout.write(
    `${cfg.runDir}: accuracy ${accuracyText(
      result.accuracy,
      result.confusion.flat().reduce((x, y) => x + y, 0),
      SMALL_TEST_SET,
    )} error ${pct(result.error)} (${result.method}, ${result.labels} labels, ${result.steps} steps, ${result.wallSeconds.toFixed(0)} s, ${result.backend})\n`,
  );
  if (result.stoppedBy === 'nan') {
    process.stderr.write(`ssgan: training diverged; ${cfg.runDir}/result.json describes the last good checkpoint\n`);
    process.exitCode = 2;
  }
}

export const trainCommand: CommandModule<object, Args> = {
  command: 'train',
  describe: 'train a method of the registry (default: the semi-supervised K+1-class GAN)',
  builder: (y) => {
    // Read at build time, so a method registered after import still gets its flags.
    const ids = Object.keys(METHOD_REGISTRY);
    return withMethodFlags(withTrainFlags(y), ids)
      .option('method', {
        choices: ids,
        default: 'sslgan',
        describe: ids.map((id) => `${id}: ${METHOD_REGISTRY[id].summary}`).join('; '),
      })
      .option('quality-every', {
        type: 'number',
        coerce: intFlag('quality-every', 0),
        describe: 'log classifier score and Fréchet distance every N epochs (0 = off; GAN methods)',
      }) as unknown as Argv<Args>;
  },
  handler: async (a) => runTraining(configFromArgs(a, a.method as string), a),
};
