/**
 * How `--backend auto` ranks the CPU backends: pure, so it is tested without loading any.
 * node-gpu with a GPU is taken before any of this (select.ts).
 */

/** The CPU engines auto chooses among; 'wasm+native' is wasm with the BLAS addon's kernels. */
export type CpuEngine = 'wasm+native' | 'node' | 'wasm' | 'cpu';

/** The order used where nothing is measured (node absent): native kernels, node, plain wasm, cpu. */
export const CPU_PREFERENCE: readonly CpuEngine[] = ['wasm+native', 'node', 'wasm', 'cpu'];

export const ENGINE_LABEL: Record<CpuEngine, string> = {
  'wasm+native': 'wasm + native',
  node: 'node',
  wasm: 'plain wasm',
  cpu: 'cpu',
};

export type Speeds = Partial<Record<CpuEngine, number>>;

export interface AutoChoice {
  pick: CpuEngine;
  /** One line, e.g. "node present but wasm + native is 2.9x faster here (...)". */
  reason: string;
}

/**
 * The engines worth measuring: node against the best wasm present. Only that pair is ever
 * close enough to need a measurement (the pure-JavaScript cpu backend is 10-100x slower than
 * either), and with one of them absent the order above decides.
 */
export function contenders(present: readonly CpuEngine[]): CpuEngine[] {
  const wasm = present.includes('wasm+native') ? 'wasm+native' : present.includes('wasm') ? 'wasm' : null;
  return present.includes('node') && wasm ? ['node', wasm] : [];
}

const ips = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Picks the fastest present engine: by the measured images/s of the contenders where both were
 * measured, else by CPU_PREFERENCE. `missing` holds why an engine is absent, and `when` when the
 * speeds were measured, for the reason line.
 */
export function chooseCpuEngine(
  present: readonly CpuEngine[],
  speeds: Speeds,
  missing: Partial<Record<CpuEngine, string>> = {},
  when = '',
): AutoChoice {
  const pair = contenders(present);
  const [a, b] = pair;
  if (pair.length === 2 && speeds[a]! > 0 && speeds[b]! > 0) {
    const [fast, slow] = speeds[a]! >= speeds[b]! ? [a, b] : [b, a];
    return {
      pick: fast,
      reason:
        `${ENGINE_LABEL[slow]} present but ${ENGINE_LABEL[fast]} is ${(speeds[fast]! / speeds[slow]!).toFixed(1)}x ` +
        `faster here (mlp K+1 step: ${ips(speeds[fast]!)} vs ${ips(speeds[slow]!)} images/s${when ? `; ${when}` : ''})`,
    };
  }
  const pick = CPU_PREFERENCE.find((e) => present.includes(e));
  if (!pick) throw new Error('no CPU backend is present');
  const absent = CPU_PREFERENCE.slice(0, CPU_PREFERENCE.indexOf(pick))
    .map((e) => `${ENGINE_LABEL[e]}: ${missing[e] ?? 'absent'}`)
    .join('; ');
  return { pick, reason: `the fastest CPU backend present${absent ? ` (${absent})` : ''}` };
}
