import type { Argv } from 'yargs';
import { BACKENDS } from '../backend/select.ts';
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { COMMON_DEFAULTS, IMAGE_DEFAULTS } from '../config/defaults.ts';
import { flagOf } from '../config/options.ts';
import { isNonEmptyDir } from '../util/fs.ts';

/** A flag value the user got wrong: reported as one line naming the flag. */
export class UsageError extends Error {}

export function fail(flag: string, expected: string, got: unknown): never {
  throw new UsageError(`--${flag}: expected ${expected}, got ${JSON.stringify(got)}`);
}

/**
 * An --out folder a command will replace as a whole: it must not be a file, must not hold the
 * run folder it reads from (`protect`), and may hold something only with --overwrite.
 */
export function checkOutDir(out: string, overwrite: boolean, protect?: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out}: exists and is not a folder`);
  if (protect !== undefined) {
    const [outAbs, protectAbs] = [resolve(out), resolve(protect)];
    if (outAbs === protectAbs || protectAbs.startsWith(outAbs + sep))
      throw new UsageError(`--out ${out}: would replace the run folder ${protect}; choose another folder`);
  }
  if (isNonEmptyDir(out) && !overwrite)
    throw new UsageError(`--out ${out}: folder exists and is not empty (pass --overwrite to replace it)`);
}

export function intFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: unknown): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      fail(flag, `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`, v);
    return n;
  };
}

export function numberFlag(flag: string, min: number, max: number, { openMin = false } = {}) {
  return (v: unknown): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n > max || n < min || (openMin && n === min)) {
      fail(flag, `a number in ${openMin ? '(' : '['}${min}, ${max}]`, v);
    }
    return n;
  };
}

/** Flags every command takes: which backend, the seed. */
export function withCommon<T>(y: Argv<T>) {
  return y
    .option('backend', {
      choices: ['auto', ...BACKENDS] as const,
      default: COMMON_DEFAULTS.backend,
      describe: 'TensorFlow.js backend; auto tries node-gpu, node, wasm, cpu',
    })
    .option('native', {
      choices: ['auto', 'off'] as const,
      default: COMMON_DEFAULTS.native,
      describe: 'native BLAS kernels on the wasm backend',
    })
    .option('seed', {
      type: 'number',
      default: COMMON_DEFAULTS.seed,
      coerce: intFlag('seed', 0, 2 ** 31 - 1),
      describe: 'drives data splits, initialisers and noise',
    });
}

/** Flags that name a dataset and where its files are. */
export function withDataset<T>(y: Argv<T>) {
  const out = y
    .option('dataset', {
      type: 'string',
      default: COMMON_DEFAULTS.dataset,
      describe: 'mnist | mnist-10k | fashion-mnist | cifar10 | folder:<path>',
    })
    .option('data-dir', {
      type: 'string',
      default: process.env.SSGAN_DATA_DIR,
      describe: 'directory holding the dataset files (env SSGAN_DATA_DIR)',
    })
    .option('cache-dir', {
      type: 'string',
      describe: 'where downloads and decoded images are cached (default data/cache)',
    })
    .option('offline', { type: 'boolean', default: false, describe: 'never download' });
  return withImageFlags(out);
}

/** Flags that say how image files are read (folder datasets, --unlabelled-dir); imageFlags() holds what they parsed to. */
export function withImageFlags<T>(y: Argv<T>) {
  return y
    .option('unlabelled-dir', {
      type: 'string',
      describe:
        'a folder of extra unlabelled images (any sub-folders; JPEG, PNG, WebP, GIF, TIFF, AVIF) for any dataset',
    })
    .option('image-size', {
      type: 'number',
      coerce: intFlag('image-size', 4, 1024),
      describe: `folder datasets: resize every image to N x N (default: the size most labelled images share, at most ${IMAGE_DEFAULTS.maxImageSize})`,
    })
    .option('fit', {
      choices: ['cover', 'contain'] as const,
      describe: `how non-square images are resized: cover = centre crop, contain = pad (default ${IMAGE_DEFAULTS.fit})`,
    })
    .option('channels', {
      type: 'number',
      coerce: (v: unknown) =>
        v === 1 || v === 3 || v === '1' || v === '3' ? (Number(v) as 1 | 3) : fail('channels', '1 or 3', v),
      describe: 'folder datasets: 1 (grey) or 3 (RGB); default 1 if every labelled image is grey',
    })
    .option('test-per-class', {
      type: 'number',
      coerce: intFlag('test-per-class', 1),
      describe: `folder datasets without test/: labelled images per class held out for testing (default ${IMAGE_DEFAULTS.holdoutShare * 100}% of the class, 1 to ${IMAGE_DEFAULTS.holdoutMaxPerClass})`,
    })
    .option('strict', {
      type: 'boolean',
      default: false,
      describe: 'stop at an unreadable image instead of skipping it',
    });
}

/** The image-reading flags as loader options (what `withDataset` parsed). */
export function imageFlags(a: Record<string, any>) {
  return {
    unlabelledDir: a['unlabelled-dir'] as string | undefined,
    imageSize: a['image-size'] as number | undefined,
    fit: a.fit as 'cover' | 'contain' | undefined,
    channels: a.channels as 1 | 3 | undefined,
    testPerClass: a['test-per-class'] as number | undefined,
    strict: a.strict as boolean | undefined,
  };
}

/** The image-reading settings back as `ssgan` flags (what a bench hands each of its runs). */
export function imageArgs(settings: ReturnType<typeof imageFlags>): string[] {
  return Object.entries(settings).flatMap(([key, v]) => {
    if (v === undefined || v === false) return [];
    return v === true ? [`--${flagOf(key)}`] : [`--${flagOf(key)}`, String(v)];
  });
}

/** Parses `--labels`: a positive integer or 'all'. */
export function parseLabels(v: unknown): number | 'all' {
  if (v === 'all') return 'all';
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) fail('labels', "a positive integer or 'all'", v);
  return n;
}

/**
 * Flags that pick the labelled subset. `labelsDefault` null leaves --labels unset unless given
 * (`data export` then exports the whole split).
 */
export function withLabels<T>(
  y: Argv<T>,
  labelsDefault: number | 'all' | null = COMMON_DEFAULTS.labels,
  labelsDescribe = "labelled examples, balanced across classes (N/K each), or 'all'",
) {
  return y
    .option('labels', {
      type: 'string',
      ...(labelsDefault === null ? {} : { default: String(labelsDefault) }),
      coerce: parseLabels,
      describe: labelsDescribe,
    })
    .option('label-fraction', {
      type: 'number',
      coerce: numberFlag('label-fraction', 0, 1, { openMin: true }),
      describe: 'alternative to --labels: fraction of each class, in (0,1]',
    })
    .option('validation-per-class', {
      type: 'number',
      default: COMMON_DEFAULTS.validationPerClass,
      coerce: intFlag('validation-per-class', 0),
      describe: 'examples per class held out of the unlabelled pool for validation',
    });
}
