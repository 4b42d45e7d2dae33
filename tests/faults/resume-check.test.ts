import test from 'ava';
import { TRAIN_DEFAULTS } from '../../src/config/defaults.ts';
import { defaultsOf } from '../../src/config/options.ts';
import { SSLGAN_OPTIONS } from '../../src/methods/sslgan/options.ts';

const DEFAULTS: Record<string, unknown> = { ...TRAIN_DEFAULTS, ...defaultsOf(SSLGAN_OPTIONS) };
import { compareResumeConfig, flagName } from '../../src/run/resume-check.ts';

const recorded = {
  config: { kind: 'gan', dataset: 'mnist-10k', labels: 100, seed: 21, batchSize: 100, steps: 2000, runDir: 'runs/a' },
  dataChecksum: 'sha256:aaa',
};

test('the same settings, another run folder path and checkpoint cadence: no difference', (t) => {
  const cmp = compareResumeConfig(
    recorded,
    {
      config: { ...recorded.config, runDir: './runs/a', checkpointEvery: 7, keepCheckpoints: 5, logEvery: 3 },
      dataChecksum: 'sha256:aaa',
    },
    40,
  );
  t.deepEqual(cmp, { differences: [], extension: null });
});

test('labels and seed changed: both listed as flags with the recorded and the new value', (t) => {
  const cmp = compareResumeConfig(
    recorded,
    { config: { ...recorded.config, labels: 50, seed: 22 }, dataChecksum: 'sha256:aaa' },
    40,
  );
  t.deepEqual(cmp.differences, ['--labels 100 (now 50)', '--seed 21 (now 22)']);
});

test('another data checksum refuses even with identical flags', (t) => {
  const cmp = compareResumeConfig(recorded, { config: recorded.config, dataChecksum: 'sha256:bbb' }, 40);
  t.deepEqual(cmp.differences, ['data checksum sha256:aaa (now sha256:bbb)']);
});

test('bounds may change: recorded as an extension at the resume step, only what changed', (t) => {
  const { steps: _steps, ...rest } = recorded.config;
  const cmp = compareResumeConfig(recorded, { config: { ...rest, budgetMinutes: 5 }, dataChecksum: 'sha256:aaa' }, 40);
  t.deepEqual(cmp.differences, []);
  t.deepEqual(cmp.extension, { atStep: 40, from: { steps: 2000 }, to: { budgetMinutes: 5 } });
});

test('a setting the record predates counts as its default; any other value is a difference', (t) => {
  const now = { ...recorded.config, gSteps: DEFAULTS.gSteps };
  t.deepEqual(compareResumeConfig(recorded, { config: now, dataChecksum: 'sha256:aaa' }, 1, DEFAULTS).differences, []);
  const other = { ...recorded.config, gSteps: 3 };
  t.deepEqual(compareResumeConfig(recorded, { config: other, dataChecksum: 'sha256:aaa' }, 1, DEFAULTS).differences, [
    '--g-steps 1 (now 3)',
  ]);
  // Without defaults, a key only one side has is a difference too (an unset flag shows as such).
  t.deepEqual(compareResumeConfig(recorded, { config: other, dataChecksum: 'sha256:aaa' }, 1).differences, [
    '--g-steps (unset) (now 3)',
  ]);
});

test('flag names are how the user types them', (t) => {
  t.is(flagName('batchSize'), '--batch-size');
  t.is(flagName('budgetMinutes'), '--budget-minutes');
  t.is(flagName('seed'), '--seed');
});
