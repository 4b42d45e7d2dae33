import type * as tf from '@tensorflow/tfjs';

export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Runs the wasm kernel a native one replaced, for the cases the native path leaves alone. */
export type Fallback = (name: string, args: KernelArgs) => tf.TensorInfo;

export type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'prelu' | 'sigmoid';
