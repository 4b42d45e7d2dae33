import { sha256 } from './checksum.ts';
import { UNLABELLED, type ImageSet, type LabelSplit, type SplitOptions } from './types.ts';
import { createRng } from '../util/random.ts';

/** Indices of each class, in dataset order (images without a label are in no class). */
export function classIndices(set: ImageSet, numClasses: number): number[][] {
  const out: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < set.count; i++) {
    const y = set.labels[i];
    if (y === UNLABELLED) continue;
    if (y >= numClasses) throw new Error(`label ${y} at index ${i} is outside the dataset's ${numClasses} classes`);
    out[y].push(i);
  }
  return out;
}

/** Indices of the images that came without a label. */
export function unlabelledIndices(set: ImageSet): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.count; i++) if (set.labels[i] === UNLABELLED) out.push(i);
  return out;
}

/**
 * Picks the labelled subset: balanced (N/K per class; when K does not divide N the remainder
 * goes one each to classes chosen by the seed), or a fraction of every class. Validation
 * examples come out of the pool first, so they are never labelled training data.
 * `unlabelled` is everything else, images that came without a label included; the trainer decides whether labelled images also join the
 * unlabelled pool (the paper's MNIST recipe uses every training image as unlabelled data).
 */
export function splitLabels(train: ImageSet, numClasses: number, opts: SplitOptions): LabelSplit {
  const { labels, labelFraction, validationPerClass = 0, seed, classNames } = opts;
  if (labelFraction !== undefined && !(labelFraction > 0 && labelFraction <= 1)) {
    throw new Error(`--label-fraction: expected a number in (0, 1], got ${labelFraction}`);
  }
  if (labelFraction === undefined && labels === undefined) throw new Error('--labels: give a number of labels, "all", or --label-fraction');
  if (typeof labels === 'number' && (!Number.isInteger(labels) || labels <= 0)) {
    throw new Error(`--labels: expected a positive integer or "all", got ${labels}`);
  }
  if (!Number.isInteger(validationPerClass) || validationPerClass < 0) {
    throw new Error(`--validation-per-class: expected a non-negative integer, got ${validationPerClass}`);
  }
  const rng = createRng(seed, 'split');
  const byClass = classIndices(train, numClasses).map((ix) => rng.shuffle(ix));
  let perClass: number[];
  if (labelFraction !== undefined) {
    perClass = byClass.map((ix) => Math.max(1, Math.round(labelFraction * (ix.length - validationPerClass))));
  } else if (labels === 'all') {
    perClass = byClass.map((ix) => ix.length - validationPerClass);
  } else {
    const n = labels as number;
    if (n < numClasses) throw new Error(`--labels ${n}: need at least one label per class (${numClasses} classes)`);
    perClass = new Array(numClasses).fill(Math.floor(n / numClasses));
    const extra = rng.shuffle(Array.from({ length: numClasses }, (_, k) => k)).slice(0, n % numClasses);
    for (const k of extra) perClass[k]++;
  }
  const labelled: number[] = [];
  const validation: number[] = [];
  const unlabelled: number[] = [];
  byClass.forEach((ix, k) => {
    const need = validationPerClass + perClass[k];
    if (ix.length < need) {
      const flag = labelFraction !== undefined ? '--label-fraction' : '--labels';
      const cls = classNames ? `"${classNames[k]}"` : k;
      throw new Error(`${flag}: class ${cls} has ${ix.length} training images, fewer than the ${perClass[k]} labels${validationPerClass ? ` + ${validationPerClass} validation` : ''} asked of it`);
    }
    validation.push(...ix.slice(0, validationPerClass));
    labelled.push(...ix.slice(validationPerClass, need));
    unlabelled.push(...ix.slice(need));
  });
  unlabelled.push(...unlabelledIndices(train));
  const sorted = (a: number[]) => Int32Array.from(a.sort((x, y) => x - y));
  const lab = sorted(labelled);
  return {
    labelled: lab,
    unlabelled: sorted(unlabelled),
    validation: sorted(validation),
    labelledHash: sha256(new Uint8Array(lab.buffer)),
    seed,
  };
}
