import test from 'ava';
import { spawnSync } from 'node:child_process';
import { failMessage } from '../../src/cli/fail-message.ts';

const BIN = new URL('../../bin/ssgan.js', import.meta.url).pathname;

test("yargs' bad-choice wording becomes the project's one line, one clause per flag", (t) => {
  const yargsText = [
    'Invalid values:',
    '  Argument: backend, Given: "foo", Choices: "auto", "wasm"',
    '  Argument: lr-decay, Given: "x", Choices: "linear", "none"',
  ].join('\n');
  t.is(
    failMessage(yargsText),
    '--backend: expected one of auto, wasm, got "foo"; --lr-decay: expected one of linear, none, got "x"',
  );
});

test('other messages are only folded onto one line', (t) => {
  t.is(failMessage('Unknown argument: bogus'), 'Unknown argument: bogus');
  t.is(failMessage('first\n  second'), 'first; second');
  t.is(
    failMessage('Invalid values:\n  something yargs may say one day'),
    'Invalid values:; something yargs may say one day',
  );
});

test('a bad --lr-decay on the real CLI stops with that line', (t) => {
  const r = spawnSync(process.execPath, [BIN, 'bench', '--lr-decay', 'sometimes'], { encoding: 'utf8' });
  t.is(r.status, 1);
  t.is(r.stderr, 'ssgan: --lr-decay: expected one of linear, none, got "sometimes"\n');
});

test('bench --queue refuses what a worker elsewhere cannot read: its cache, relative image folders', (t) => {
  const bench = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [BIN, 'bench', '--queue', 'redis://127.0.0.1:1', '--results', '/tmp/r', '--steps', '1', ...extra],
      { encoding: 'utf8' },
    ).stderr;
  t.is(
    bench('--cache-dir', '/tmp/c'),
    'ssgan: --cache-dir: not with --queue (each worker keeps its own decode cache)\n',
  );
  t.regex(bench('--dataset', 'folder:pile'), /^ssgan: --dataset folder:pile: with --queue, give the absolute path/);
  t.regex(bench('--unlabelled-dir', 'more'), /^ssgan: --unlabelled-dir: with --queue, give the absolute path/);
});
