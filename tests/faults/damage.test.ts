import test from 'ava';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.ts';
import {
  finalOf,
  latestCheckpoint,
  metricsOf,
  referenceCheckpoint,
  resumedAt,
  runAndKill,
  runToEnd,
  runToEndLimited,
  trainArgs,
  treeDigest,
  weightDigests,
} from './harness.ts';

/**
 * Damage of every kind a crash, a disk or a user can do to a run folder, each on a copy of one
 * run killed right after committing its step-15 checkpoint (so it holds step-12 and step-15
 * checkpoints and metrics rows 1-15). Each fault either resumes to the uninterrupted run's exact
 * result, or is refused with one line naming the path while the folder stays byte for byte as it was.
 */
/** Shorter than the kill suite's run: each fault here costs a resume to the end. */
const SHORT = ['--steps', '21'];
const args = (run: string, extra: string[] = []) => trainArgs(run, [...SHORT, ...extra]);
let ref = '';
let base = '';
let refFinal: ReturnType<typeof finalOf>;
let refRows: Record<string, unknown>[] = [];
const counts = { faults: 0, recovered: 0, refused: 0, dataLost: 0 };

test.before(async () => {
  ref = join(tempDir('ssgan-damage-ref-'), 'run');
  const r = runToEnd(args(ref, ['--keep-checkpoints', '100']));
  if (r.status !== 0) throw new Error(r.stderr);
  refFinal = finalOf(ref);
  refRows = metricsOf(ref);
  base = join(tempDir('ssgan-damage-base-'), 'run');
  await runAndKill(args(base), base, { kind: 'stage', stage: 'prune', step: 15 });
});

function copyOfBase(): string {
  const dir = join(tempDir('ssgan-damage-'), 'run');
  cpSync(base, dir, { recursive: true });
  return dir;
}

const ckpt = (run: string, step: number) => join(run, 'checkpoint', `step-${String(step).padStart(8, '0')}`);

/** Resumes to the end; the result, weights and every metrics row must equal the uninterrupted run's. */
function resumeMatches(t: import('ava').ExecutionContext, run: string, resumeStep: number, extra: string[] = []) {
  const r = runToEnd(args(run, ['--resume', ...extra]));
  t.is(r.status, 0, r.stderr);
  t.is(resumedAt(r.stderr), resumeStep, r.stderr);
  const final = finalOf(run);
  const same =
    JSON.stringify(final) === JSON.stringify(refFinal) && JSON.stringify(metricsOf(run)) === JSON.stringify(refRows);
  t.true(same, 'the resumed run differs from the uninterrupted one');
  counts.faults++;
  if (same) counts.recovered++;
  else counts.dataLost++;
  return r;
}

/** A refusal: exit 1, one `ssgan:` line on stderr matching `message`, the folder unchanged. */
function refused(t: import('ava').ExecutionContext, run: string, args: string[], message: RegExp) {
  const before = treeDigest(run);
  const r = runToEnd(args);
  t.is(r.status, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('ssgan:'));
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0] ?? '', message);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  const same = treeDigest(run) === before;
  t.true(same, 'the refused command changed the run folder');
  counts.faults++;
  if (same) counts.refused++;
  else counts.dataLost++;
  return lines[0] ?? '';
}

test.serial('the base state: checkpoints at 12 and 15, identical to the uninterrupted run, rows 1-15', (t) => {
  t.deepEqual(readdirSync(join(base, 'checkpoint')).sort(), ['latest.json', 'step-00000012', 'step-00000015']);
  for (const s of [12, 15]) t.deepEqual(weightDigests(ckpt(base, s)), weightDigests(referenceCheckpoint(ref, s)));
  t.deepEqual(metricsOf(base), refRows.slice(0, 15));
});

test.serial('a torn last metrics line is dropped with a warning naming file and line; the run continues', (t) => {
  const run = copyOfBase();
  appendFileSync(join(run, 'metrics.jsonl'), '{"step":16,"epoch":0.016,"wallSec');
  const r = resumeMatches(t, run, 15);
  t.regex(r.stderr, new RegExp(`ssgan: warning: ${join(run, 'metrics.jsonl')}:16: dropped a torn last line`));
});

test.serial('an unreadable metrics line inside the file: refused, naming file and line number', (t) => {
  const run = copyOfBase();
  const p = join(run, 'metrics.jsonl');
  const lines = readFileSync(p, 'utf8').split('\n');
  lines[4] = lines[4].slice(0, 20) + '#' + lines[4].slice(21);
  writeFileSync(p, lines.join('\n'));
  refused(t, run, args(run, ['--resume']), new RegExp(`^ssgan: ${p}:5: not a metrics row \\(`));
});

test.serial('a truncated weights file: the warning names it, the run resumes from the checkpoint before', (t) => {
  const run = copyOfBase();
  const damaged = join(ckpt(run, 15), 'D', 'weights.bin');
  truncateSync(damaged, 1000);
  const r = resumeMatches(t, run, 12);
  t.regex(
    r.stderr,
    new RegExp(
      `ssgan: warning: ${damaged}: 1000 bytes, the manifest says \\d+; fell back to the checkpoint at step 12`,
    ),
  );
});

test.serial('a flipped bit in a weights file: the checksum catches it, the run resumes from the one before', (t) => {
  const run = copyOfBase();
  const damaged = join(ckpt(run, 15), 'optimizer-G', 'weights.bin');
  const bytes = readFileSync(damaged);
  bytes[12345] ^= 0x01;
  writeFileSync(damaged, bytes);
  const r = resumeMatches(t, run, 12);
  t.regex(r.stderr, new RegExp(`ssgan: warning: ${damaged}: checksum differs from the manifest`));
});

test.serial('a missing pointer: the newest intact checkpoint is found, with a warning', (t) => {
  const run = copyOfBase();
  rmSync(join(run, 'checkpoint', 'latest.json'));
  const r = resumeMatches(t, run, 15);
  t.regex(r.stderr, /latest\.json: missing; using the newest intact checkpoint/);
});

test.serial('every checkpoint damaged: refused with one line naming each file, never a fresh start', (t) => {
  const run = copyOfBase();
  truncateSync(join(ckpt(run, 15), 'G', 'weights.bin'), 0);
  rmSync(join(ckpt(run, 12), 'manifest.json'));
  const line = refused(t, run, args(run, ['--resume']), /no intact checkpoint/);
  t.true(line.includes(join(ckpt(run, 15), 'G', 'weights.bin')), line);
  t.true(line.includes(join(ckpt(run, 12), 'manifest.json')), line);
});

test.serial('--resume with settings that change the numbers: refused, listing every difference', (t) => {
  const run = copyOfBase();
  const line = refused(
    t,
    run,
    args(run, ['--resume', '--labels', '50', '--seed', '22', '--batch-size', '20']),
    /was trained with other settings: /,
  );
  t.true(line.includes('--batch-size 10 (now 20)'), line);
  t.true(line.includes('--labels 20 (now 50)'), line);
  t.true(line.includes('--seed 1 (now 22)'), line);
});

test.serial('--resume with other bounds extends the run and records the extension', (t) => {
  const run = copyOfBase();
  const r = runToEnd(args(run, ['--resume', '--steps', '24']));
  t.is(r.status, 0, r.stderr);
  t.is(resumedAt(r.stderr), 15);
  const record = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
  t.deepEqual(record.extensions, [{ atStep: 15, from: { steps: 21 }, to: { steps: 24 } }]);
  t.is(JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')).steps, 24);
  // Up to the resume point nothing changed.
  t.deepEqual(metricsOf(run).slice(0, 15), refRows.slice(0, 15));
});

test.serial(
  'a file-size limit hit during a save (ulimit -f): the error names the file, the previous checkpoint survives',
  (t) => {
    const run = copyOfBase();
    // 1 MiB: run.json and metrics rows fit, a 6 MB weights file does not.
    const r = runToEndLimited(args(run, ['--resume']), 1024);
    t.is(r.status, 1, r.stderr);
    t.regex(
      r.stderr,
      new RegExp(
        `^ssgan: ${join(run, 'checkpoint')}/step-00000018\\.partial/D/weights\\.bin: could not write \\(EFBIG`,
        'm',
      ),
    );
    const ck = latestCheckpoint(run);
    t.is(ck?.step, 15);
    t.deepEqual(weightDigests(ck!.dir), weightDigests(referenceCheckpoint(ref, 15)));
    t.false(readdirSync(join(run, 'checkpoint')).some((n) => n.endsWith('.partial')));
    // With room again, the same folder resumes to the uninterrupted result.
    resumeMatches(t, run, 15);
  },
);

/**
 * A 48 MiB tmpfs holds the step-0 checkpoint (15 MB: Adam has no moments yet) and the step-3 one
 * (33 MB) but not a third: the disk fills during the step-6 save, before pruning could free room.
 */
function mountSmallTmpfs(): string | null {
  const dir = tempDir('ssgan-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? dir : null;
}
const tmpfs = process.platform === 'linux' && process.getuid?.() === 0 ? mountSmallTmpfs() : null;
if (tmpfs) test.after.always(() => spawnSync('umount', [tmpfs]));

(tmpfs ? test.serial : test.serial.skip)(
  'a full disk during a save (small tmpfs): the error names the file, the previous checkpoint survives',
  (t) => {
    const run = join(tmpfs!, 'run');
    mkdirSync(run);
    const r = runToEnd(args(run));
    t.is(r.status, 1, r.stderr);
    t.regex(
      r.stderr,
      new RegExp(`^ssgan: ${join(run, 'checkpoint')}/step-00000006\\.partial/.*: could not write \\(ENOSPC`, 'm'),
    );
    const ck = latestCheckpoint(run);
    t.is(ck?.step, 3);
    t.deepEqual(weightDigests(ck!.dir), weightDigests(referenceCheckpoint(ref, 3)));
    t.false(readdirSync(join(run, 'checkpoint')).some((n) => n.endsWith('.partial')));
    const moved = join(tempDir('ssgan-moved-'), 'run');
    cpSync(run, moved, { recursive: true });
    resumeMatches(t, moved, 3);
  },
);

test.serial('--run-dir naming a file, or a path under a file: one line naming it', (t) => {
  const dir = tempDir();
  const file = join(dir, 'metrics.jsonl');
  writeFileSync(file, 'x');
  const l1 = refused(t, dir, args(file), /^ssgan: --run-dir .*: is a file, expected a folder$/);
  t.true(l1.includes(file));
  const l2 = refused(
    t,
    dir,
    args(join(file, 'run')),
    /^ssgan: --run-dir .*: .* is a file, so the folder cannot be created there$/,
  );
  t.true(l2.includes(file));
  t.true(existsSync(file));
});

test.serial('counts', (t) => {
  t.log(
    `faults injected ${counts.faults}: recovered to the uninterrupted result ${counts.recovered}, refused with the folder unchanged ${counts.refused}, data lost ${counts.dataLost}`,
  );
  t.true(counts.faults >= (tmpfs ? 11 : 10));
  t.is(counts.dataLost, 0);
  t.is(counts.recovered + counts.refused, counts.faults);
});
