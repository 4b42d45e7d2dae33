/**
 * The IDX datasets ssgan knows by name: their files, the SHA-256 of each file's UNCOMPRESSED
 * bytes (gzip containers differ between mirrors, the payload must not), and where to get them.
 */
export interface IdxFileSpec {
  name: string;
  sha256: string;
}

export interface IdxDatasetSpec {
  classNames: string[];
  files: { trainImages: IdxFileSpec; trainLabels: IdxFileSpec; testImages: IdxFileSpec; testLabels: IdxFileSpec };
  /** Base URLs tried in order; each serves `<name>.gz`. */
  mirrors: string[];
  /** Directories searched before the cache, after --data-dir (e.g. a Debian package's). */
  systemDirs: string[];
}

export const IDX_DATASETS: Record<'mnist' | 'fashion-mnist', IdxDatasetSpec> = {
  mnist: {
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    files: {
      // Uncompressed official files (their MD5s are the published ones: 6bbc9ace..., a25bea73..., 2646ac64..., 27ae3e4e...).
      trainImages: { name: 'train-images-idx3-ubyte', sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db' },
      trainLabels: { name: 'train-labels-idx1-ubyte', sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5' },
      testImages: { name: 't10k-images-idx3-ubyte', sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7' },
      testLabels: { name: 't10k-labels-idx1-ubyte', sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2' },
    },
    mirrors: [
      // The host the `mnist-dataset` package points at; it often refuses or throttles now.
      'http://yann.lecun.com/exdb/mnist/',
      'https://ossci-datasets.s3.amazonaws.com/mnist/',
      'https://storage.googleapis.com/cvdf-datasets/mnist/',
    ],
    systemDirs: [],
  },
  'fashion-mnist': {
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    files: {
      trainImages: { name: 'train-images-idx3-ubyte', sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888' },
      trainLabels: { name: 'train-labels-idx1-ubyte', sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9' },
      testImages: { name: 't10k-images-idx3-ubyte', sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b' },
      testLabels: { name: 't10k-labels-idx1-ubyte', sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34' },
    },
    mirrors: [
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
      'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
    ],
    // Debian package `dataset-fashion-mnist`.
    systemDirs: ['/usr/share/datasets/fashion-mnist'],
  },
};
