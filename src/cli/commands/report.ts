import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { readResults } from '../../bench/results.ts';
import { renderReport } from '../../report/render.ts';

export const reportCommand: CommandModule<object, { from: string; out?: string }> = {
  command: 'report',
  describe: 'Markdown and HTML report (tables, charts, confusion matrices, samples) from a sweep',
  builder: (y) =>
    y
      .option('from', {
        type: 'string',
        demandOption: true,
        describe: 'a sweep folder holding results.json (reports/<name>)',
      })
      .option('out', { type: 'string', describe: 'where report.md/html go (default: the --from folder)' }),
  handler: async (a) => {
    const results = readResults(join(a.from, 'results.json'));
    if (!results) throw new Error(`--from ${a.from}: no results.json there (run \`ssgan bench\` first)`);
    if (!results.rows.some((r) => r.status === 'ok'))
      throw new Error(`${join(a.from, 'results.json')}: no successful runs to report`);
    const out = a.out ?? a.from;
    renderReport(results, out, { fromDir: a.from, warn: (m) => process.stderr.write(`ssgan: warning: ${m}\n`) });
    process.stdout.write(`${join(out, 'report.md')}, ${join(out, 'report.html')}\n`);
  },
};
