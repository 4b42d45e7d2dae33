/*
 * cblas_sgemm on views of the tfjs wasm heap. The JavaScript side passes the heap's
 * ArrayBuffer and byte offsets of tensors already allocated in it, so no data is copied:
 * OpenBLAS (or Accelerate) reads the inputs and writes the output in place.
 */
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#ifdef SSGAN_ACCELERATE
#include <Accelerate/Accelerate.h>
#define BLAS_NAME "accelerate"
#else
#include <cblas.h>
#define BLAS_NAME "openblas"
extern void openblas_set_num_threads(int);
extern char *openblas_get_config(void);
#endif

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, NULL, "ssgan_blas: N-API call failed");   \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

static int64_t arg_i64(napi_env env, napi_value v) {
  int64_t out = 0;
  napi_get_value_int64(env, v, &out);
  return out;
}

static double arg_f64(napi_env env, napi_value v) {
  double out = 0;
  napi_get_value_double(env, v, &out);
  return out;
}

/*
 * sgemmBatched(heap: ArrayBuffer, transA, transB, batch, M, N, K,
 *              aOffset, aStride, bOffset, bStride, cOffset, cStride, alpha, beta)
 * Offsets and strides are in float elements; a stride of 0 broadcasts that operand.
 * Row-major: A is MxK (KxM if transposed), B is KxN (NxK if transposed), C is MxN.
 */
static napi_value sgemm_batched(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 15) {
    napi_throw_type_error(env, NULL, "ssgan_blas.sgemmBatched: expected 15 arguments");
    return NULL;
  }
  void *data = NULL;
  size_t byte_length = 0;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &byte_length));
  bool ta = false, tb = false;
  CHECK(napi_get_value_bool(env, argv[1], &ta));
  CHECK(napi_get_value_bool(env, argv[2], &tb));
  int64_t batch = arg_i64(env, argv[3]), M = arg_i64(env, argv[4]), N = arg_i64(env, argv[5]), K = arg_i64(env, argv[6]);
  int64_t aOff = arg_i64(env, argv[7]), aStride = arg_i64(env, argv[8]);
  int64_t bOff = arg_i64(env, argv[9]), bStride = arg_i64(env, argv[10]);
  int64_t cOff = arg_i64(env, argv[11]), cStride = arg_i64(env, argv[12]);
  float alpha = (float)arg_f64(env, argv[13]), beta = (float)arg_f64(env, argv[14]);
  size_t floats = byte_length / sizeof(float);
  /* Refuse anything that would read or write outside the heap. */
  if (batch < 0 || M < 0 || N < 0 || K < 0 || aOff < 0 || bOff < 0 || cOff < 0 || aStride < 0 || bStride < 0 || cStride < 0 ||
      (size_t)(aOff + (batch > 0 ? batch - 1 : 0) * aStride + M * K) > floats ||
      (size_t)(bOff + (batch > 0 ? batch - 1 : 0) * bStride + K * N) > floats ||
      (size_t)(cOff + (batch > 0 ? batch - 1 : 0) * cStride + M * N) > floats) {
    napi_throw_range_error(env, NULL, "ssgan_blas.sgemmBatched: operands outside the heap");
    return NULL;
  }
  float *heap = (float *)data;
  int lda = ta ? (int)M : (int)K;
  int ldb = tb ? (int)K : (int)N;
  for (int64_t i = 0; i < batch; i++) {
    float *c = heap + cOff + i * cStride;
    if (K == 0) {
      if (beta == 0.0f) memset(c, 0, (size_t)(M * N) * sizeof(float));
      continue;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)M, (int)N, (int)K, alpha,
                heap + aOff + i * aStride, lda, heap + bOff + i * bStride, ldb, beta, c, (int)N);
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifndef SSGAN_ACCELERATE
  openblas_set_num_threads((int)arg_i64(env, argv[0]));
#endif
  return NULL;
}

static napi_value blas_info(napi_env env, napi_callback_info info) {
  napi_value out;
#ifdef SSGAN_ACCELERATE
  const char *text = BLAS_NAME;
#else
  const char *text = openblas_get_config();
#endif
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemmBatched", NULL, sgemm_batched, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
