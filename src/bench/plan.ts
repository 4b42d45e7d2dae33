import { join } from 'node:path';

/** The methods a sweep compares, and the `ssgan` command line of each. */
export const METHODS = [
  'sslgan-mlp',
  'sslgan-dcgan',
  'sslgan-wgan',
  'supervised',
  'supervised-aug',
  'supervised+gan-aug',
] as const;
export type Method = (typeof METHODS)[number];

export interface Cell {
  id: string;
  labels: number | 'all';
  method: Method;
  seed: number;
  runDir: string;
  /** Arguments after `ssgan`, without run dir and bounds. */
  args: string[];
  /** For supervised+gan-aug: the GAN cell whose generator supplies the extra images. */
  dependsOn?: string;
}

/** A cell with its identity: the hash of everything that changes its result (see identity.ts). */
export interface KeyedCell extends Cell {
  key: string;
  /** Run folder name under <sweep>/runs: the cell id and the start of its key. */
  folder: string;
  /** The full `ssgan` command line of the run, without run dir, data dir and resume flags. */
  runArgs: string[];
}

export interface SweepSpec {
  name: string;
  dataset: string;
  dataDir?: string;
  labels: (number | 'all')[];
  methods: Method[];
  seeds: number[];
  /** Architecture of the supervised baselines and of the GAN behind supervised+gan-aug. */
  arch: 'mlp' | 'dcgan';
  bounds: string[];
  /** Flags given to every run that are neither bounds nor method flags (e.g. --batch-size). */
  runFlags: string[];
  backend: string;
  reportsDir: string;
  /** Generated images (in total) added by supervised+gan-aug cells. */
  ganAugCount: number;
}

export function parseMethods(v: string): Method[] {
  const out = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const m of out)
    if (!(METHODS as readonly string[]).includes(m))
      throw new Error(`--methods: unknown method ${JSON.stringify(m)}; expected some of ${METHODS.join(', ')}`);
  if (!out.length) throw new Error('--methods: give at least one method');
  return out as Method[];
}

export function parseLabelList(v: string): (number | 'all')[] {
  const out = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (s === 'all') return 'all' as const;
      const n = Number(s);
      if (!Number.isInteger(n) || n <= 0)
        throw new Error(
          `--labels: expected a comma-separated list of positive integers or 'all', got ${JSON.stringify(s)}`,
        );
      return n;
    });
  if (!out.length) throw new Error('--labels: give at least one label budget');
  return out;
}

function methodArgs(m: Method, arch: string): string[] {
  switch (m) {
    case 'sslgan-mlp':
      return ['train', '--arch', 'mlp'];
    case 'sslgan-dcgan':
      return ['train', '--arch', 'dcgan', '--gan', 'standard'];
    case 'sslgan-wgan':
      return ['train', '--arch', 'dcgan', '--gan', 'wgan-gp'];
    case 'supervised':
      return ['baseline', '--arch', arch, '--augment', 'none'];
    case 'supervised-aug':
      return ['baseline', '--arch', arch, '--augment', 'shift'];
    case 'supervised+gan-aug':
      return ['baseline', '--arch', arch, '--augment', 'none'];
  }
}

export function cellId(labels: number | 'all', method: Method, seed: number): string {
  return `${labels}-${method.replace('+', '_')}-s${seed}`;
}

/** Every (labels, method, seed) cell; GAN cells first, since gan-aug cells read their generators. */
export function planCells(spec: SweepSpec): Cell[] {
  const cells: Cell[] = [];
  const ganFor = (arch: string): Method => (arch === 'dcgan' ? 'sslgan-dcgan' : 'sslgan-mlp');
  for (const labels of spec.labels) {
    for (const seed of spec.seeds) {
      for (const method of spec.methods) {
        const id = cellId(labels, method, seed);
        const cell: Cell = {
          id,
          labels,
          method,
          seed,
          runDir: join(spec.reportsDir, spec.name, 'runs', id),
          args: methodArgs(method, spec.arch),
        };
        if (method === 'supervised+gan-aug') cell.dependsOn = cellId(labels, ganFor(spec.arch), seed);
        cells.push(cell);
      }
    }
  }
  // A gan-aug cell whose GAN is not in the sweep gets it added (it is needed, and worth reporting).
  for (const c of [...cells]) {
    if (c.dependsOn && !cells.some((d) => d.id === c.dependsOn)) {
      const method = ganFor(spec.arch);
      cells.push({
        id: c.dependsOn,
        labels: c.labels,
        method,
        seed: c.seed,
        runDir: join(spec.reportsDir, spec.name, 'runs', c.dependsOn),
        args: methodArgs(method, spec.arch),
      });
    }
  }
  const rank = (c: Cell) => (c.method.startsWith('sslgan') ? 0 : c.dependsOn ? 2 : 1);
  return cells.sort((a, b) => rank(a) - rank(b));
}
