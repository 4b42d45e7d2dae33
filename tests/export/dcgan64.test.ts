import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.ts';
import { classifierModel } from '../../src/export/classifier.ts';
import { generatorModel } from '../../src/export/generator.ts';
import { buildDiscriminator, buildGenerator, sampleLatent } from '../../src/models/index.ts';
import type { ModelSpec } from '../../src/models/types.ts';

test.before(async () => {
  await selectBackend({ backend: 'wasm' });
});

const spec: ModelSpec = {
  arch: 'dcgan',
  head: 'implicit',
  imageShape: [64, 64, 3],
  numClasses: 5,
  latentDim: 100,
  initSeed: 7,
};

test('64x64 DCGAN (Radford et al.): D of four 4x4 stride-2 convs, G to 64x64x3; both export to plain layers', (t) => {
  const start = tf.memory().numTensors;
  const D = buildDiscriminator(spec);
  const G = buildGenerator(spec);
  tf.tidy(() => {
    const z = sampleLatent('dcgan', 16, 100, 3);
    const x = G.apply(z, { training: true, init: true, seed: 1 });
    t.deepEqual(x.shape, [16, 64, 64, 3]);
    const out = D.apply(x, { training: true, init: true, seed: 2 });
    t.deepEqual(out.logits.shape, [16, 5]);
    t.deepEqual(out.features.shape, [16, 512]);
  });
  t.deepEqual(
    [...D.params.vars.keys()].filter((k) => k.endsWith('/v')),
    ['conv0/v', 'conv1/v', 'conv2/v', 'conv3/v', 'out/v'],
  );
  t.deepEqual(D.params.vars.get('conv0/v')!.shape, [4, 4, 3, 64]);

  // The exported classifier equals the evaluation-mode D on the same images.
  const x = tf.randomUniform([8, 64, 64, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
  const want = tf.tidy(() => tf.softmax(D.apply(x, { training: false, seed: 0 }).logits).dataSync());
  const model = classifierModel(spec, D.params.vars);
  const got = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(want[i] - got[i]));
  t.true(diff < 1e-5, `classifier max abs difference ${diff}`);

  // The exported generator equals G on the latents its batch-norm statistics came from.
  const gen = generatorModel(spec, G.params.vars, 16, 9);
  const z = sampleLatent('dcgan', 16, 100, 9);
  const ref = tf.tidy(() => G.apply(z, { training: true, seed: 0 }).dataSync());
  const img = tf.tidy(() => (gen.predict(z) as tf.Tensor).dataSync());
  let gdiff = 0;
  for (let i = 0; i < ref.length; i++) gdiff = Math.max(gdiff, Math.abs(ref[i] - img[i]));
  t.true(gdiff < 1e-4, `generator max abs difference ${gdiff}`);
  tf.dispose([x, z]);
  model.dispose();
  gen.dispose();
  D.params.dispose();
  G.params.dispose();
  t.is(tf.memory().numTensors, start, 'no tensor left behind');
});
