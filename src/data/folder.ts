import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { IMAGE_DEFAULTS } from '../config/defaults.ts';
import { createRng } from '../util/random.ts';
import { sha256 } from './checksum.ts';
import { cachedJson, decodeFiles, fileListKey } from './decode-cache.ts';
import { DataFileError } from './idx.ts';
import { displaySize, IMAGE_EXTENSIONS, isGrey, isImageFile, listFiles, mapLimit, toChannels, type FoundFile } from './images.ts';
import { UNLABELLED, type DataProvenance, type ImagePreprocessing, type ImageSet, type LoadOptions } from './types.ts';

type Role = 'labelled' | 'test' | 'unlabelled';

interface Entry extends FoundFile {
  role: Role;
  /** Class index, or UNLABELLED. */
  label: number;
  /** Shown in messages and hashed: relative to the folder it was found under. */
  name: string;
}

const RESERVED = ['labelled', 'unlabelled', 'test', 'train'];

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function subdirs(dir: string, exclude: string[] = []): string[] {
  return readdirSync(dir)
    .filter((d) => !d.startsWith('.') && !exclude.includes(d) && isDir(join(dir, d)))
    .sort();
}

/** Where a folder dataset's parts are: labelled/ (or train/, or class folders at the top), unlabelled/, test/. */
function findLayout(dir: string) {
  if (!isDir(dir)) throw new Error(`--dataset folder:${dir}: no such folder`);
  const labelledRoot = isDir(join(dir, 'labelled')) ? join(dir, 'labelled') : isDir(join(dir, 'train')) ? join(dir, 'train') : dir;
  const classes = subdirs(labelledRoot, labelledRoot === dir ? RESERVED : []);
  if (classes.length < 2)
    throw new Error(
      `--dataset folder:${dir}: expected at least 2 class folders in ${labelledRoot} (labelled/<class>/ holding images), found ${classes.length}${classes.length ? ` (${classes[0]})` : ''}`,
    );
  return {
    labelledRoot,
    classes,
    testRoot: isDir(join(dir, 'test')) ? join(dir, 'test') : null,
    unlabelledRoot: isDir(join(dir, 'unlabelled')) ? join(dir, 'unlabelled') : null,
  };
}

/** Files that are not images, named one line each: skipped with a warning, or fatal with --strict. */
class Problems {
  readonly skipped: { file: string; reason: string }[] = [];
  constructor(private readonly opts: LoadOptions) {}
  report(file: string, reason: string): void {
    if (this.opts.strict) throw new DataFileError(`${file}: ${reason} (--strict stops at the first bad file)`);
    this.skipped.push({ file, reason });
    this.opts.log?.(`warning: ${file}: ${reason}; skipped`);
  }
}

function imagesIn(dir: string, recursive: boolean, problems: Problems): FoundFile[] {
  const out: FoundFile[] = [];
  for (const f of listFiles(dir, recursive)) {
    if (isImageFile(f.path)) out.push(f);
    else problems.report(f.path, `not an image file (expected one of ${IMAGE_EXTENSIONS.join(' ')})`);
  }
  return out;
}

/** The side most labelled images share (the shorter side, which cover keeps), ties to the larger, capped. */
export function commonSize(sizes: { width: number; height: number }[], cap: number): number {
  const counts = new Map<number, number>();
  for (const s of sizes) {
    const side = Math.min(s.width, s.height);
    counts.set(side, (counts.get(side) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [side, n] of counts) if (n > bestCount || (n === bestCount && side > best)) [best, bestCount] = [side, n];
  return Math.min(best, cap);
}

/** Per class: the share of labelled images held out as a test set when the folder has none. */
export function holdoutCounts(classSizes: number[], perClass: number | undefined): number[] {
  return classSizes.map((n) =>
    perClass !== undefined
      ? perClass
      : Math.max(1, Math.min(IMAGE_DEFAULTS.holdoutMaxPerClass, Math.round(n * IMAGE_DEFAULTS.holdoutShare))),
  );
}

function emptySet(count: number, pre: ImagePreprocessing): ImageSet {
  const { size, channels } = pre;
  return {
    images: new Uint8Array(count * size * size * channels),
    labels: new Uint8Array(count),
    count,
    height: size,
    width: size,
    channels,
  };
}

export interface FolderData {
  train: ImageSet;
  test: ImageSet;
  classNames: string[];
  source: string;
  provenance: DataProvenance;
  files: { train: string[]; test: string[] };
}

/**
 * Reads images the user has: labelled/<class>/* (or train/<class>/*, or <class>/* at the top),
 * unlabelled/**, optional test/<class>/*, plus `--unlabelled-dir`. Every file is decoded with
 * sharp (any format libvips reads, EXIF orientation applied) and resized to one square size, once:
 * later runs read the decode cache. Unlabelled images join `train` with the label UNLABELLED.
 */
export async function loadFolder(dir: string, opts: LoadOptions = {}): Promise<FolderData> {
  const log = opts.log ?? (() => {});
  const problems = new Problems(opts);
  const layout = findLayout(dir);
  const entries: Entry[] = [];
  const add = (root: string, files: FoundFile[], role: Role, label: number) => {
    for (const f of files) entries.push({ ...f, role, label, name: relative(root, f.path) });
  };
  layout.classes.forEach((c, k) => {
    const files = imagesIn(join(layout.labelledRoot, c), true, problems);
    if (files.length === 0)
      throw new Error(`${join(layout.labelledRoot, c)}: class folder has no images (expected ${IMAGE_EXTENSIONS.join(' ')})`);
    add(layout.labelledRoot, files, 'labelled', k);
  });
  if (layout.testRoot) {
    const testRoot = layout.testRoot;
    for (const c of subdirs(testRoot)) {
      const k = layout.classes.indexOf(c);
      if (k < 0)
        throw new Error(`${join(testRoot, c)}: test class "${c}" has no labelled folder (classes: ${layout.classes.join(', ')})`);
      add(testRoot, imagesIn(join(testRoot, c), true, problems), 'test', k);
    }
    if (!entries.some((e) => e.role === 'test')) throw new Error(`${testRoot}: test folder has no images in class folders`);
  }
  const unlabelledDirs = [layout.unlabelledRoot, opts.unlabelledDir].filter((d): d is string => !!d);
  for (const u of unlabelledDirs) {
    if (!isDir(u)) throw new Error(`--unlabelled-dir ${u}: no such folder`);
    const files = imagesIn(u, true, problems);
    if (files.length === 0 && (opts.requireUnlabelled || u === opts.unlabelledDir))
      throw new Error(`${u}: unlabelled folder has no images, and the GAN learns from unlabelled images`);
    add(u, files, 'unlabelled', UNLABELLED);
  }
  return assemble(dir, entries, layout.classes, layout.testRoot !== null, unlabelledDirs, problems, opts, log);
}

async function assemble(
  dir: string,
  entries: Entry[],
  classNames: string[],
  hasTest: boolean,
  unlabelledDirs: string[],
  problems: Problems,
  opts: LoadOptions,
  log: (m: string) => void,
): Promise<FolderData> {
  const decodeOpts = { cacheDir: opts.cacheDir, log, progress: opts.progress };
  const labelledFiles = entries.filter((e) => e.role !== 'unlabelled');
  const size =
    opts.imageSize ??
    (await cachedJson('size', fileListKey(labelledFiles, 'size'), decodeOpts, async () => {
      const sizes = await mapLimit(labelledFiles, IMAGE_DEFAULTS.decodeConcurrency, (f) => displaySize(f.path));
      const ok = sizes.filter((s): s is { width: number; height: number } => !('error' in s));
      if (ok.length === 0) throw new DataFileError(`${dir}: none of the labelled images could be read`);
      return commonSize(ok, IMAGE_DEFAULTS.maxImageSize);
    }));
  const fit = opts.fit ?? IMAGE_DEFAULTS.fit;
  const decoded = await decodeFiles(entries, size, fit, decodeOpts);
  const per = size * size * 3;
  const rgbOf = (i: number) => decoded.rgb.subarray(i * per, (i + 1) * per);
  const good: number[] = [];
  entries.forEach((e, i) => {
    const reason = decoded.failed.get(i);
    if (reason === undefined) good.push(i);
    else problems.report(e.path, `unreadable or truncated image (${reason})`);
  });
  if (problems.skipped.length) log(`${problems.skipped.length} file(s) skipped (pass --strict to stop at the first)`);
  const labelled = good.filter((i) => entries[i].role === 'labelled');
  const channels = opts.channels ?? (labelled.every((i) => isGrey(rgbOf(i))) ? 1 : 3);
  const pre: ImagePreprocessing = { size, channels, fit };

  const byClass = classNames.map((_, k) => labelled.filter((i) => entries[i].label === k));
  byClass.forEach((ix, k) => {
    if (ix.length === 0) throw new Error(`${dir}: class "${classNames[k]}" has no readable labelled images`);
  });
  let testIdx = good.filter((i) => entries[i].role === 'test');
  let trainLabelled = labelled;
  let testInfo: DataProvenance['test'] = { kind: 'folder' };
  if (!hasTest) {
    const counts = holdoutCounts(
      byClass.map((ix) => ix.length),
      opts.testPerClass,
    );
    const rng = createRng(IMAGE_DEFAULTS.holdoutSeed, 'test-holdout');
    const held: number[] = [];
    byClass.forEach((ix, k) => {
      if (counts[k] >= ix.length)
        throw new Error(
          `--test-per-class ${counts[k]}: class "${classNames[k]}" has only ${ix.length} labelled image(s), and at least one must stay for training (add a test/ folder or label more)`,
        );
      held.push(...rng.shuffle([...ix]).slice(0, counts[k]));
    });
    const heldSet = new Set(held);
    testIdx = held.sort((a, b) => a - b);
    trainLabelled = labelled.filter((i) => !heldSet.has(i));
    testInfo = {
      kind: 'holdout',
      perClass: counts,
      seed: IMAGE_DEFAULTS.holdoutSeed,
      note: `no test/ folder: ${testIdx.length} labelled images held out as the test set; an estimate from so few images is rough (see its 95% interval)`,
    };
    log(`folder:${dir}: ${testInfo.note}`);
  }
  const unl = good.filter((i) => entries[i].role === 'unlabelled');
  if (opts.requireUnlabelled && unlabelledDirs.length > 0 && unl.length === 0)
    throw new Error(`${unlabelledDirs.join(', ')}: no readable unlabelled images, and the GAN learns from unlabelled images`);
  const trainIdx = [...trainLabelled, ...unl];
  const fill = (ix: number[]) => {
    const set = emptySet(ix.length, pre);
    const px = size * size * channels;
    ix.forEach((i, j) => {
      toChannels(rgbOf(i), channels, set.images, j * px);
      set.labels[j] = entries[i].label;
    });
    return set;
  };
  const used = [...trainIdx, ...testIdx].map((i) => entries[i]).sort((a, b) => (a.path < b.path ? -1 : 1));
  const listing = used.map((e) => [e.role, e.label === UNLABELLED ? null : classNames[e.label], e.name, e.bytes]);
  return {
    train: fill(trainIdx),
    test: fill(testIdx),
    classNames,
    source: resolve(dir),
    files: { train: trainIdx.map((i) => entries[i].path), test: testIdx.map((i) => entries[i].path) },
    provenance: {
      fileListHash: sha256(new TextEncoder().encode(JSON.stringify(listing))),
      fileCount: used.length,
      classNames,
      labelledCount: trainLabelled.length,
      unlabelledCount: unl.length,
      testCount: testIdx.length,
      test: testInfo,
      skipped: problems.skipped,
      preprocessing: pre,
      unlabelledDirs: unlabelledDirs.map((d) => resolve(d)),
    },
  };
}

/**
 * `--unlabelled-dir` for a packaged dataset (mnist, cifar10...): its images, decoded to the
 * dataset's size and channels, for the caller to append to `train` as UNLABELLED.
 */
export async function loadUnlabelledDir(
  udir: string,
  shape: { size: number; channels: 1 | 3 },
  opts: LoadOptions = {},
): Promise<{ set: ImageSet; files: string[]; skipped: { file: string; reason: string }[]; listHash: string; pre: ImagePreprocessing }> {
  const log = opts.log ?? (() => {});
  if (!isDir(udir)) throw new Error(`--unlabelled-dir ${udir}: no such folder`);
  const problems = new Problems(opts);
  const files = imagesIn(udir, true, problems);
  if (files.length === 0) throw new Error(`--unlabelled-dir ${udir}: no images (expected ${IMAGE_EXTENSIONS.join(' ')})`);
  const pre: ImagePreprocessing = { size: shape.size, channels: shape.channels, fit: opts.fit ?? IMAGE_DEFAULTS.fit };
  const decoded = await decodeFiles(files, pre.size, pre.fit, { cacheDir: opts.cacheDir, log, progress: opts.progress });
  const good: number[] = [];
  files.forEach((f, i) => {
    const reason = decoded.failed.get(i);
    if (reason === undefined) good.push(i);
    else problems.report(f.path, `unreadable or truncated image (${reason})`);
  });
  if (good.length === 0) throw new Error(`--unlabelled-dir ${udir}: none of its ${files.length} images could be read`);
  const set = emptySet(good.length, pre);
  const per = pre.size * pre.size * 3;
  const px = pre.size * pre.size * pre.channels;
  good.forEach((i, j) => {
    toChannels(decoded.rgb.subarray(i * per, (i + 1) * per), pre.channels, set.images, j * px);
    set.labels[j] = UNLABELLED;
  });
  const listing = good.map((i) => [relative(udir, files[i].path), files[i].bytes]);
  return {
    set,
    files: good.map((i) => files[i].path),
    skipped: problems.skipped,
    listHash: sha256(new TextEncoder().encode(JSON.stringify(listing))),
    pre,
  };
}
