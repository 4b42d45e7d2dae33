import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../util/fs.ts';

/** IDX element-type codes (LeCun's format); only unsigned bytes are used by image datasets. */
const UBYTE = 0x08;

export interface IdxArray {
  /** Dimensions from the header, e.g. [60000, 28, 28] or [60000]. */
  dims: number[];
  data: Uint8Array;
}

/** Bad bytes in a data file: always one line, always naming the file. */
export class DataFileError extends Error {}

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
}

/** Decodes IDX bytes (raw or gzipped). `name` is used in error messages only. */
export function decodeIdx(bytes: Uint8Array, name: string, expectRank?: number): IdxArray {
  let buf = bytes;
  if (isGzip(buf)) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new DataFileError(`${name}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  if (buf.length < 4) throw new DataFileError(`${name}: too short for an IDX header (${buf.length} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new DataFileError(`${name}: not an IDX file (magic number 0x${view.getUint32(0).toString(16).padStart(8, '0')}, expected 0x0000080N)`);
  }
  const type = view.getUint8(2);
  const rank = view.getUint8(3);
  if (type !== UBYTE) throw new DataFileError(`${name}: IDX element type 0x${type.toString(16)} is not supported (expected 0x08, unsigned bytes)`);
  if (rank < 1) throw new DataFileError(`${name}: IDX header has rank 0`);
  if (expectRank !== undefined && rank !== expectRank) {
    throw new DataFileError(`${name}: expected an IDX file of rank ${expectRank} (magic 0x0000080${expectRank}), got rank ${rank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (buf.length < headerBytes) throw new DataFileError(`${name}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const got = buf.length - headerBytes;
  if (got !== expected) {
    throw new DataFileError(`${name}: header says ${dims.join('x')} = ${expected} bytes of data, file has ${got}${got < expected ? ' (truncated)' : ''}`);
  }
  // A copy detaches the result from a possibly much larger gunzip buffer.
  return { dims, data: new Uint8Array(buf.subarray(headerBytes)) };
}

export function readIdx(path: string, expectRank?: number): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataFileError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeIdx(bytes, path, expectRank);
}

export function encodeIdx(arr: IdxArray): Uint8Array {
  const expected = arr.dims.reduce((a, b) => a * b, 1);
  if (arr.data.length !== expected) throw new Error(`IDX data has ${arr.data.length} bytes, dims ${arr.dims.join('x')} need ${expected}`);
  const header = new Uint8Array(4 + 4 * arr.dims.length);
  const view = new DataView(header.buffer);
  view.setUint8(2, UBYTE);
  view.setUint8(3, arr.dims.length);
  arr.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + arr.data.length);
  out.set(header);
  out.set(arr.data, header.length);
  return out;
}

/** Writes atomically; gzips when the path ends in `.gz`. */
export function writeIdx(path: string, arr: IdxArray): void {
  const raw = encodeIdx(arr);
  writeFileAtomic(path, path.endsWith('.gz') ? gzipSync(raw) : raw);
}

/** Reads an images file and its labels file and checks that they describe the same examples. */
export function readIdxPair(imagesPath: string, labelsPath: string): { images: IdxArray; labels: IdxArray } {
  const images = readIdx(imagesPath);
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new DataFileError(`${imagesPath}: expected images of rank 3 (N x H x W) or 4 (N x H x W x C), got rank ${images.dims.length}`);
  }
  const labels = readIdx(labelsPath, 1);
  if (labels.dims[0] !== images.dims[0]) {
    throw new DataFileError(`${labelsPath}: has ${labels.dims[0]} labels but ${imagesPath} has ${images.dims[0]} images`);
  }
  return { images, labels };
}
