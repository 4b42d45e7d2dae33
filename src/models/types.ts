import type * as tf from '@tensorflow/tfjs';
import type { Mode } from './layers.ts';
import type { ParamStore } from './params.ts';

export type Arch = 'mlp' | 'dcgan';
/** implicit: K logits, the "generated" logit fixed at 0 (Salimans et al.); explicit: K+1 softmax (Odena). */
export type Head = 'implicit' | 'explicit';

export interface DiscriminatorOutput {
  /** K real-class logits. */
  logits: tf.Tensor2D;
  /** The "generated" logit: zeros for the implicit head. */
  fakeLogit: tf.Tensor1D;
  /** Last hidden layer: what feature matching compares. */
  features: tf.Tensor2D;
}

export interface Discriminator {
  params: ParamStore;
  /** x: NHWC in [0,1]. */
  apply(x: tf.Tensor4D, mode: Mode): DiscriminatorOutput;
}

export interface Generator {
  params: ParamStore;
  latentDim: number;
  /** z: [n, latentDim] → NHWC images in [0,1]. */
  apply(z: tf.Tensor2D, mode: Mode): tf.Tensor4D;
}

export interface ModelSpec {
  arch: Arch;
  head: Head;
  imageShape: [number, number, number];
  numClasses: number;
  latentDim: number;
  /** Seed for initial weights. */
  initSeed: number;
  /** Minibatch discrimination features before D's output layer. */
  minibatchDisc?: boolean;
  /** Rows compared with each other by minibatch discrimination (the training batch size). */
  minibatchGroup?: number;
  /** The generator takes a class as well as z (src/models/conditional.ts). */
  conditional?: boolean;
}
