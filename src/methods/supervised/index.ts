import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../config/train-config.ts';
import type { MethodDefinition } from '../types.ts';
import { createSupervised } from './method.ts';
import { SUPERVISED_OPTIONS, type SupervisedConfig } from './options.ts';

function name(cfg: TrainConfig): string {
  const c = cfg as SupervisedConfig;
  return c.augmentWith ? 'supervised+gan-aug' : c.augment === 'shift' ? 'supervised-aug' : 'supervised';
}

export const supervised: MethodDefinition<typeof SUPERVISED_OPTIONS> = {
  id: 'supervised',
  kind: 'baseline',
  summary: 'the same classifier, trained on the labelled images only',
  options: SUPERVISED_OPTIONS,
  runName: name,
  runTag: (cfg) => (name(cfg) === 'supervised+gan-aug' ? 'ganaug' : name(cfg)),
  variants: {
    supervised: { settings: { augment: 'none' } },
    'supervised-aug': { settings: { augment: 'shift' } },
    'supervised+gan-aug': { settings: { augment: 'none' }, needsGenerator: true },
  },
  validate(cfg) {
    const dir = (cfg as SupervisedConfig).augmentWith;
    if (dir === undefined) return;
    if (!existsSync(dir)) throw new Error(`--augment-with ${dir}: no such folder`);
    const give = 'give the folder `ssgan generate --format idx` wrote';
    if (!statSync(dir).isDirectory()) throw new Error(`--augment-with ${dir}: not a folder (${give})`);
    const missing = ['images-idx3-ubyte', 'labels-idx1-ubyte'].filter((f) => !existsSync(join(dir, f)));
    if (missing.length) throw new Error(`--augment-with ${dir}: no ${missing.join(' or ')} there (${give})`);
  },
  create: createSupervised,
};
