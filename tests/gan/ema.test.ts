import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.ts';
import { ParamStore } from '../../src/models/params.ts';
import { copyParams, updateEma } from '../../src/train/ema.ts';

function stores(): [ParamStore, ParamStore] {
  const live = new ParamStore('live');
  const avg = new ParamStore('avg');
  for (const p of [live, avg]) {
    p.get('w', () => tf.randomNormal([37, 11], 0, 1, 'float32', 3));
    p.get('b', () => tf.randomNormal([11], 0, 1, 'float32', 4));
  }
  return [live, avg];
}

/** Ten EMA steps after the live weights move, on the current backend. */
function trajectory(): { avg: ArrayLike<number>; live: ArrayLike<number> } {
  const [live, avg] = stores();
  copyParams(avg, live);
  for (let step = 0; step < 10; step++) {
    tf.tidy(() => {
      for (const v of live.vars.values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', 100 + step)));
    });
    updateEma(avg, live, 0.999, step);
  }
  const out = { avg: avg.vars.get('w')!.dataSync().slice(), live: live.vars.get('w')!.dataSync().slice() };
  live.dispose();
  avg.dispose();
  return out;
}

test.serial(
  'the EMA update: native in-place pass and tfjs ops agree bit for bit, and the live weights are left alone',
  async (t) => {
    await selectBackend({ backend: 'wasm', native: 'off' });
    const plain = trajectory();
    const info = await selectBackend({ backend: 'wasm' });
    const before = tf.memory().numTensors;
    const native = trajectory();
    t.is(tf.memory().numTensors, before);
    t.log(info.description);
    t.deepEqual(Array.from(native.avg), Array.from(plain.avg));
    // copyParams shares buffers; the in-place update must not write through to the live weights.
    t.deepEqual(Array.from(native.live), Array.from(plain.live));
    t.notDeepEqual(Array.from(native.avg), Array.from(native.live));
  },
);
