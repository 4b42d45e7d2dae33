import * as tf from '@tensorflow/tfjs';
import { nativeEmaUpdate } from '../backend/native-kernels.ts';
import type { ParamStore } from '../models/params.ts';

/**
 * Polyak averaging of D's weights; evaluation uses the average, as the paper does. The decay
 * ramps up as (1+t)/(10+t) so early evaluations are not dominated by the random init.
 */
export function updateEma(ema: ParamStore, live: ParamStore, decay: number, step: number): void {
  const d = Math.min(decay, (1 + step) / (10 + step));
  tf.tidy(() => {
    for (const [name, v] of live.vars) {
      const e = ema.vars.get(name);
      if (!e) throw new Error(`EMA has no copy of ${name}`);
      // One in-place pass where the native addon runs; the same float32 arithmetic either way.
      if (!nativeEmaUpdate(e, v, d)) e.assign(tf.add(tf.mul(e, d), tf.mul(v, 1 - d)));
    }
  });
}

export function copyParams(dst: ParamStore, src: ParamStore): void {
  tf.tidy(() => {
    for (const [name, v] of src.vars) dst.vars.get(name)!.assign(v);
  });
}
