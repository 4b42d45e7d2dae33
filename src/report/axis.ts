/**
 * The error axis of a chart: linear from 0, or logarithmic where the plotted errors span a
 * decade or more (a 40% and a 2% error on one linear axis leave the small one unreadable).
 */
export interface ErrorAxis {
  log: boolean;
  min: number;
  max: number;
  ticks: number[];
  /** Position of an error (%) from the bottom (0) to the top (1); errors below the floor sit on it. */
  at(v: number): number;
}

/** Steps of a 1-2-5 tick ladder around `v`: the largest at or below it, the smallest at or above. */
function ladder(v: number, dir: 'down' | 'up'): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((k) => k * p);
  // Rounding keeps 0.3 * 10 from reading as 2.9999...
  const tol = (x: number) => Math.abs(x - v) <= 1e-9 * v;
  if (dir === 'down') return [...steps].reverse().find((s) => s <= v || tol(s))!;
  return steps.find((s) => s >= v || tol(s))!;
}

/** Round ticks from 0 to at least `max`: 0, s, 2s... with s a 1-2-5 step. */
export function linearTicks(max: number, count = 5): number[] {
  const step = ladder(Math.max(max, 1e-9) / count, 'up');
  const n = Math.ceil(max / step - 1e-9);
  return Array.from({ length: n + 1 }, (_, k) => Number((k * step).toPrecision(12)));
}

/** True where the positive values span at least a factor of ten. */
export function spansDecade(values: number[]): boolean {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) >= 10;
}

/** The axis for errors in percent: linear from 0 to the first round tick at or above the largest error, else log. */
export function errorAxis(values: number[]): ErrorAxis {
  const finite = values.filter(Number.isFinite);
  if (spansDecade(finite)) {
    const pos = finite.filter((v) => v > 0);
    const min = ladder(Math.min(...pos), 'down');
    const max = ladder(Math.max(...pos), 'up');
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
      for (const k of [1, 2, 5]) {
        const t = Number((k * 10 ** e).toPrecision(6));
        if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(t);
      }
    const span = Math.log10(max) - Math.log10(min);
    return { log: true, min, max, ticks, at: (v) => (Math.log10(Math.max(v, min)) - Math.log10(min)) / span };
  }
  const ticks = linearTicks(Math.max(1, ...finite));
  const max = ticks[ticks.length - 1];
  return { log: false, min: 0, max, ticks, at: (v) => v / max };
}

/** A tick's label: as many decimals as the tick needs, and no more. */
export function tickLabel(v: number): string {
  return `${v >= 1 ? Number(v.toFixed(1)) : Number(v.toPrecision(2))}%`;
}
