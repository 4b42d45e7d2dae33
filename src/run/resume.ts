import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAIN_DEFAULTS } from '../config/defaults.ts';
import { compareResumeConfig, type BoundsExtension } from './resume-check.ts';

/**
 * Checks that `--resume` continues the run its folder holds, reading the folder's run.json.
 * Throws one line listing every setting that differs; returns the run's bound extensions so far
 * plus this one (for the new run.json), so a record shows every change of --steps/--budget-minutes.
 */
export function checkResume(
  runDir: string,
  config: Record<string, unknown>,
  dataChecksum: string,
  atStep: number,
  log: (msg: string) => void = () => {},
  defaults: Record<string, unknown> = TRAIN_DEFAULTS,
): { extensions: BoundsExtension[] } {
  const path = join(runDir, 'run.json');
  if (!existsSync(path))
    throw new Error(`--resume: ${path} is missing, so the checkpoint's settings cannot be checked; start afresh`);
  let record: { config?: Record<string, unknown>; data?: { checksum?: string }; extensions?: BoundsExtension[] };
  try {
    record = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--resume: ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!record.config || typeof record.config !== 'object')
    throw new Error(`--resume: ${path}: has no "config" object; not a run record`);
  const cmp = compareResumeConfig(
    { config: record.config, dataChecksum: record.data?.checksum },
    { config, dataChecksum },
    atStep,
    defaults,
  );
  if (cmp.differences.length)
    throw new Error(
      `--resume: ${runDir} was trained with other settings: ${cmp.differences.join(', ')}; resume with the recorded ones or use a new --run-dir`,
    );
  const extensions = [...(record.extensions ?? [])];
  if (cmp.extension) {
    extensions.push(cmp.extension);
    log(
      `--resume: bounds changed at step ${atStep}: ${JSON.stringify(cmp.extension.from)} -> ${JSON.stringify(cmp.extension.to)}`,
    );
  }
  return { extensions };
}
