import test, { type ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import { realnessLogit, supervisedLoss, unsupervisedLoss } from '../../src/losses/kplus1.ts';
import { featureMatchingLoss, minimaxGeneratorLoss } from '../../src/losses/generator.ts';
import { criticLoss, gradientPenalty, wganGeneratorLoss } from '../../src/losses/wgan.ts';

test.before(async () => {
  await tf.setBackend('cpu');
});

const close = (t: ExecutionContext, got: tf.Tensor, want: number, eps = 1e-5) => {
  const v = got.dataSync()[0];
  t.true(Math.abs(v - want) < eps, `got ${v}, want ${want}`);
};

test('supervised loss: cross-entropy over the K real classes', (t) => {
  // Row 1: logits [0, ln 3] → p(y=1) = 3/4 → -ln(3/4) = 0.287682
  // Row 2: logits [ln 2, 0] → p(y=0) = 2/3 → -ln(2/3) = 0.405465
  const logits = tf.tensor2d([
    [0, Math.log(3)],
    [Math.log(2), 0],
  ]);
  close(t, supervisedLoss(logits, tf.tensor1d([1, 0], 'int32')), (0.287682 + 0.405465) / 2);
});

test('realness logit: lse of real logits minus the generated logit (0 for the implicit head)', (t) => {
  // lse(ln 1, ln 3) = ln 4; implicit head: D(x) = Z/(Z+1) = 4/5, logit ln 4.
  const d = realnessLogit(tf.tensor2d([[0, Math.log(3)]]), tf.zeros([1]) as tf.Tensor1D);
  close(t, d, Math.log(4));
  // Explicit head with generated logit ln 2: p(real) = 4/(4+2) → logit ln 2.
  close(t, realnessLogit(tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([Math.log(2)])), Math.log(2));
});

test('unsupervised loss: 0.5·(-log D(x_unl)) + 0.5·(-log(1 - D(G(z))))', (t) => {
  // d_unl = ln 4 → D = 0.8 → -ln 0.8 = 0.223144; d_gen = ln(1/4) → D = 0.2 → -ln 0.8 = 0.223144.
  const dReal = tf.tensor1d([Math.log(4)]);
  const dGen = tf.tensor1d([Math.log(0.25)]);
  close(t, unsupervisedLoss(dReal, dGen), 0.223144);
  // One-sided smoothing 0.1 on the real side: 0.5·(0.9·0.223144 + 0.1·(-ln 0.2 = 1.609438)) + 0.5·0.223144
  close(t, unsupervisedLoss(dReal, dGen, 0.1), 0.5 * (0.9 * 0.223144 + 0.1 * 1.609438) + 0.5 * 0.223144);
});

test('the implicit-head loss equals the reference form -lse + softplus(lse)', (t) => {
  // train_mnist_feature_matching.py: -0.5·mean(lse_unl) + 0.5·mean(softplus(lse_unl)) + 0.5·mean(softplus(lse_fake))
  const lu = tf.tensor2d([
    [1.2, -0.3, 2.0],
    [0.1, 0.4, -1.5],
  ]);
  const lf = tf.tensor2d([
    [-2.0, 0.3, 0.5],
    [1.0, 1.1, 0.2],
  ]);
  const zero = tf.zeros([2]) as tf.Tensor1D;
  const lseU = tf.logSumExp(lu, 1);
  const lseF = tf.logSumExp(lf, 1);
  const ref = tf.add(
    tf.add(tf.mul(-0.5, tf.mean(lseU)), tf.mul(0.5, tf.mean(tf.softplus(lseU)))),
    tf.mul(0.5, tf.mean(tf.softplus(lseF))),
  );
  close(t, unsupervisedLoss(realnessLogit(lu, zero), realnessLogit(lf, zero)), ref.dataSync()[0]);
});

test('feature matching: mean squared difference of batch means', (t) => {
  // real means [2, 1], generated means [1, 3] → ((1)² + (-2)²)/2 = 2.5
  const real = tf.tensor2d([
    [1, 0],
    [3, 2],
  ]);
  const gen = tf.tensor2d([
    [0, 3],
    [2, 3],
  ]);
  close(t, featureMatchingLoss(real, gen), 2.5);
});

test('minimax generator loss: -log D(G(z))', (t) => {
  close(t, minimaxGeneratorLoss(tf.tensor1d([Math.log(4)])), -Math.log(0.8));
});

test('WGAN critic and generator losses', (t) => {
  close(t, criticLoss(tf.tensor1d([3, 5]), tf.tensor1d([1, -1])), 0 - 4);
  close(t, wganGeneratorLoss(tf.tensor1d([1, -1, 3])), -1);
});

test('gradient penalty of a linear critic: (||w|| - 1)²', (t) => {
  // c(x) = Σ w·x with w = [3, 4] everywhere → ∇c = w, ||w|| = 5 → penalty (5-1)² = 16 for any mix.
  const w = tf.tensor4d([3, 4], [1, 1, 2, 1]);
  const critic = (x: tf.Tensor4D) => tf.sum(tf.mul(x, w), [1, 2, 3]) as tf.Tensor1D;
  const real = tf.tensor4d([1, 2, 3, 4], [2, 1, 2, 1]);
  const fake = tf.tensor4d([0, 0, 1, 1], [2, 1, 2, 1]);
  close(t, gradientPenalty(critic, real, fake, tf.tensor4d([0.3, 0.7], [2, 1, 1, 1])), 16, 1e-3);
});

test('gradient penalty is differentiable with respect to critic weights (second order)', (t) => {
  // c(x) = Σ w·x: penalty (||w|| - 1)², d/dw = 2(||w|| - 1)·w/||w|| = 2·4·[3,4]/5 = [4.8, 6.4]
  const w = tf.variable(tf.tensor4d([3, 4], [1, 1, 2, 1]));
  const real = tf.tensor4d([1, 2], [1, 1, 2, 1]);
  const fake = tf.tensor4d([0, 1], [1, 1, 2, 1]);
  const { grads } = tf.variableGrads(
    () =>
      gradientPenalty(
        (x) => tf.sum(tf.mul(x, w), [1, 2, 3]) as tf.Tensor1D,
        real,
        fake,
        tf.tensor4d([0.5], [1, 1, 1, 1]),
      ),
    [w],
  );
  const g = grads[w.name].dataSync();
  t.true(Math.abs(g[0] - 4.8) < 1e-3 && Math.abs(g[1] - 6.4) < 1e-3, `got ${Array.from(g)}`);
});

test('the realness logit supports second-order gradients (WGAN-GP through a ReLU net)', (t) => {
  // A ReLU critic on lse(logits): the penalty's gradient with respect to the weights must exist and be finite.
  const w1 = tf.variable(tf.randomNormal([4, 6], 0, 1, 'float32', 1));
  const w2 = tf.variable(tf.randomNormal([6, 3], 0, 1, 'float32', 2));
  const critic = (x: tf.Tensor4D) =>
    realnessLogit(
      tf.matMul(tf.relu(tf.matMul(tf.reshape(x, [-1, 4]) as tf.Tensor2D, w1)), w2),
      tf.zeros([x.shape[0]]) as tf.Tensor1D,
    );
  const real = tf.randomUniform([5, 2, 2, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const fake = tf.randomUniform([5, 2, 2, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
  const { grads } = tf.variableGrads(
    () => gradientPenalty(critic, real, fake, tf.randomUniform([5, 1, 1, 1], 0, 1, 'float32', 5)),
    [w1, w2],
  );
  for (const g of Object.values(grads)) t.true(Array.from(g.dataSync()).every(Number.isFinite));
  t.true(Array.from(grads[w2.name].dataSync()).some((v) => v !== 0));
  // And its first-order gradient is still softmax(x)·dy: d lse/dx for x = [0, ln 3] is [1/4, 3/4].
  const g = tf.grad((x: tf.Tensor) => tf.sum(realnessLogit(x as tf.Tensor2D, tf.zeros([1]) as tf.Tensor1D)))(
    tf.tensor2d([[0, Math.log(3)]]),
  );
  const gv = g.dataSync();
  t.true(Math.abs(gv[0] - 0.25) < 1e-6 && Math.abs(gv[1] - 0.75) < 1e-6);
});
