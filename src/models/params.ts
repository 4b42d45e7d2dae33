import * as tf from '@tensorflow/tfjs';

/**
 * Named variables of one network. The nets are plain functions over these rather than
 * tf.layers models: weight norm with data-dependent init, noise switched on and off per call,
 * an EMA copy for evaluation and exact checkpoints all need direct access to every variable,
 * which tf.layers hides behind layer objects and its own serialisation.
 */
export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();

  constructor(readonly scope: string) {}

  /** Creates the variable on first use; later calls return the same one. */
  get(name: string, make: () => tf.Tensor, trainable = true): tf.Variable {
    let v = this.vars.get(name);
    if (!v) {
      const init = make();
      v = tf.variable(init, trainable, `${this.scope}/${name}/${uid++}`);
      init.dispose();
      this.vars.set(name, v);
    }
    return v;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  trainable(): tf.Variable[] {
    return [...this.vars.values()].filter((v) => v.trainable);
  }

  /** Named copies, e.g. for checkpoints or EMA. */
  snapshot(): tf.NamedTensorMap {
    const out: tf.NamedTensorMap = {};
    for (const [k, v] of this.vars) out[k] = v.clone();
    return out;
  }

  assign(values: tf.NamedTensorMap): void {
    for (const [k, v] of this.vars) {
      const t = values[k];
      if (!t) throw new Error(`checkpoint has no value for ${this.scope}/${k}`);
      if (t.shape.join('x') !== v.shape.join('x'))
        throw new Error(`checkpoint value for ${this.scope}/${k} has shape ${t.shape}, expected ${v.shape}`);
      v.assign(t);
    }
  }

  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

let uid = 0;
