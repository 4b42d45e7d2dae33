import cliProgress from 'cli-progress';
import type { Callback } from '../callback.ts';
import type { MetricsRow } from '../../run/types.ts';
import type { TrainContext } from '../context.ts';

const pct = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : '-');

/** The method's losses in the last row, short: `lossLab 0.123` -> `Lab 0.123`. */
function summary(row: MetricsRow, keys: string[]): string {
  return keys.map((k) => `${k.replace(/^loss/, 'L')} ${Number(row[k]).toPrecision(3)}`).join(' ');
}

/**
 * A progress bar on a terminal (stderr); elsewhere one line per epoch, so logs of long runs in
 * files stay readable.
 */
export function progress(show: boolean): Callback {
  let bar: cliProgress.SingleBar | null = null;
  let drawn = -1;
  let keys: string[] = [];
  const draw = (ctx: TrainContext) => {
    if (!bar || !ctx.lastRow || ctx.lastRow.step === drawn) return;
    drawn = ctx.lastRow.step;
    bar.update(ctx.step, {
      epoch: (ctx.step / ctx.stepsPerEpoch).toFixed(1),
      logs: summary(ctx.lastRow, keys),
      acc: Number(ctx.lastRow.trainAccuracy ?? NaN).toFixed(3),
      ips: Number(ctx.lastRow.imagesPerSecond).toFixed(0),
    });
  };
  return {
    name: 'progress',
    onTrainBegin(ctx) {
      if (!show || !process.stderr.isTTY) return;
      bar = new cliProgress.SingleBar(
        {
          format: '{bar} step {value}{total} | ep {epoch} | {logs} | acc {acc} | {ips} img/s',
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      );
      const total = Number.isFinite(ctx.maxSteps) ? ctx.maxSteps : 0;
      bar.start(total, ctx.step, { total: '', epoch: 0, logs: '-', acc: '-', ips: '-' });
    },
    onStepEnd(ctx, logs) {
      keys = Object.keys(logs).filter((k) => k.startsWith('loss'));
      draw(ctx);
    },
    onEpochEnd(ctx) {
      draw(ctx);
      const row = ctx.lastRow;
      if (bar || !row) return;
      const val = row.validationAccuracy !== undefined ? `, validation ${pct(row.validationAccuracy)}` : '';
      const ips = Number(row.imagesPerSecond).toFixed(0);
      const epoch = Math.round(ctx.step / ctx.stepsPerEpoch);
      ctx.log(`epoch ${epoch} step ${ctx.step}: test accuracy ${pct(row.testAccuracy)}${val}, ${ips} img/s`);
    },
    onTrainEnd: () => bar?.stop(),
    onException: () => bar?.stop(),
  };
}
