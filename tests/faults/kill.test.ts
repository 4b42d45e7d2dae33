import test from 'ava';
import { join } from 'node:path';
import { SAVE_STAGES } from '../../src/train/fault-pause.ts';
import { tempDir } from '../helpers/tmp.ts';
import {
  EVERY,
  finalOf,
  latestCheckpoint,
  metricsOf,
  pointerStep,
  referenceCheckpoint,
  resumedAt,
  runAndKill,
  runToEnd,
  STEPS,
  trainArgs,
  weightDigests,
  type KillWhen,
} from './harness.ts';

/**
 * Thirty kill -9s over one run, each resumed by the next process: kills between training steps
 * (as soon as a step's metrics row appears) and inside every stage of a checkpoint save. After
 * each kill the checkpoint a resume will use must be the last committed one, byte-identical to
 * the uninterrupted run's at that step, with every metrics row written so far identical too;
 * the chain must end with the uninterrupted run's exact weights, metrics and result.
 */
const row = (step: number): KillWhen => ({ kind: 'row', step });
const stage = (s: string, step: number): KillWhen => ({ kind: 'stage', stage: s, step });
const PLAN: KillWhen[] = [
  row(2),
  stage('clear', 3),
  row(4),
  stage('file', 6),
  row(5),
  stage('files', 6),
  row(7),
  stage('manifest', 9),
  row(8),
  stage('rename', 9),
  row(10),
  stage('pointer', 12),
  row(13),
  stage('prune', 15),
  row(16),
  stage('clear', 18),
  row(17),
  stage('file', 18),
  row(19),
  stage('files', 21),
  row(20),
  stage('manifest', 21),
  row(22),
  stage('rename', 24),
  row(23),
  stage('pointer', 24),
  row(25),
  stage('prune', 27),
  row(29),
  stage('pointer', STEPS),
];

/** Checkpoint steps the last committed save can have after a kill, given what was on disk. */
function allowedCommit(when: KillWhen, lastRow: number): number[] {
  if (when.kind === 'stage')
    return [SAVE_STAGES.indexOf(when.stage as never) >= SAVE_STAGES.indexOf('pointer') ? when.step : when.step - EVERY];
  // The save at step s starts after row s: if the last row is a checkpoint step, its save may or may not be done.
  const base = Math.floor(lastRow / EVERY) * EVERY;
  return lastRow % EVERY === 0 ? [lastRow, lastRow - EVERY] : [base];
}

test('kill -9 at 30 points over a run, inside every stage of a save: each resume continues exactly', async (t) => {
  t.is(PLAN.length, 30);
  t.deepEqual(
    [...new Set(PLAN.filter((p) => p.kind === 'stage').map((p) => (p as { stage: string }).stage))].sort(),
    [...SAVE_STAGES].sort(),
  );
  const t0 = Date.now();
  const ref = join(tempDir('ssgan-fault-ref-'), 'run');
  const r = runToEnd(trainArgs(ref, ['--keep-checkpoints', '100']));
  t.is(r.status, 0, r.stderr);
  const refRows = metricsOf(ref);
  t.is(refRows.length, STEPS);
  const refFinal = finalOf(ref);

  const run = join(tempDir('ssgan-fault-chain-'), 'run');
  const counts = { killPoints: 0, resumesIdentical: 0, startedOver: 0, dataLost: 0 };
  let expectResume: number | null = null;
  for (const when of PLAN) {
    const p = await runAndKill(trainArgs(run, expectResume === null ? [] : ['--resume']), run, when);
    counts.killPoints++;
    const at = resumedAt(p.stderr);
    if (expectResume !== null && at !== expectResume) {
      if (at === null) counts.startedOver++;
      else counts.dataLost++;
      t.fail(`after the kill before ${JSON.stringify(when)}, resumed at ${at}, expected ${expectResume}`);
    }
    // What the killed process left: metrics rows all equal to the reference's, in order, none twice.
    const rows = metricsOf(run);
    const steps = rows.map((x) => x.step as number);
    t.deepEqual(
      steps,
      steps.map((_, i) => i + 1),
      `rows after ${JSON.stringify(when)}`,
    );
    const mismatched = rows.filter((x, i) => JSON.stringify(x) !== JSON.stringify(refRows[i]));
    const committed = pointerStep(run);
    const ck = latestCheckpoint(run);
    const allowed = allowedCommit(when, steps.at(-1) ?? 0);
    const sameWeights =
      ck !== null &&
      JSON.stringify(weightDigests(ck.dir)) === JSON.stringify(weightDigests(referenceCheckpoint(ref, ck.step)));
    const ok =
      mismatched.length === 0 && ck !== null && ck.step === committed && allowed.includes(ck.step) && sameWeights;
    if (!ok) counts.dataLost++;
    else if (expectResume !== null) counts.resumesIdentical++;
    t.true(
      ok,
      `after ${JSON.stringify(when)}: ${mismatched.length} rows differ, checkpoint ${ck?.step} (pointer ${committed}, allowed ${allowed}), weights ${sameWeights ? 'same' : 'differ'}`,
    );
    expectResume = ck?.step ?? 0;
  }
  // The last process finishes the run.
  const end = runToEnd(trainArgs(run, ['--resume']));
  t.is(end.status, 0, end.stderr);
  if (resumedAt(end.stderr) === expectResume) counts.resumesIdentical++;
  else counts.dataLost++;
  const final = finalOf(run);
  t.deepEqual(final.weights, refFinal.weights);
  t.deepEqual(final.result, refFinal.result);
  t.deepEqual(metricsOf(run), refRows);
  t.log(
    `kill points tried ${counts.killPoints}, resumes ${counts.killPoints} (identical ${counts.resumesIdentical}), started over ${counts.startedOver}, data lost ${counts.dataLost}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  t.is(counts.resumesIdentical, counts.killPoints);
  t.is(counts.dataLost + counts.startedOver, 0);
});
