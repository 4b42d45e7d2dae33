import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMetricsFile, truncateMetricsFile } from '../../src/run/metrics-file.ts';
import { tempDir } from '../helpers/tmp.ts';

const rows = [1, 2, 3, 4].map((step) => ({ step, epoch: step / 10, wallSeconds: step * 0.5, lossLab: 1 / step }));
const text = rows.map((r) => JSON.stringify(r) + '\n').join('');

function file(content: string): string {
  const p = join(tempDir(), 'metrics.jsonl');
  writeFileSync(p, content);
  return p;
}

test('whole lines read back exactly', (t) => {
  const warnings: string[] = [];
  t.deepEqual(
    readMetricsFile(file(text), (m) => warnings.push(m)),
    rows,
  );
  t.deepEqual(warnings, []);
});

test('a torn last line (a crash inside an append) is dropped with a warning naming file and line', (t) => {
  const p = file(text + '{"step":5,"epoch":0.');
  const warnings: string[] = [];
  t.deepEqual(
    readMetricsFile(p, (m) => warnings.push(m)),
    rows,
  );
  t.is(warnings.length, 1);
  t.true(warnings[0].startsWith(`${p}:5: dropped a torn last line`), warnings[0]);
});

test('an unterminated last line that is a whole row is kept', (t) => {
  const p = file(text + JSON.stringify({ step: 5, epoch: 0.5, wallSeconds: 3 }));
  t.is(readMetricsFile(p, () => t.fail()).length, 5);
});

test('an unreadable line elsewhere is an error naming file and line number', (t) => {
  const lines = text.split('\n');
  lines[1] = lines[1].replace('"step":2', '"step":');
  const p = file(lines.join('\n'));
  t.throws(() => readMetricsFile(p), { message: new RegExp(`^${p}:2: not a metrics row \\(`) });
  const q = file(text + '[1,2]\n');
  t.throws(() => readMetricsFile(q), { message: `${q}:5: not a metrics row (expected a JSON object)` });
  const r = file('{"epoch": 1}\n');
  t.throws(() => readMetricsFile(r), { message: `${r}:1: not a metrics row (expected a numeric "step")` });
});

test('truncating for a resume keeps rows up to the checkpoint and drops a torn line, rewriting only then', (t) => {
  const p = file(text + '{"st');
  t.deepEqual(
    truncateMetricsFile(p, 2, () => {}),
    rows.slice(0, 2),
  );
  t.is(
    readFileSync(p, 'utf8'),
    rows
      .slice(0, 2)
      .map((r) => JSON.stringify(r) + '\n')
      .join(''),
  );
  const q = file(text);
  truncateMetricsFile(q, 10, () => {});
  t.is(readFileSync(q, 'utf8'), text);
  t.deepEqual(truncateMetricsFile(join(tempDir(), 'none.jsonl'), 3), []);
});
