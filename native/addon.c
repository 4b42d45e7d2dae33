/*
 * The addon's N-API module: its export table and the calls that concern the whole addon
 * (threads, which GEMM runs). The kernels live by family in matmul.c, conv.c, random.c,
 * optim.c, elementwise.c and wn_dense.c, and read their arguments through args.h.
 */
#include "args.h"
#include "gemm.h"
#include "kernels.h"

/* setThreads(n): the GEMM's threads and oneDNN's. */
static SSGAN_ENTRY(set_threads) {
  Args a;
  if (!args_read(env, info, 1, 1, 0, "ssgan_blas.setThreads", &a)) return NULL;
  const int n = (int)args_i64(&a, 0);
  gemm_set_threads(n);
  conv_set_threads(n);
  return NULL;
}

/* info(): which GEMM runs; the backend line shows its first two words. */
static SSGAN_ENTRY(blas_info) {
  (void)info;
  napi_value out;
  if (napi_create_string_utf8(env, gemm_info(), NAPI_AUTO_LENGTH, &out) != napi_ok) return NULL;
  return out;
}

#define EXPORT(js, fn) {js, NULL, fn, NULL, NULL, NULL, napi_default, NULL}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      EXPORT("sgemmBatched", sgemm_batched),
      EXPORT("setThreads", set_threads),
      EXPORT("conv", conv),
      EXPORT("info", blas_info),
      EXPORT("convEngine", conv_engine),
      EXPORT("onednnInfo", onednn_info),
      EXPORT("fillNormal", fill_normal),
      EXPORT("adam", adam),
      EXPORT("ema", ema),
      EXPORT("addNormal", add_normal),
      EXPORT("leaky", leaky),
      EXPORT("leakyGrad", leaky_grad),
      EXPORT("dropout", dropout),
      EXPORT("softplus", softplus),
      EXPORT("sumLeading", sum_leading),
      EXPORT("wnDenseCore", wn_dense_core),
      EXPORT("wnDenseCoreGradV", wn_dense_core_grad_v),
      EXPORT("wnDenseAct", wn_dense_act),
      EXPORT("wnDenseActBack", wn_dense_act_back),
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) {
    napi_throw_error(env, NULL, "ssgan_blas: N-API call failed");
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
