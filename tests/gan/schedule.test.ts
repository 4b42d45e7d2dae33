import test from 'ava';
import { lrSchedule } from '../../src/train/schedule.ts';

const cfg = { lr: 0.003, lrDecay: 'linear' as const, lrDecayStart: 0.5 };

test('linear decay: constant for the first half, then down to 0 at the end', (t) => {
  t.is(lrSchedule(cfg, 0), 0.003);
  t.is(lrSchedule(cfg, 0.5), 0.003);
  t.true(Math.abs(lrSchedule(cfg, 0.75) - 0.0015) < 1e-12);
  t.is(lrSchedule(cfg, 1), 0);
  // Past the end (a budget overshot by the last step) never goes negative.
  t.is(lrSchedule(cfg, 1.2), 0);
});

test('no decay keeps the base rate, whatever the progress', (t) => {
  t.is(lrSchedule({ ...cfg, lrDecay: 'none' }, 0.9), 0.003);
});
