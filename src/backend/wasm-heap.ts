import type * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm that kernels working on its heap use. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  refCount(id: object): number;
  incRef(id: object): void;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
}

/** Float offset of a tensor in the wasm heap. */
export const offsetOf = (backend: WasmBackendLike, t: tf.TensorInfo) =>
  backend.dataIdMap.get(t.dataId).memoryOffset / 4;

/**
 * The heap and the float offsets of `tensors`, read after every output is allocated: makeOutput
 * can grow the heap, which detaches views and buffers taken before it.
 */
export function heapOperands(backend: WasmBackendLike, tensors: tf.TensorInfo[]): [ArrayBuffer, Float64Array] {
  return [backend.wasm.HEAPU8.buffer as ArrayBuffer, Float64Array.from(tensors, (t) => offsetOf(backend, t))];
}

/** A Float32Array over `t` on the current heap; take it after the kernel's last allocation. */
export function heapView(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  return new Float32Array(
    backend.wasm.HEAPU8.buffer,
    backend.dataIdMap.get(t.dataId).memoryOffset,
    t.shape.reduce((a, b) => a * b, 1),
  );
}
