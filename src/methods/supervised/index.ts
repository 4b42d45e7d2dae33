import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GAN_AUG_DEFAULTS } from '../../config/defaults.ts';
import type { TrainConfig } from '../../config/train-config.ts';
import type { MethodDefinition } from '../types.ts';
import { createSupervised } from './method.ts';
import { SUPERVISED_OPTIONS, type SupervisedConfig } from './options.ts';

/** How the synthetic examples are used, when not as plain extra labels: "-w0.1-from500-share0.5". */
function syntheticTag(c: SupervisedConfig): string {
  const weight = c.syntheticWeight === 1 ? '' : `-w${c.syntheticWeight}`;
  const from = c.syntheticFromStep ? `-from${c.syntheticFromStep}` : '';
  const share =
    c.syntheticShare === GAN_AUG_DEFAULTS.syntheticShare
      ? ''
      : c.syntheticShare
        ? `-share${c.syntheticShare}`
        : '-pooled';
  return `${weight}${from}${share}`;
}

function name(cfg: TrainConfig): string {
  const c = cfg as SupervisedConfig;
  const base = c.augment === 'shift' ? 'supervised-aug' : 'supervised';
  return c.augmentWith ? `${base}+gan-aug${syntheticTag(c)}` : base;
}

export const supervised: MethodDefinition<typeof SUPERVISED_OPTIONS> = {
  id: 'supervised',
  kind: 'baseline',
  summary: 'the same classifier, trained on the labelled images only',
  options: SUPERVISED_OPTIONS,
  runName: name,
  runTag: (cfg) => name(cfg).replace(/^supervised(-aug)?\+gan-aug/, (_, aug) => `${aug ? 'aug-' : ''}ganaug`),
  variants: {
    supervised: { settings: { augment: 'none' } },
    'supervised-aug': { settings: { augment: 'shift' } },
    // The share is spelled out so the cells' keys tell these runs from the pooled ones before it.
    'supervised+gan-aug': {
      settings: { augment: 'none', syntheticShare: GAN_AUG_DEFAULTS.syntheticShare },
      needsGenerator: true,
    },
    'supervised-aug+gan-aug': {
      settings: { augment: 'shift', syntheticShare: GAN_AUG_DEFAULTS.syntheticShare },
      needsGenerator: true,
    },
  },
  validate(cfg) {
    const c = cfg as SupervisedConfig;
    const dir = c.augmentWith;
    if (dir === undefined) {
      if (c.syntheticWeight !== 1)
        throw new Error('--synthetic-weight: weighs --augment-with examples; give --augment-with');
      if (c.syntheticFromStep)
        throw new Error('--synthetic-from-step: delays --augment-with examples; give --augment-with');
      if (c.syntheticShare !== GAN_AUG_DEFAULTS.syntheticShare)
        throw new Error('--synthetic-share: the batch share of --augment-with examples; give --augment-with');
      return;
    }
    if (!existsSync(dir)) throw new Error(`--augment-with ${dir}: no such folder`);
    const give = 'give the folder `ssgan generate --format idx` wrote';
    if (!statSync(dir).isDirectory()) throw new Error(`--augment-with ${dir}: not a folder (${give})`);
    const missing = ['images-idx3-ubyte', 'labels-idx1-ubyte'].filter((f) => !existsSync(join(dir, f)));
    const write = 'write it with `ssgan generate --format idx`';
    if (missing.length) throw new Error(`--augment-with ${dir}: no ${missing.join(' or ')} there (${write})`);
  },
  create: createSupervised,
};
