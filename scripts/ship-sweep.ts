/**
 * Ships a finished (or partly finished) sweep as an example: its successful cells' run records
 * (config, backend, versions, checksums, metrics, samples; no checkpoints, which are large and
 * only for resuming), a results.json naming them at their new place, and the report rendered
 * there. Several sweep folders may be given (a side sweep of the same cells): the first that
 * finished a cell wins, and a failure is kept only where none did. The destination is replaced
 * whole, so a shipped example never mixes in what it held before.
 *
 *   npx tsx scripts/ship-sweep.ts --to examples/mnist-10k [--command "…"] <sweep folder>...
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { type ResultRow, readResults, writeResults } from '../src/bench/results.ts';
import { renderReport } from '../src/report/render.ts';
import { replaceDirAtomic } from '../src/util/fs.ts';

/** What a shipped run folder keeps: everything but the checkpoint (and stray temp files). */
const shippable = (name: string) => name !== 'checkpoint' && !name.includes('.tmp');

function main(argv: string[]) {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    if (i + 1 >= argv.length) throw new Error(`--${name}: expected a value`);
    return argv.splice(i, 2)[1];
  };
  const toFlag = flag('to');
  const command = flag('command');
  if (!toFlag) throw new Error('--to: give the folder to ship into (e.g. examples/mnist-10k)');
  const sources = argv;
  if (!sources.length) throw new Error('give at least one sweep folder (holding results.json)');
  // Rows name their runs relative to the working folder, as a sweep's own results.json does.
  const to = relative('.', resolve(toFlag));
  const inside = (a: string, b: string) => `${resolve(a)}${sep}`.startsWith(`${resolve(b)}${sep}`);
  if (!to || to.startsWith('..') || sources.some((s) => inside(s, to) || inside(to, s)))
    throw new Error(`--to ${toFlag}: expected a folder of its own under the working folder, apart from the sweeps`);
  const picked = new Map<string, { row: ResultRow; from: string | null }>();
  let first: ReturnType<typeof readResults> = null;
  for (const from of sources) {
    const results = readResults(join(from, 'results.json'));
    if (!results) throw new Error(`${from}: no results.json there`);
    first ??= results;
    if (results.dataset !== first.dataset)
      throw new Error(`${from}: a sweep of ${results.dataset}, not of ${first.dataset} like ${sources[0]}`);
    for (const row of results.rows) {
      // A successful run wins over a failed one; a failure is shipped only where no source has the cell.
      const had = picked.get(row.id);
      if (had && (had.row.status === 'ok' || row.status !== 'ok')) continue;
      const dir = join(from, 'runs', basename(row.runDir));
      if (row.status === 'ok' && !existsSync(join(dir, 'result.json')))
        throw new Error(`${dir}: no result.json for ${row.id}`);
      picked.set(row.id, { row, from: row.status === 'ok' ? dir : null });
    }
  }
  const checksums = new Set([...picked.values()].map(({ row }) => row.dataChecksum).filter(Boolean));
  if (checksums.size > 1)
    throw new Error(`${sources.join(', ')}: their runs read different data (checksums ${[...checksums].join(', ')})`);
  if (![...picked.values()].some(({ row }) => row.status === 'ok'))
    throw new Error(`${sources.join(', ')}: no successful cells to ship`);
  const base = { name: first!.name, dataset: first!.dataset, command: command ?? first!.command };
  const at = (dir: string) =>
    [...picked.values()].map(({ row }) => ({ ...row, runDir: join(dir, 'runs', basename(row.runDir)) }));
  replaceDirAtomic(to, (tmp) => {
    for (const { row, from } of picked.values()) {
      if (!from) continue;
      const dest = join(tmp, 'runs', basename(row.runDir));
      for (const f of readdirSync(from).filter(shippable)) cpSync(join(from, f), join(dest, f), { recursive: true });
      // A gan-aug cell's draw: its manifest and grids, which the report's augmentation section reads.
      if (existsSync(`${from}-generated`))
        for (const f of readdirSync(`${from}-generated`).filter((n) => n === 'manifest.json' || n.endsWith('.png')))
          cpSync(join(`${from}-generated`, f), join(`${dest}-generated`, f));
    }
    writeResults(join(tmp, 'results.json'), base, at(to));
    // Rendered from the rows' temporary places: nothing of what `to` held before can leak in.
    renderReport({ ...base, updatedAt: new Date().toISOString(), rows: at(tmp) }, tmp, {
      fromDir: tmp,
      warn: (m) => process.stderr.write(`ship-sweep: warning: ${m}\n`),
    });
  });
  const ok = [...picked.values()].filter(({ row }) => row.status === 'ok').length;
  process.stdout.write(`${ok} cells shipped to ${to}${picked.size > ok ? `, ${picked.size - ok} failed` : ''}\n`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`ship-sweep: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
