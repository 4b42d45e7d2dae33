import type { Argv, CommandModule } from 'yargs';
import { SMALL_TEST_SET, TRAIN_DEFAULTS } from '../../config/defaults.ts';
import { accuracyText } from '../../report/stats.ts';
import { makeConfig, type TrainConfig } from '../../train/config.ts';
import { train } from '../../train/trainer.ts';
import { imageFlags, intFlag, numberFlag, withCommon, withDataset, withLabels } from '../options.ts';

/** Flags shared by `train` and `baseline`: the same classifier, split and bounds. */
export function withTrainFlags<T>(y: Argv<T>) {
  return withLabels(withDataset(withCommon(y)))
    .option('arch', {
      choices: ['mlp', 'dcgan'] as const,
      default: TRAIN_DEFAULTS.arch,
      describe: "classifier/generator architecture: the paper's MLP or a small DCGAN",
    })
    .option('head', {
      choices: ['implicit', 'explicit'] as const,
      default: TRAIN_DEFAULTS.head,
      describe: 'K logits with the generated logit fixed at 0, or an explicit K+1 softmax',
    })
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
    .option('batch-size', {
      type: 'number',
      default: TRAIN_DEFAULTS.batchSize,
      coerce: intFlag('batch-size', 1, 10000),
    })
    .option('lr', { type: 'number', default: TRAIN_DEFAULTS.lr, coerce: numberFlag('lr', 0, 1, { openMin: true }) })
    .option('beta1', { type: 'number', default: TRAIN_DEFAULTS.beta1, coerce: numberFlag('beta1', 0, 1) })
    .option('lr-decay', {
      choices: ['linear', 'none'] as const,
      default: TRAIN_DEFAULTS.lrDecay,
      describe: 'linear decay to 0 over the second half of a run bounded by --steps/--epochs',
    })
    .option('ema-decay', {
      type: 'number',
      default: TRAIN_DEFAULTS.emaDecay,
      coerce: numberFlag('ema-decay', 0, 1),
      describe: 'decay of the weight average used for evaluation',
    })
    .option('checkpoint-every', {
      type: 'number',
      default: TRAIN_DEFAULTS.checkpointEvery,
      coerce: intFlag('checkpoint-every', 1),
    })
    .option('run-dir', {
      type: 'string',
      describe: 'where the run writes (default runs/<dataset>-<labels>-<arch>-<gan|method>-s<seed>)',
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

export function commonConfig(a: Record<string, any>): Partial<TrainConfig> {
  return {
    dataset: a.dataset,
    dataDir: a['data-dir'],
    cacheDir: a['cache-dir'],
    offline: a.offline,
    labels: a['label-fraction'] !== undefined ? 'all' : a.labels,
    labelFraction: a['label-fraction'],
    validationPerClass: a['validation-per-class'],
    seed: a.seed,
    backend: a.backend,
    native: a.native,
    arch: a.arch,
    head: a.head,
    steps: a.steps,
    epochs: a.epochs,
    budgetMinutes: a['budget-minutes'],
    batchSize: a['batch-size'],
    lr: a.lr,
    beta1: a.beta1,
    lrDecay: a['lr-decay'],
    emaDecay: a['ema-decay'],
    checkpointEvery: a['checkpoint-every'],
    runDir: a['run-dir'],
    ...imageFlags(a),
  };
}

export async function runTraining(cfg: TrainConfig, a: Record<string, any>): Promise<void> {
  const log = a.quiet ? () => {} : (m: string) => process.stderr.write(m + '\n');
  const result = await train(cfg, { resume: a.resume, log, progress: !a.quiet });
  process.stdout.write(
    `${cfg.runDir}: accuracy ${accuracyText(
      result.accuracy,
      result.confusion.flat().reduce((x, y) => x + y, 0),
      SMALL_TEST_SET,
    )} error ${(result.error * 100).toFixed(2)}% (${result.method}, ${result.labels} labels, ${result.steps} steps, ${result.wallSeconds.toFixed(0)} s, ${result.backend})\n`,
  );
  if (result.stoppedBy === 'nan') {
    process.stderr.write(`ssgan: training diverged; ${cfg.runDir}/result.json describes the last good checkpoint\n`);
    process.exitCode = 2;
  }
}

export const trainCommand: CommandModule = {
  command: 'train',
  describe: 'train the semi-supervised K+1-class GAN',
  builder: (y) =>
    withTrainFlags(y)
      .option('gan', {
        choices: ['standard', 'wgan-gp', 'wgan-clip'] as const,
        default: TRAIN_DEFAULTS.gan,
        describe: 'unsupervised game: K+1 classifier GAN, or a Wasserstein critic on lse(logits)',
      })
      .option('g-loss', {
        choices: ['feature-matching', 'minimax'] as const,
        default: TRAIN_DEFAULTS.gLoss,
        describe: 'generator objective',
      })
      .option('label-smoothing', {
        type: 'number',
        default: TRAIN_DEFAULTS.labelSmoothing,
        coerce: numberFlag('label-smoothing', 0, 0.5),
        describe: 'one-sided: real targets become 1 - s',
      })
      .option('unlabelled-weight', {
        type: 'number',
        default: TRAIN_DEFAULTS.unlabelledWeight,
        coerce: numberFlag('unlabelled-weight', 0, 100),
      })
      .option('minibatch-disc', {
        type: 'boolean',
        default: TRAIN_DEFAULTS.minibatchDisc,
        describe: 'minibatch discrimination features in D (Salimans et al. §3.2)',
      })
      .option('quality-every', {
        type: 'number',
        default: TRAIN_DEFAULTS.qualityEvery,
        coerce: intFlag('quality-every', 0),
        describe: 'log classifier score and Fréchet distance every N epochs (0 = off)',
      })
      .option('g-steps', {
        type: 'number',
        default: TRAIN_DEFAULTS.gSteps,
        coerce: intFlag('g-steps', 1, 10),
        describe: 'generator updates per discriminator update',
      })
      .option('g-lr-mult', {
        type: 'number',
        default: TRAIN_DEFAULTS.gLrMult,
        coerce: numberFlag('g-lr-mult', 0, 100, { openMin: true }),
        describe: 'generator learning rate as a multiple of --lr',
      }),
  handler: async (a: any) => {
    const cfg = makeConfig({
      ...commonConfig(a),
      kind: 'gan',
      gan: a.gan,
      gLoss: a['g-loss'],
      labelSmoothing: a['label-smoothing'],
      unlabelledWeight: a['unlabelled-weight'],
      gSteps: a['g-steps'],
      gLrMult: a['g-lr-mult'],
      minibatchDisc: a['minibatch-disc'],
      qualityEvery: a['quality-every'],
    });
    await runTraining(cfg, a);
  },
};
