import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.ts';
import { createRng } from '../../src/util/random.ts';

export function rand(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  const rng = createRng(seed, 'native-test');
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Float32Array.from({ length: n }, () => rng.normal()) };
}

/** Runs `f` on cpu and on wasm (+ native), returns the max relative error of wasm against cpu. */
export async function compare(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: { shape: number[]; values: Float32Array }[],
): Promise<number> {
  await selectBackend({ backend: 'cpu' });
  const ref = tf.tidy(() =>
    f(...inputs.map((i) => tf.tensor(i.values, i.shape)))
      .dataSync()
      .slice(),
  );
  await selectBackend({ backend: 'wasm' });
  const got = tf.tidy(() =>
    f(...inputs.map((i) => tf.tensor(i.values, i.shape)))
      .dataSync()
      .slice(),
  );
  if (got.length !== ref.length) throw new Error(`length ${got.length} vs ${ref.length}`);
  let scale = 1e-6;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(got[i] - ref[i]) / scale);
  return err;
}
