import { GAN_AUG_DEFAULTS } from '../config/defaults.ts';
import { flagOf } from '../config/options.ts';
import { allVariants } from '../methods/registry.ts';
import { join } from 'node:path';

/** The methods a sweep compares: every bench variant of every method in the registry. */
export const METHODS = allVariants().map((v) => v.name);
export type Method = string;

const needsGenerator = (m: Method) => allVariants().some((v) => v.name === m && v.needsGenerator);

export interface Cell {
  id: string;
  labels: number | 'all';
  method: Method;
  seed: number;
  runDir: string;
  /** Arguments after `ssgan`, without run dir and bounds. */
  args: string[];
  /** For the gan-aug cells: the conditional GAN cell whose generator supplies the extra images. */
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
  /** Architecture of the supervised baselines and of the conditional GAN behind the gan-aug cells. */
  arch: 'mlp' | 'dcgan';
  bounds: string[];
  /** Flags given to every run that are neither bounds nor method flags (e.g. --batch-size). */
  runFlags: string[];
  backend: string;
  reportsDir: string;
  /** Generated images (in total, split equally over the classes) added by the gan-aug cells. */
  ganAugCount: number;
  /** The agreement filter of the gan-aug cells' `generate` (GAN_AUG_DEFAULTS.minConfidence when absent). */
  ganAugMinConfidence?: number;
}

export function parseMethods(v: string): Method[] {
  const out = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = allVariants().map((x) => x.name);
  for (const m of out)
    if (!known.includes(m))
      throw new Error(`--methods: unknown method ${JSON.stringify(m)}; expected some of ${known.join(', ')}`);
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

/** The `ssgan` command line of a variant: its method and settings; baselines take the sweep's arch. */
function methodArgs(m: Method, arch: string): string[] {
  const v = allVariants().find((x) => x.name === m)!;
  const settings = { arch, ...v.settings };
  const flags = Object.entries(settings).flatMap(([k, val]) => [`--${flagOf(k)}`, String(val)]);
  return ['train', '--method', v.method.id, ...flags];
}

export function cellId(labels: number | 'all', method: Method, seed: number): string {
  return `${labels}-${method.replace('+', '_')}-s${seed}`;
}

/**
 * The GAN whose samples a gan-aug cell trains on: a class-conditional one of the sweep's arch
 * (GAN_AUG_DEFAULTS.gan), since its samples of class y are drawn as y (and kept only where its
 * classifier agrees), rather than labelled after the fact by an unconditional GAN's classifier.
 */
export function ganFor(arch: 'mlp' | 'dcgan'): Method {
  const m = GAN_AUG_DEFAULTS.gan[arch];
  if (!allVariants().some((v) => v.name === m && v.method.id === 'sslgan-cond'))
    throw new Error(`GAN_AUG_DEFAULTS.gan.${arch}: ${m} is not a bench variant of sslgan-cond`);
  return m;
}

/** Every (labels, method, seed) cell; GAN cells first, since gan-aug cells read their generators. */
export function planCells(spec: SweepSpec): Cell[] {
  const cells: Cell[] = [];
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
        if (needsGenerator(method)) cell.dependsOn = cellId(labels, ganFor(spec.arch), seed);
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
