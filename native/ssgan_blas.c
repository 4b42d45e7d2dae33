/*
 * cblas_sgemm on views of the tfjs wasm heap. The JavaScript side passes the heap's
 * ArrayBuffer and byte offsets of tensors already allocated in it, so no data is copied:
 * OpenBLAS (or Accelerate) reads the inputs and writes the output in place.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include "conv_args.h"

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


/* ---- Convolutions (NHWC) as im2col + GEMM ------------------------------------------------ */

/* oneDNN takes the convolutions where it is built in and not switched off (see ssgan_dnnl.c). */
#ifdef SSGAN_DNNL
static int use_dnnl = 1;
#else
static int use_dnnl = 0;
#endif

/* One image's receptive fields as rows: cols[OH*OW][KH*KW*C], zeros where padding. */
static void im2col(const float *x, const ConvArgs *a, float *cols) {
  const int K = a->KH * a->KW * a->C;
  for (int oh = 0; oh < a->OH; oh++)
    for (int ow = 0; ow < a->OW; ow++) {
      float *row = cols + (size_t)(oh * a->OW + ow) * K;
      for (int kh = 0; kh < a->KH; kh++) {
        const int ih = oh * a->sh - a->pt + kh * a->dh;
        for (int kw = 0; kw < a->KW; kw++) {
          const int iw = ow * a->sw - a->pl + kw * a->dw;
          float *dst = row + (kh * a->KW + kw) * a->C;
          const int inside = ih >= 0 && ih < a->H && iw >= 0 && iw < a->W;
          if (a->C < 8) {
            /* A call to memcpy per pixel costs more than the copy when there are few channels. */
            if (inside) {
              const float *src = x + ((size_t)ih * a->W + iw) * a->C;
              for (int c = 0; c < a->C; c++) dst[c] = src[c];
            } else {
              for (int c = 0; c < a->C; c++) dst[c] = 0.0f;
            }
          } else if (!inside) {
            memset(dst, 0, sizeof(float) * a->C);
          } else {
            memcpy(dst, x + ((size_t)ih * a->W + iw) * a->C, sizeof(float) * a->C);
          }
        }
      }
    }
}

/* The adjoint of im2col: adds each row's entries back onto the pixels they came from. */
static void col2im(const float *cols, const ConvArgs *a, float *dx) {
  const int K = a->KH * a->KW * a->C;
  for (int oh = 0; oh < a->OH; oh++)
    for (int ow = 0; ow < a->OW; ow++) {
      const float *row = cols + (size_t)(oh * a->OW + ow) * K;
      for (int kh = 0; kh < a->KH; kh++) {
        const int ih = oh * a->sh - a->pt + kh * a->dh;
        if (ih < 0 || ih >= a->H) continue;
        for (int kw = 0; kw < a->KW; kw++) {
          const int iw = ow * a->sw - a->pl + kw * a->dw;
          if (iw < 0 || iw >= a->W) continue;
          const float *src = row + (kh * a->KW + kw) * a->C;
          float *dst = dx + ((size_t)ih * a->W + iw) * a->C;
          for (int c = 0; c < a->C; c++) dst[c] += src[c];
        }
      }
    }
}

/*
 * conv(heap: ArrayBuffer, mode, dims: Int32Array[15], offsets: Float64Array[3])
 * mode 0: y = conv2d(x, f);  1: x-gradient dx (at offset x) from dy (at y);
 * mode 2: filter gradient df (at offset f) from x and dy (at y).
 * The filter [KH,KW,C,F] is, row-major, the matrix [KH*KW*C, F].
 */
static napi_value conv(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) {
    napi_throw_type_error(env, NULL, "ssgan_blas.conv: expected 4 arguments");
    return NULL;
  }
  void *data = NULL;
  size_t byte_length = 0;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &byte_length));
  int32_t mode = 0;
  CHECK(napi_get_value_int32(env, argv[1], &mode));
  napi_typedarray_type t1, t2;
  size_t n1, n2, o1, o2;
  void *d1, *d2;
  napi_value b1, b2;
  CHECK(napi_get_typedarray_info(env, argv[2], &t1, &n1, &d1, &b1, &o1));
  CHECK(napi_get_typedarray_info(env, argv[3], &t2, &n2, &d2, &b2, &o2));
  if (t1 != napi_int32_array || n1 != 15 || t2 != napi_float64_array || n2 != 3) {
    napi_throw_type_error(env, NULL, "ssgan_blas.conv: expected Int32Array(15) dims and Float64Array(3) offsets");
    return NULL;
  }
  const int32_t *d = (const int32_t *)d1;
  const double *off = (const double *)d2;
  ConvArgs a = {d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], (int64_t)off[0], (int64_t)off[1], (int64_t)off[2]};
  const size_t floats = byte_length / sizeof(float);
  const size_t xs = (size_t)a.N * a.H * a.W * a.C, fs = (size_t)a.KH * a.KW * a.C * a.F, ys = (size_t)a.N * a.OH * a.OW * a.F;
  if (a.x < 0 || a.f < 0 || a.y < 0 || (size_t)a.x + xs > floats || (size_t)a.f + fs > floats || (size_t)a.y + ys > floats) {
    napi_throw_range_error(env, NULL, "ssgan_blas.conv: operands outside the heap");
    return NULL;
  }
  float *heap = (float *)data;
  float *x = heap + a.x, *f = heap + a.f, *y = heap + a.y;
#ifdef SSGAN_DNNL
  /* oneDNN's input gradient of a one- to three-channel image is slower than im2col's (10.5 vs 3.4 ms
   * for the first dcgan layer at batch 300), so that case stays here. */
  if (use_dnnl && !(mode == 1 && a.C < 4) && dnnl_conv(mode, &a, x, f, y) == 0) return NULL;
#endif
  const int P = a.OH * a.OW, K = a.KH * a.KW * a.C;
  /* 1x1 stride-1 unpadded convolutions need no im2col: the image already is the matrix. */
  const int direct = a.KH == 1 && a.KW == 1 && a.sh == 1 && a.sw == 1 && a.pt == 0 && a.pl == 0 && a.OH == a.H && a.OW == a.W;
  /*
   * Images go through in chunks whose im2col matrix fills ~1 MB: small enough to be read back
   * from cache by the GEMM right after im2col writes it (20% faster over the dcgan D's layers
   * than 16 MB chunks), large enough for hundreds of GEMM rows where one image of a late layer
   * has only 16-49 positions. NHWC makes a chunk of images one contiguous matrix in x, y, cols.
   */
  const size_t per_image = (size_t)P * K;
  int chunk = per_image == 0 ? 1 : (int)((size_t)(1u << 18) / per_image);
  if (chunk < 1) chunk = 1;
  if (chunk > a.N) chunk = a.N > 0 ? a.N : 1;
  float *cols = direct ? NULL : (float *)malloc(sizeof(float) * per_image * (size_t)chunk);
  if (!direct && !cols) {
    napi_throw_error(env, NULL, "ssgan_blas.conv: out of memory for im2col");
    return NULL;
  }
  if (mode == 1) memset(x, 0, sizeof(float) * xs);
  const size_t x_image = (size_t)a.H * a.W * a.C, y_image = (size_t)P * a.F;
  for (int n0 = 0; n0 < a.N; n0 += chunk) {
    const int b = a.N - n0 < chunk ? a.N - n0 : chunk;
    const int rows = b * P;
    float *xn = x + (size_t)n0 * x_image;
    float *yn = y + (size_t)n0 * y_image;
    if (mode == 0) {
      if (!direct)
        for (int i = 0; i < b; i++) im2col(xn + i * x_image, &a, cols + i * per_image);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, a.F, K, 1.0f, direct ? xn : cols, K, f, a.F, 0.0f, yn, a.F);
    } else if (mode == 1) {
      if (direct) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, K, a.F, 1.0f, yn, a.F, f, a.F, 0.0f, xn, K);
      } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, K, a.F, 1.0f, yn, a.F, f, a.F, 0.0f, cols, K);
        for (int i = 0; i < b; i++) col2im(cols + i * per_image, &a, xn + i * x_image);
      }
    } else {
      if (!direct)
        for (int i = 0; i < b; i++) im2col(xn + i * x_image, &a, cols + i * per_image);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, a.F, rows, 1.0f, direct ? xn : cols, K, yn, a.F, n0 == 0 ? 0.0f : 1.0f, f, a.F);
    }
  }
  if (mode == 2 && a.N == 0) memset(f, 0, sizeof(float) * fs);
  free(cols);
  return NULL;
}

/*
 * fillNormal(out: Float32Array, seed, sigma): N(0, sigma^2) samples, the same stream as
 * src/util/gaussian.ts (xoshiro128+ seeded by splitmix32, the ziggurat method in double
 * precision). Drawing in JavaScript costs ~20 ns a value, and a training step of the paper's
 * discriminator draws 1.5 million.
 */
static uint32_t splitmix32(uint32_t *x) {
  uint32_t z = (*x += 0x9e3779b9u);
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

/* The ziggurat tables; see zigguratTables in src/util/gaussian.ts, which this mirrors line by line. */
static double zig_kn[128], zig_wn[128], zig_fn[128];
static int zig_ready = 0;

static void ziggurat_tables(void) {
  const double m1 = 2147483648.0, vn = 9.91256303526217e-3;
  double dn = 3.442619855899, tn = dn;
  double q = vn / exp(-0.5 * dn * dn);
  zig_kn[0] = floor((dn / q) * m1);
  zig_kn[1] = 0;
  zig_wn[0] = q / m1;
  zig_wn[127] = dn / m1;
  zig_fn[0] = 1.0;
  zig_fn[127] = exp(-0.5 * dn * dn);
  for (int i = 126; i >= 1; i--) {
    dn = sqrt(-2.0 * log(vn / dn + exp(-0.5 * dn * dn)));
    zig_kn[i + 1] = floor((dn / tn) * m1);
    tn = dn;
    zig_fn[i] = exp(-0.5 * dn * dn);
    zig_wn[i] = dn / m1;
  }
  zig_ready = 1;
}

typedef struct {
  uint32_t s0, s1, s2, s3;
} Xoshiro;

static inline uint32_t xoshiro_next(Xoshiro *g) {
  uint32_t r = g->s0 + g->s3, t = g->s1 << 9;
  g->s2 ^= g->s0;
  g->s3 ^= g->s1;
  g->s1 ^= g->s2;
  g->s0 ^= g->s3;
  g->s2 ^= t;
  g->s3 = (g->s3 << 11) | (g->s3 >> 21);
  return r;
}

static inline double xoshiro_uni(Xoshiro *g) { return ((double)xoshiro_next(g) + 0.5) * 2.3283064365386963e-10; }

/* n samples of N(0, sigma^2) into out, plus add[i] when add is not NULL (the noise layers' x + noise). */
static void normal_stream(float *out, const float *add, size_t length, uint32_t seed, double sigma) {
  if (!zig_ready) ziggurat_tables();
  uint32_t x = seed;
  Xoshiro g = {splitmix32(&x), splitmix32(&x), splitmix32(&x), splitmix32(&x)};
  for (size_t i = 0; i < length; i++) {
    double h = (double)(int32_t)xoshiro_next(&g);
    int k = (int)(xoshiro_next(&g) >> 25);
    double v;
    for (;;) {
      if (fabs(h) < zig_kn[k]) {
        v = h * zig_wn[k];
        break;
      }
      if (k == 0) {
        const double r = 3.442619855899;
        double a, b;
        do {
          a = -log(xoshiro_uni(&g)) / r;
          b = -log(xoshiro_uni(&g));
        } while (b + b < a * a);
        v = h > 0 ? r + a : -r - a;
        break;
      }
      double w = h * zig_wn[k];
      if (zig_fn[k] + xoshiro_uni(&g) * (zig_fn[k - 1] - zig_fn[k]) < exp(-0.5 * w * w)) {
        v = w;
        break;
      }
      h = (double)(int32_t)xoshiro_next(&g);
      k = (int)(xoshiro_next(&g) >> 25);
    }
    float f = (float)(v * sigma);
    out[i] = add ? add[i] + f : f;
  }
}

static napi_value fill_normal(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_typedarray_type type;
  size_t length;
  void *data;
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL));
  if (type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "fillNormal: expected a Float32Array");
    return NULL;
  }
  normal_stream((float *)data, NULL, length, (uint32_t)arg_i64(env, argv[1]), arg_f64(env, argv[2]));
  return NULL;
}

/* Reads a Float64Array of float offsets and checks each operand (offset, length) lies in the heap. */
static int heap_operands(napi_env env, napi_value arr, size_t floats, const int64_t *lengths, size_t count, int64_t *out, const char *who) {
  napi_typedarray_type type;
  size_t len;
  void *data;
  if (napi_get_typedarray_info(env, arr, &type, &len, &data, NULL, NULL) != napi_ok || type != napi_float64_array || len != count) {
    napi_throw_type_error(env, NULL, who);
    return 0;
  }
  const double *offs = (const double *)data;
  for (size_t k = 0; k < count; k++) {
    /* NaN, negative and huge offsets fail before any cast; lengths come from checked products. */
    if (!(offs[k] >= 0) || !(offs[k] <= (double)floats) || lengths[k] < 0 || (size_t)offs[k] + (size_t)lengths[k] > floats) {
      napi_throw_range_error(env, NULL, who);
      return 0;
    }
    out[k] = (int64_t)offs[k];
  }
  return 1;
}

/*
 * adam(heap, offsets: Float64Array [param, m, v, grad] in floats, n, lr, beta1, beta2, eps, c1, c2):
 * one Adam update in place on the wasm heap, the same formula as tf.train.adam
 * (p -= lr * (m / c1) / (sqrt(v / c2) + eps), c_i = 1 - beta_i^t). tfjs spends ~13 full passes over
 * every parameter on it; the paper's D and G have 2.2 million.
 */
static napi_value adam(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *heap;
  size_t heap_len;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &heap, &heap_len));
  napi_typedarray_type type;
  size_t len;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &len, NULL, NULL, NULL));
  int64_t n = arg_i64(env, argv[2]);
  if (type != napi_float64_array || len != 4 || n < 0) {
    napi_throw_type_error(env, NULL, "ssgan_blas.adam: expected four float offsets and a count");
    return NULL;
  }
  /* Refuse anything that would read or write outside the heap. */
  int64_t lengths[4] = {n, n, n, n}, o[4];
  if (!heap_operands(env, argv[1], heap_len / sizeof(float), lengths, 4, o, "ssgan_blas.adam: operands outside the heap")) return NULL;
  float *base = (float *)heap;
  float *p = base + o[0], *m = base + o[1], *v = base + o[2];
  const float *g = base + o[3];
  double beta1 = arg_f64(env, argv[4]), beta2 = arg_f64(env, argv[5]);
  /* Constants rounded to float32 as tfjs rounds its scalars: 1 - beta in double first. */
  float lr = (float)arg_f64(env, argv[3]), b1 = (float)beta1, b2 = (float)beta2;
  float eps = (float)arg_f64(env, argv[6]), c1 = (float)arg_f64(env, argv[7]), c2 = (float)arg_f64(env, argv[8]);
  float a1 = (float)(1.0 - beta1), a2 = (float)(1.0 - beta2);
  for (int64_t i = 0; i < n; i++) {
    float gi = g[i];
    float mi = b1 * m[i] + gi * a1;
    float vi = b2 * v[i] + (gi * gi) * a2;
    m[i] = mi;
    v[i] = vi;
    p[i] = (mi / c1) / (sqrtf(vi / c2) + eps) * -lr + p[i];
  }
  return NULL;
}

/* ---- Reductions and the fused weight-normalised dense layer -------------------------------- */


/* Reads (heap, offsets [a, b, out] or [a, out], n) with bounds checks; returns the base or NULL. */
static float *elementwise_args(napi_env env, napi_value *argv, int operands, int64_t *o, int64_t *n, const char *who) {
  void *heap;
  size_t heap_len;
  if (napi_get_arraybuffer_info(env, argv[0], &heap, &heap_len) != napi_ok) {
    napi_throw_type_error(env, NULL, who);
    return NULL;
  }
  *n = arg_i64(env, argv[2]);
  int64_t lengths[3] = {*n, *n, *n};
  if (!heap_operands(env, argv[1], heap_len / sizeof(float), lengths, operands, o, who)) return NULL;
  return (float *)heap;
}

/*
 * sumLeading(heap, offsets [x, out], outer, inner[, divisor]): out[j] = sum_i x[i*inner + j] / divisor.
 * tfjs' wasm Sum transposes first when the reduced axes are not the innermost; bias gradients
 * and weight-norm norms reduce the leading axis of large matrices, so this skips the transpose.
 */
static napi_value sum_leading(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *heap;
  size_t heap_len;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &heap, &heap_len));
  int64_t outer = arg_i64(env, argv[2]), inner = arg_i64(env, argv[3]);
  float divisor = argc > 4 ? (float)arg_f64(env, argv[4]) : 1.0f;
  int64_t total, lengths[2] = {0, inner}, o[2];
  lengths[0] = outer < 0 || inner < 0 || __builtin_mul_overflow(outer, inner, &total) ? -1 : total;
  if (!heap_operands(env, argv[1], heap_len / sizeof(float), lengths, 2, o, "ssgan_blas.sumLeading: operands outside the heap")) return NULL;
  float *base = (float *)heap;
  const float *restrict x = base + o[0];
  float *restrict out = base + o[1];
  for (int64_t j = 0; j < inner; j++) out[j] = 0.0f;
  for (int64_t i = 0; i < outer; i++) {
    const float *row = x + i * inner;
    for (int64_t j = 0; j < inner; j++) out[j] += row[j];
  }
  if (divisor != 1.0f)
    for (int64_t j = 0; j < inner; j++) out[j] /= divisor;
  return NULL;
}

/*
 * addNormal(heap, offsets [x, out], n, seed, sigma): out = x + N(0, sigma^2) noise, the noise
 * drawn as fillNormal draws it, so the result equals x + tensor(fillNormal) without the copy.
 */
static napi_value add_normal(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t o[2], n;
  float *base = elementwise_args(env, argv, 2, o, &n, "ssgan_blas.addNormal: operands outside the heap");
  if (!base) return NULL;
  normal_stream(base + o[1], base + o[0], (size_t)n, (uint32_t)arg_i64(env, argv[3]), arg_f64(env, argv[4]));
  return NULL;
}

/*
 * softplus(heap, offsets [x, out], n): log(1 + e^x) with tfjs' cut-offs (x itself above
 * -log(eps) - 2, e^x below log(eps) + 2). wasm evaluates it with scalar libm calls at ~6 ns a value.
 */
static napi_value softplus(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t o[2], n;
  float *base = elementwise_args(env, argv, 2, o, &n, "ssgan_blas.softplus: operands outside the heap");
  if (!base) return NULL;
  const float *x = base + o[0];
  float *out = base + o[1];
  const float threshold = logf(1.1920928955078125e-7f) + 2.0f;
  for (int64_t i = 0; i < n; i++) {
    float xi = x[i];
    if (xi > -threshold) out[i] = xi;
    else if (xi < threshold) out[i] = expf(xi);
    else {
      /* log1p(e) as log(u) e/(u - 1), u = 1 + e (Goldberg): exact to a few ulps where 1 + e rounds. */
      float e = expf(xi), u = 1.0f + e;
      out[i] = u == 1.0f ? e : logf(u) * (e / (u - 1.0f));
    }
  }
  return NULL;
}


/*
 * leaky(heap, offsets [x, out], n, alpha): x > 0 ? x : alpha x.
 * leakyGrad(heap, offsets [dy, y, out], n, alpha): y > 0 ? dy : alpha dy (y > 0 exactly where x > 0).
 * wasm's LeakyRelu and the Greater + Select of its gradient run at ~1 ns a value here.
 */
static napi_value leaky(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t o[2], n;
  float *base = elementwise_args(env, argv, 2, o, &n, "ssgan_blas.leaky: operands outside the heap");
  if (!base) return NULL;
  const float alpha = (float)arg_f64(env, argv[3]);
  const float *restrict x = base + o[0];
  float *restrict out = base + o[1];
  for (int64_t i = 0; i < n; i++) out[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
  return NULL;
}

static napi_value leaky_grad(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t o[3], n;
  float *base = elementwise_args(env, argv, 3, o, &n, "ssgan_blas.leakyGrad: operands outside the heap");
  if (!base) return NULL;
  const float alpha = (float)arg_f64(env, argv[3]);
  const float *restrict dy = base + o[0], *restrict y = base + o[1];
  float *restrict out = base + o[2];
  for (int64_t i = 0; i < n; i++) out[i] = y[i] > 0.0f ? dy[i] : alpha * dy[i];
  return NULL;
}

/*
 * dropout(heap, offsets [x, out], n, seed, rate): out_i = x_i / (1 - rate) where the draw
 * h(seed, i) >= rate * 2^32, else 0; the same mask as src/util/dropout.ts. h is a counter-based
 * hash (murmur3's finaliser of seed + i * golden ratio), so every element is independent and the
 * loop vectorises, where a sequential generator would cost ~4 ns an element. The gradient is the
 * same call on dy with the same seed, so no mask is stored.
 */
static napi_value dropout(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t o[2], n;
  float *base = elementwise_args(env, argv, 2, o, &n, "ssgan_blas.dropout: operands outside the heap");
  if (!base) return NULL;
  const uint32_t seed = (uint32_t)arg_i64(env, argv[3]);
  const double rate = arg_f64(env, argv[4]);
  if (!(rate >= 0.0 && rate < 1.0)) {
    napi_throw_range_error(env, NULL, "ssgan_blas.dropout: rate must be in [0, 1)");
    return NULL;
  }
  const double cut = ceil(rate * 4294967296.0);
  const uint32_t threshold = (uint32_t)cut; /* < 2^32 for rate < 1 */
  const float scale = 1.0f / (float)(1.0 - rate);
  const float *restrict in = base + o[0];
  float *restrict out = base + o[1];
  for (int64_t i = 0; i < n; i++) {
    uint32_t h = seed + (uint32_t)i * 0x9e3779b9u;
    h = (h ^ (h >> 16)) * 0x85ebca6bu;
    h = (h ^ (h >> 13)) * 0xc2b2ae35u;
    h ^= h >> 16;
    /* A multiplier rather than a branch, so the loop has no control flow to stop vectorising. */
    out[i] = in[i] * (h >= threshold ? scale : 0.0f);
  }
  return NULL;
}

/*
 * The arguments (heap, offsets: Float64Array, dims: Int32Array(ndims)) of the layer kernels below:
 * the heap and its size in floats, and the dims, all of them >= 0. NULL (with a JS error) otherwise.
 */
static int32_t *layer_args(napi_env env, napi_callback_info info, napi_value *argv, size_t ndims, void **heap, size_t *floats, const char *who) {
  size_t argc = 3;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) {
    napi_throw_type_error(env, NULL, who);
    return NULL;
  }
  size_t heap_len = 0, dlen = 0;
  int32_t *d = NULL;
  napi_typedarray_type dtype;
  if (napi_get_arraybuffer_info(env, argv[0], heap, &heap_len) != napi_ok ||
      napi_get_typedarray_info(env, argv[2], &dtype, &dlen, (void **)&d, NULL, NULL) != napi_ok || dtype != napi_int32_array || dlen != ndims) {
    napi_throw_type_error(env, NULL, who);
    return NULL;
  }
  for (size_t k = 0; k < ndims; k++)
    if (d[k] < 0) {
      napi_throw_type_error(env, NULL, who);
      return NULL;
    }
  *floats = heap_len / sizeof(float);
  return d;
}

/* Column norms of v [I, U] as weight norm defines them: sqrt(sum_i v_ij^2 + 1e-6). */
static void column_norms(const float *restrict v, int64_t In, int64_t U, float *restrict n) {
  for (int64_t j = 0; j < U; j++) n[j] = 0.0f;
  for (int64_t i = 0; i < In; i++) {
    const float *row = v + i * U;
    for (int64_t j = 0; j < U; j++) n[j] += row[j] * row[j];
  }
  for (int64_t j = 0; j < U; j++) n[j] = sqrtf(n[j] + 1e-6f);
}

/*
 * The weight-normalised dense layer y = act(t * g/n + b), t = x v, n = ||v|| (per column), as two
 * kernels so that each output feeds the next and the tape never holds an output without a
 * gradient (tfjs fills those with zeros it allocates in JavaScript: ~2.6 ms a GAN step).
 *
 * wnDenseCore(heap, offsets [x, v, t, n], dims [N, I, U]): t = x v, n_j = sqrt(sum_i v_ij^2 + 1e-6).
 */
static napi_value wn_dense_core(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  void *heap;
  size_t floats;
  int32_t *d = layer_args(env, info, argv, 3, &heap, &floats, "ssgan_blas.wnDenseCore: expected (heap, offsets, dims [N, I, U])");
  if (!d) return NULL;
  int64_t N = d[0], In = d[1], U = d[2];
  int64_t lengths[4] = {N * In, In * U, N * U, U}, o[4];
  if (!heap_operands(env, argv[1], floats, lengths, 4, o, "ssgan_blas.wnDenseCore: operands outside the heap")) return NULL;
  float *base = (float *)heap;
  column_norms(base + o[1], In, U, base + o[3]);
  if (N > 0 && In > 0 && U > 0)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)U, (int)In, 1.0f, base + o[0], (int)In, base + o[1], (int)U, 0.0f, base + o[2], (int)U);
  return NULL;
}

/* wnDenseAct(heap, offsets [t, n, g, b, y], dims [N, U, relu]): y = act(t * g/n + b). */
static napi_value wn_dense_act(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  void *heap;
  size_t floats;
  int32_t *d = layer_args(env, info, argv, 3, &heap, &floats, "ssgan_blas.wnDenseAct: expected (heap, offsets, dims [N, U, relu])");
  if (!d) return NULL;
  int64_t N = d[0], U = d[1];
  int relu = d[2];
  int64_t lengths[5] = {N * U, U, U, U, N * U}, o[5];
  if (!heap_operands(env, argv[1], floats, lengths, 5, o, "ssgan_blas.wnDenseAct: operands outside the heap")) return NULL;
  float *base = (float *)heap;
  const float *nrm = base + o[1], *g = base + o[2], *b = base + o[3];
  float *s = malloc(sizeof(float) * (size_t)(U > 0 ? U : 1));
  if (!s) {
    napi_throw_error(env, NULL, "ssgan_blas.wnDenseAct: out of memory");
    return NULL;
  }
  for (int64_t j = 0; j < U; j++) s[j] = g[j] / nrm[j];
  for (int64_t n = 0; n < N; n++) {
    const float *restrict tr = base + o[0] + n * U;
    float *restrict yr = base + o[4] + n * U;
    const float *restrict sc = s;
    for (int64_t j = 0; j < U; j++) {
      float a = tr[j] * sc[j] + b[j];
      yr[j] = relu && a < 0.0f ? 0.0f : a;
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
static napi_value wn_dense_act_back(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  void *heap;
  size_t floats;
  int32_t *d = layer_args(env, info, argv, 3, &heap, &floats, "ssgan_blas.wnDenseActBack: expected (heap, offsets, dims [N, U, relu])");
  if (!d) return NULL;
  int64_t N = d[0], U = d[1];
  int relu = d[2];
  int64_t lengths[9] = {N * U, N * U, N * U, U, U, N * U, U, U, U}, o[9];
  if (!heap_operands(env, argv[1], floats, lengths, 9, o, "ssgan_blas.wnDenseActBack: operands outside the heap")) return NULL;
  float *base = (float *)heap;
  const float *dy = base + o[0], *y = base + o[1], *t = base + o[2], *nrm = base + o[3], *g = base + o[4];
  float *dt = base + o[5], *dn = base + o[6], *dg = base + o[7], *db = base + o[8];
  float *s = malloc(sizeof(float) * (size_t)(U > 0 ? U : 1));
  if (!s) {
    napi_throw_error(env, NULL, "ssgan_blas.wnDenseActBack: out of memory");
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
static napi_value wn_dense_core_grad_v(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  void *heap;
  size_t floats;
  int32_t *d = layer_args(env, info, argv, 3, &heap, &floats, "ssgan_blas.wnDenseCoreGradV: expected (heap, offsets, dims [N, I, U])");
  if (!d) return NULL;
  int64_t N = d[0], In = d[1], U = d[2];
  int64_t lengths[6] = {N * In, N * U, In * U, U, U, In * U}, o[6];
  if (!heap_operands(env, argv[1], floats, lengths, 6, o, "ssgan_blas.wnDenseCoreGradV: operands outside the heap")) return NULL;
  float *base = (float *)heap;
  const float *x = base + o[0], *dt = base + o[1], *v = base + o[2], *nrm = base + o[3], *dn = base + o[4];
  float *dv = base + o[5];
  for (int64_t i = 0; i < In; i++) {
    const float *restrict vr = v + i * U;
    float *restrict dvr = dv + i * U;
    for (int64_t j = 0; j < U; j++) dvr[j] = dn[j] / nrm[j] * vr[j];
  }
  if (N > 0 && In > 0 && U > 0)
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)In, (int)U, (int)N, 1.0f, x, (int)In, dt, (int)U, 1.0f, dv, (int)U);
  return NULL;
}

/*
 * ema(heap, offsets [avg, value], n, decay): avg = avg * decay + value * (1 - decay) in place, the
 * float32 arithmetic of tf.add(tf.mul(avg, d), tf.mul(value, 1 - d)). The evaluation copy of D
 * takes this after every step: ~60 tfjs kernels over 1.5 million weights.
 */
static napi_value ema(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t o[2], n;
  float *base = elementwise_args(env, argv, 2, o, &n, "ssgan_blas.ema: operands outside the heap");
  if (!base) return NULL;
  const double decay = arg_f64(env, argv[3]);
  const float d = (float)decay, od = (float)(1.0 - decay);
  float *restrict avg = base + o[0];
  const float *restrict v = base + o[1];
  for (int64_t i = 0; i < n; i++) avg[i] = avg[i] * d + v[i] * od;
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifndef SSGAN_ACCELERATE
  openblas_set_num_threads((int)arg_i64(env, argv[0]));
#endif
#ifdef SSGAN_DNNL
  dnnl_conv_threads((int)arg_i64(env, argv[0]));
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

/*
 * convEngine([name]): 'onednn' or 'im2col' for the convolutions, switched when a name is given
 * (tests run both against the cpu backend); returns the engine in use. 'onednn' needs the addon
 * built with oneDNN; without it the answer stays 'im2col'.
 */
static napi_value conv_engine(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1) {
    char name[16] = "";
    size_t len = 0;
    CHECK(napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len));
#ifdef SSGAN_DNNL
    use_dnnl = strcmp(name, "onednn") == 0;
#endif
  }
  napi_value out;
#ifdef SSGAN_DNNL
  const char *text = use_dnnl ? "onednn" : "im2col";
#else
  const char *text = "im2col";
#endif
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

/* The oneDNN version the addon was built with, or an empty string. */
static napi_value onednn_info(napi_env env, napi_callback_info info) {
  napi_value out;
#ifdef SSGAN_DNNL
  const char *text = dnnl_conv_info();
#else
  const char *text = "";
#endif
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemmBatched", NULL, sgemm_batched, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"conv", NULL, conv, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_default, NULL},
      {"convEngine", NULL, conv_engine, NULL, NULL, NULL, napi_default, NULL},
      {"onednnInfo", NULL, onednn_info, NULL, NULL, NULL, napi_default, NULL},
      {"fillNormal", NULL, fill_normal, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
      {"ema", NULL, ema, NULL, NULL, NULL, napi_default, NULL},
      {"addNormal", NULL, add_normal, NULL, NULL, NULL, napi_default, NULL},
      {"leaky", NULL, leaky, NULL, NULL, NULL, napi_default, NULL},
      {"leakyGrad", NULL, leaky_grad, NULL, NULL, NULL, napi_default, NULL},
      {"dropout", NULL, dropout, NULL, NULL, NULL, napi_default, NULL},
      {"softplus", NULL, softplus, NULL, NULL, NULL, napi_default, NULL},
      {"sumLeading", NULL, sum_leading, NULL, NULL, NULL, napi_default, NULL},
      {"wnDenseCore", NULL, wn_dense_core, NULL, NULL, NULL, napi_default, NULL},
      {"wnDenseCoreGradV", NULL, wn_dense_core_grad_v, NULL, NULL, NULL, napi_default, NULL},
      {"wnDenseAct", NULL, wn_dense_act, NULL, NULL, NULL, napi_default, NULL},
      {"wnDenseActBack", NULL, wn_dense_act_back, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
