/*
 * sgemmBatched on views of the tfjs wasm heap. The JavaScript side passes the heap's ArrayBuffer
 * and float offsets of tensors already allocated in it, so no data is copied: the GEMM reads the
 * inputs and writes the output in place.
 */
#include <string.h>
#include "args.h"
#include "gemm.h"
#include "kernels.h"

/*
 * sgemmBatched(heap: ArrayBuffer, transA, transB, batch, M, N, K,
 *              aOffset, aStride, bOffset, bStride, cOffset, cStride, alpha, beta)
 * Offsets and strides are in float elements; a stride of 0 broadcasts that operand.
 * Row-major: A is MxK (KxM if transposed), B is KxN (NxK if transposed), C is MxN.
 */
SSGAN_ENTRY(sgemm_batched) {
  Args a;
  if (!args_read(env, info, 15, 15, 1, "ssgan_blas.sgemmBatched", &a)) return NULL;
  bool ta = false, tb = false;
  if (!args_bool(&a, 1, &ta) || !args_bool(&a, 2, &tb)) return NULL;
  int64_t batch = args_i64(&a, 3), M = args_i64(&a, 4), N = args_i64(&a, 5), K = args_i64(&a, 6);
  int64_t aOff = args_i64(&a, 7), aStride = args_i64(&a, 8);
  int64_t bOff = args_i64(&a, 9), bStride = args_i64(&a, 10);
  int64_t cOff = args_i64(&a, 11), cStride = args_i64(&a, 12);
  float alpha = (float)args_f64(&a, 13, 0), beta = (float)args_f64(&a, 14, 0);
  size_t floats = a.floats;
  /* Refuse anything that would read or write outside the heap. */
  if (batch < 0 || M < 0 || N < 0 || K < 0 || aOff < 0 || bOff < 0 || cOff < 0 || aStride < 0 || bStride < 0 ||
      cStride < 0 || (size_t)(aOff + (batch > 0 ? batch - 1 : 0) * aStride + M * K) > floats ||
      (size_t)(bOff + (batch > 0 ? batch - 1 : 0) * bStride + K * N) > floats ||
      (size_t)(cOff + (batch > 0 ? batch - 1 : 0) * cStride + M * N) > floats) {
    args_range_error(&a, "operands outside the heap");
    return NULL;
  }
  float *heap = a.heap;
  int lda = ta ? (int)M : (int)K;
  int ldb = tb ? (int)K : (int)N;
  for (int64_t i = 0; i < batch; i++) {
    float *c = heap + cOff + i * cStride;
    if (K == 0) {
      if (beta == 0.0f) memset(c, 0, (size_t)(M * N) * sizeof(float));
      continue;
    }
    gemm(ta, tb, (int)M, (int)N, (int)K, alpha, heap + aOff + i * aStride, lda, heap + bOff + i * bStride, ldb, beta, c,
         (int)N);
  }
  return NULL;
}
