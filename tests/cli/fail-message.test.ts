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
