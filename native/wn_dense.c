/*
 * The weight-normalised dense layer y = act(t * g/n + b), t = x v, n = ||v|| (per column), as two
 * kernels so that each output feeds the next and the tape never holds an output without a
 * gradient (tfjs fills those with zeros it allocates in JavaScript: ~2.6 ms a GAN step). Each
 * takes (heap, offsets: Float64Array, dims: Int32Array).
 */
#include <math.h>
#include <stdlib.h>
#include "args.h"
#include "gemm.h"
#include "kernels.h"

/* Column norms of v [I, U] as weight norm defines them: sqrt(sum_i v_ij^2 + 1e-6). */
static void column_norms(const float *restrict v, int64_t In, int64_t U, float *restrict n) {
  for (int64_t j = 0; j < U; j++) n[j] = 0.0f;
  for (int64_t i = 0; i < In; i++) {
    const float *row = v + i * U;
    for (int64_t j = 0; j < U; j++) n[j] += row[j] * row[j];
  }
  for (int64_t j = 0; j < U; j++) n[j] = sqrtf(n[j] + 1e-6f);
}

/* Reads (heap, offsets, dims) with ndims dims; NULL with a JS error otherwise. */
static const int32_t *layer_args(napi_env env, napi_callback_info info, size_t ndims, const char *who, Args *a) {
  if (!args_read(env, info, 3, 3, 1, who, a)) return NULL;
  return args_dims(a, 2, ndims);
}

/* wnDenseCore(heap, offsets [x, v, t, n], dims [N, I, U]): t = x v, n_j = sqrt(sum_i v_ij^2 + 1e-6). */
SSGAN_ENTRY(wn_dense_core) {
  Args a;
  const int32_t *d = layer_args(env, info, 3, "ssgan_blas.wnDenseCore", &a);
  if (!d) return NULL;
  int64_t N = d[0], In = d[1], U = d[2];
  int64_t lengths[4] = {N * In, In * U, N * U, U}, o[4];
  if (!args_operands(&a, 1, lengths, 4, o)) return NULL;
  float *base = a.heap;
  column_norms(base + o[1], In, U, base + o[3]);
  if (N > 0 && In > 0 && U > 0)
    gemm(0, 0, (int)N, (int)U, (int)In, 1.0f, base + o[0], (int)In, base + o[1], (int)U, 0.0f, base + o[2], (int)U);
  return NULL;
}

/* wnDenseAct(heap, offsets [t, n, g, b, y], dims [N, U, relu]): y = act(t * g/n + b). */
SSGAN_ENTRY(wn_dense_act) {
  Args a;
  const int32_t *d = layer_args(env, info, 3, "ssgan_blas.wnDenseAct", &a);
  if (!d) return NULL;
  int64_t N = d[0], U = d[1];
  int relu = d[2];
  int64_t lengths[5] = {N * U, U, U, U, N * U}, o[5];
  if (!args_operands(&a, 1, lengths, 5, o)) return NULL;
  float *base = a.heap;
  const float *nrm = base + o[1], *g = base + o[2], *b = base + o[3];
  float *s = malloc(sizeof(float) * (size_t)(U > 0 ? U : 1));
  if (!s) {
    args_error(&a, "out of memory");
    return NULL;
  }
  for (int64_t j = 0; j < U; j++) s[j] = g[j] / nrm[j];
  for (int64_t n = 0; n < N; n++) {
    const float *restrict tr = base + o[0] + n * U;
    float *restrict yr = base + o[4] + n * U;
    const float *restrict sc = s;
    for (int64_t j = 0; j < U; j++) {
      float v = tr[j] * sc[j] + b[j];
      yr[j] = relu && v < 0.0f ? 0.0f : v;
    }
  }
  free(s);
  return NULL;
}

/*
 * wnDenseActBack(heap, offsets [dy, y, t, n, g, dt, dn, dg, db], dims [N, U, relu]): the gradient
 * of wnDenseAct. With p = dy masked by the activation and r_j = sum_n p_nj t_nj:
 * dt = p g/n, dn = -r g/n^2, dg = r/n, db = sum_n p.
 */
SSGAN_ENTRY(wn_dense_act_back) {
  Args a;
  const int32_t *d = layer_args(env, info, 3, "ssgan_blas.wnDenseActBack", &a);
  if (!d) return NULL;
  int64_t N = d[0], U = d[1];
  int relu = d[2];
  int64_t lengths[9] = {N * U, N * U, N * U, U, U, N * U, U, U, U}, o[9];
  if (!args_operands(&a, 1, lengths, 9, o)) return NULL;
  float *base = a.heap;
  const float *dy = base + o[0], *y = base + o[1], *t = base + o[2], *nrm = base + o[3], *g = base + o[4];
  float *dt = base + o[5], *dn = base + o[6], *dg = base + o[7], *db = base + o[8];
  float *s = malloc(sizeof(float) * (size_t)(U > 0 ? U : 1));
  if (!s) {
    args_error(&a, "out of memory");
    return NULL;
  }
  for (int64_t j = 0; j < U; j++) {
    s[j] = g[j] / nrm[j];
    dg[j] = db[j] = 0.0f;
  }
  for (int64_t n = 0; n < N; n++) {
    const float *restrict dyr = dy + n * U, *restrict yr = y + n * U, *restrict tr = t + n * U, *restrict sc = s;
    float *restrict dtr = dt + n * U, *restrict r = dg, *restrict sb = db;
    for (int64_t j = 0; j < U; j++) {
      float p = relu && !(yr[j] > 0.0f) ? 0.0f : dyr[j];
      dtr[j] = p * sc[j];
      r[j] += p * tr[j];
      sb[j] += p;
    }
  }
  free(s);
  for (int64_t j = 0; j < U; j++) {
    float r = dg[j];
    dg[j] = r / nrm[j];
    dn[j] = -r * g[j] / (nrm[j] * nrm[j]);
  }
  return NULL;
}

/* wnDenseCoreGradV(heap, offsets [x, dt, v, n, dn, dv], dims [N, I, U]): dv = x^T dt + (dn/n) * v. */
SSGAN_ENTRY(wn_dense_core_grad_v) {
  Args a;
  const int32_t *d = layer_args(env, info, 3, "ssgan_blas.wnDenseCoreGradV", &a);
  if (!d) return NULL;
  int64_t N = d[0], In = d[1], U = d[2];
  int64_t lengths[6] = {N * In, N * U, In * U, U, U, In * U}, o[6];
  if (!args_operands(&a, 1, lengths, 6, o)) return NULL;
  float *base = a.heap;
  const float *x = base + o[0], *dt = base + o[1], *v = base + o[2], *nrm = base + o[3], *dn = base + o[4];
  float *dv = base + o[5];
  for (int64_t i = 0; i < In; i++) {
    const float *restrict vr = v + i * U;
    float *restrict dvr = dv + i * U;
    for (int64_t j = 0; j < U; j++) dvr[j] = dn[j] / nrm[j] * vr[j];
  }
  if (N > 0 && In > 0 && U > 0) gemm(1, 0, (int)In, (int)U, (int)N, 1.0f, x, (int)In, dt, (int)U, 1.0f, dv, (int)U);
  return NULL;
}
