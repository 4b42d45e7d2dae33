import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './src/backend/select.ts';
import { buildDiscriminator, buildGenerator, sampleLatent } from './src/models/index.ts';
import { loadDataset } from './src/data/datasets.ts';
import { gatherImages } from './src/data/batch.ts';
import { featureMatchingLoss } from './src/losses/generator.ts';
import { realnessLogit, supervisedLoss, unsupervisedLoss } from './src/losses/kplus1.ts';
await selectBackend({backend:'wasm'});
const ds = await loadDataset('mnist-10k');
const spec = { arch: 'mlp' as const, head: 'implicit' as const, imageShape: [28,28,1] as [number,number,number], numClasses: 10, latentDim: 100, initSeed: 5 };
const D = buildDiscriminator(spec), G = buildGenerator(spec);
const x = tf.tensor4d(gatherImages(ds.train, Array.from({length: 200}, (_, i) => i * 7)), [200, 28, 28, 1]);
const y = tf.tensor1d(Array.from(ds.train.labels.filter((_, i) => i % 7 === 0).slice(0, 100)), 'int32');
tf.tidy(() => { D.apply(x, {training: true, init: true, seed: 1}); G.apply(sampleLatent('mlp', 100, 100, 2), {training: true, init: true, seed: 3}); });
const z = sampleLatent('mlp', 100, 100, 9);
function grads() {
  return tf.tidy(() => {
    const gD = tf.variableGrads(() => {
      const gen = G.apply(z, {training: false, seed: 0});
      const out = D.apply(tf.concat([x, gen]) as tf.Tensor4D, {training: false, seed: 0});
      const d = realnessLogit(out.logits, out.fakeLogit);
      return tf.add(supervisedLoss(tf.slice(out.logits, [0,0],[100,10]), y), unsupervisedLoss(tf.slice(d,[100],[100]), tf.slice(d,[200],[100])));
    }, D.params.trainable()).grads;
    const gG = tf.variableGrads(() => {
      const gen = G.apply(z, {training: false, seed: 0});
      const out = D.apply(tf.concat([tf.slice(x,[100,0,0,0],[100,28,28,1]), gen]) as tf.Tensor4D, {training: false, seed: 0});
      return featureMatchingLoss(tf.slice(out.features, [0,0],[100,-1]), tf.slice(out.features, [100,0],[100,-1]));
    }, G.params.trainable()).grads;
    const o: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries({...gD, ...gG})) o[k] = v.dataSync().slice() as Float32Array;
    return o as any;
  });
}
const a = grads();
await selectBackend({backend:'cpu'});
const b = grads();
for (const k of Object.keys(a)) { let m = 0, s = 0; for (let i = 0; i < a[k].length; i++) { m = Math.max(m, Math.abs(a[k][i]-b[k][i])); s = Math.max(s, Math.abs(b[k][i])); } console.log(k.split('/').slice(0,2).join('/'), 'maxdiff', m.toExponential(2), 'scale', s.toExponential(2)); }
