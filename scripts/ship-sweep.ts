/**
 * Ships a finished (or partly finished) sweep as an example: its successful cells' run records
 * (config, backend, versions, checksums, metrics, samples; no checkpoints, which are large and
 * only for resuming), a results.json naming them at their new place, and the report rendered
 * there. Several sweep folders may be given (a side sweep of the same cells); the first that has
 * a cell wins. The destination is replaced whole, so a shipped example never mixes two sweeps.
 *
 *   npx tsx scripts/ship-sweep.ts --to examples/mnist-10k [--command "…"] <sweep folder>...
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type ResultRow, readResults, writeResults } from '../src/bench/results.ts';
import { renderReport } from '../src/report/render.ts';
import { replaceDirAtomic } from '../src/util/fs.ts';

/** What a shipped run folder keeps: everything but the checkpoint (and stray temp files). */
export const shippable = (name: string) => name !== 'checkpoint' && !name.includes('.tmp');

function main(argv: string[]) {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    if (i + 1 >= argv.length) throw new Error(`--${name}: expected a value`);
    return argv.splice(i, 2)[1];
  };
  const to = flag('to');
  const command = flag('command');
  if (!to) throw new Error('--to: give the folder to ship into (e.g. examples/mnist-10k)');
  const sources = argv;
  if (!sources.length) throw new Error('give at least one sweep folder (holding results.json)');
  const picked = new Map<string, { row: ResultRow; from: string }>();
  let first: ReturnType<typeof readResults> = null;
  for (const from of sources) {
    const results = readResults(join(from, 'results.json'));
    if (!results) throw new Error(`${from}: no results.json there`);
    first ??= results;
    for (const row of results.rows) {
      if (row.status !== 'ok' || picked.has(row.id)) continue;
      const dir = join(from, 'runs', basename(row.runDir));
      if (!existsSync(join(dir, 'result.json'))) throw new Error(`${dir}: no result.json for ${row.id}`);
      picked.set(row.id, { row, from: dir });
    }
  }
  if (!picked.size) throw new Error(`${sources.join(', ')}: no successful cells to ship`);
  const base = { name: first!.name, dataset: first!.dataset, command: command ?? first!.command };
  const at = (dir: string) =>
    [...picked.values()].map(({ row }) => ({ ...row, runDir: join(dir, 'runs', basename(row.runDir)) }));
  replaceDirAtomic(to, (tmp) => {
    for (const { row, from } of picked.values()) {
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
  process.stdout.write(`${picked.size} cells shipped to ${to}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`ship-sweep: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
