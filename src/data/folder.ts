import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DataFileError } from './idx.ts';
import { allocate } from './mnist10k.ts';
import type { ImageSet } from './types.ts';

interface Item {
  path: string;
  label: number;
}

function listClasses(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--dataset folder:${dir}: no such folder`);
  const classes = readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort();
  if (classes.length < 2) throw new Error(`--dataset folder:${dir}: expected one sub-folder of PNGs per class (at least 2), found ${classes.length}`);
  return classes;
}

function listItems(dir: string, classes: string[]): Item[] {
  const items: Item[] = [];
  classes.forEach((c, label) => {
    const cdir = join(dir, c);
    if (!existsSync(cdir)) return;
    for (const f of readdirSync(cdir).filter((f) => f.toLowerCase().endsWith('.png')).sort()) items.push({ path: join(cdir, f), label });
  });
  return items;
}

/** Decodes PNGs into one ImageSet; every image must have the size and colour type of the first. */
function decode(items: Item[], shape?: [number, number, number]): ImageSet {
  let h = shape?.[0] ?? 0;
  let w = shape?.[1] ?? 0;
  let c = shape?.[2] ?? 0;
  let images = new Uint8Array(0);
  const labels = new Uint8Array(items.length);
  items.forEach((it, i) => {
    let png: PNG;
    try {
      png = PNG.sync.read(readFileSync(it.path));
    } catch (e) {
      throw new DataFileError(`${it.path}: not a readable PNG (${(e as Error).message})`);
    }
    // Grey if every pixel has r = g = b; decided by the first image, then required of all.
    const grey = (() => {
      for (let p = 0; p < png.width * png.height; p++) if (png.data[p * 4] !== png.data[p * 4 + 1] || png.data[p * 4] !== png.data[p * 4 + 2]) return false;
      return true;
    })();
    if (h === 0) {
      h = png.height;
      w = png.width;
      c = grey ? 1 : 3;
    }
    if (png.height !== h || png.width !== w) throw new DataFileError(`${it.path}: ${png.width}x${png.height}, but the other images are ${w}x${h}`);
    if (images.length === 0) images = new Uint8Array(items.length * h * w * c);
    for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) images[(i * h * w + p) * c + k] = png.data[p * 4 + k];
    labels[i] = it.label;
  });
  return { images, labels, count: items.length, height: h, width: w, channels: c };
}

/**
 * `folder:<path>`: one sub-folder of PNGs per class, class names = sorted folder names. With
 * `train/` and `test/` sub-folders those are the splits; otherwise the last 20% of each class
 * (files in name order) is the test split, a fixed choice so every run tests on the same images.
 */
export function loadFolder(dir: string) {
  if (existsSync(join(dir, 'train')) && existsSync(join(dir, 'test'))) {
    const classNames = listClasses(join(dir, 'train'));
    const train = decode(listItems(join(dir, 'train'), classNames));
    const test = decode(listItems(join(dir, 'test'), classNames), [train.height, train.width, train.channels]);
    return { train, test, classNames, source: dir };
  }
  const classNames = listClasses(dir);
  const items = listItems(dir, classNames);
  if (items.length === 0) throw new Error(`--dataset folder:${dir}: no PNG files in its class folders`);
  const byClass = classNames.map((_, k) => items.filter((it) => it.label === k));
  const testCounts = allocate(byClass.map((b) => b.length), Math.round(items.length * 0.2));
  const trainItems = byClass.flatMap((b, k) => b.slice(0, b.length - testCounts[k]));
  const testItems = byClass.flatMap((b, k) => b.slice(b.length - testCounts[k]));
  const train = decode(trainItems);
  const test = decode(testItems, [train.height, train.width, train.channels]);
  return { train, test, classNames, source: dir };
}
