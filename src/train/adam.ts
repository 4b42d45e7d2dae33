import * as tf from '@tensorflow/tfjs';
import { nativeAdamUpdate } from '../backend/native-kernels.ts';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The parts of tf.AdamOptimizer this subclass reuses (declared private in its typings). */
interface AdamState {
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

/**
 * tf.train.adam with each variable's update done in one native pass where the BLAS addon is on
 * (see nativeAdamUpdate), and by tfjs' own ops elsewhere. Same formula, same slots, same
 * getWeights/setWeights, so checkpoints move freely between the two.
 */
export class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const t = this.iterations + 1;
    const c1 = 1 - s.beta1 ** t;
    const c2 = 1 - s.beta2 ** t;
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        s.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        s.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const grad = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (grad == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        if (nativeAdamUpdate(value, m, v, grad, s.learningRate, s.beta1, s.beta2, s.epsilon, c1, c2)) return;
        const m1 = tf.add(tf.mul(m, s.beta1), tf.mul(grad, 1 - s.beta1));
        const v1 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(grad), 1 - s.beta2));
        m.assign(m1);
        v.assign(v1);
        value.assign(
          tf.add(tf.mul(tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), s.epsilon)), -s.learningRate), value),
        );
      });
      // Kept in step for tf.AdamOptimizer's own bookkeeping (setWeights recomputes them anyway).
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}

export function adam(lr: number, beta1: number, beta2: number, epsilon: number): tf.Optimizer {
  return new FusedAdam(lr, beta1, beta2, epsilon);
}
