/* Convolutions (NHWC) as im2col + GEMM, or through oneDNN where it is built in (ssgan_dnnl.c). */
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "conv_args.h"
#include "gemm.h"
#include "kernels.h"

/* oneDNN takes the convolutions where it is built in and not switched off. */
#ifdef SSGAN_DNNL
static int use_dnnl = 1;
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
SSGAN_ENTRY(conv) {
  Args args;
  if (!args_read(env, info, 4, 4, 1, "ssgan_blas.conv", &args)) return NULL;
  const int mode = (int)args_i64(&args, 1);
  const int32_t *d = args_typed(&args, 2, napi_int32_array, 15, NULL);
  const double *off = args_typed(&args, 3, napi_float64_array, 3, NULL);
  if (!d || !off) {
    args_type_error(&args, "expected Int32Array(15) dims and Float64Array(3) offsets");
    return NULL;
  }
  ConvArgs a = {d[0],  d[1],  d[2],  d[3],  d[4],  d[5],  d[6],          d[7],          d[8],
                d[9],  d[10], d[11], d[12], d[13], d[14], (int64_t)off[0], (int64_t)off[1], (int64_t)off[2]};
  const size_t floats = args.floats;
  const size_t xs = (size_t)a.N * a.H * a.W * a.C, fs = (size_t)a.KH * a.KW * a.C * a.F,
               ys = (size_t)a.N * a.OH * a.OW * a.F;
  if (a.x < 0 || a.f < 0 || a.y < 0 || (size_t)a.x + xs > floats || (size_t)a.f + fs > floats ||
      (size_t)a.y + ys > floats) {
    args_range_error(&args, "operands outside the heap");
    return NULL;
  }
  float *heap = args.heap;
  float *x = heap + a.x, *f = heap + a.f, *y = heap + a.y;
#ifdef SSGAN_DNNL
  /* oneDNN's input gradient of a one- to three-channel image is slower than im2col's (10.5 vs 3.4 ms
   * for the first dcgan layer at batch 300), so that case stays here. */
  if (use_dnnl && !(mode == 1 && a.C < 4) && dnnl_conv(mode, &a, x, f, y) == 0) return NULL;
#endif
  const int P = a.OH * a.OW, K = a.KH * a.KW * a.C;
  /* 1x1 stride-1 unpadded convolutions need no im2col: the image already is the matrix. */
  const int direct =
      a.KH == 1 && a.KW == 1 && a.sh == 1 && a.sw == 1 && a.pt == 0 && a.pl == 0 && a.OH == a.H && a.OW == a.W;
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
    args_error(&args, "out of memory for im2col");
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
      gemm(0, 0, rows, a.F, K, 1.0f, direct ? xn : cols, K, f, a.F, 0.0f, yn, a.F);
    } else if (mode == 1) {
      if (direct) {
        gemm(0, 1, rows, K, a.F, 1.0f, yn, a.F, f, a.F, 0.0f, xn, K);
      } else {
        gemm(0, 1, rows, K, a.F, 1.0f, yn, a.F, f, a.F, 0.0f, cols, K);
        for (int i = 0; i < b; i++) col2im(cols + i * per_image, &a, xn + i * x_image);
      }
    } else {
      if (!direct)
        for (int i = 0; i < b; i++) im2col(xn + i * x_image, &a, cols + i * per_image);
      gemm(1, 0, K, a.F, rows, 1.0f, direct ? xn : cols, K, yn, a.F, n0 == 0 ? 0.0f : 1.0f, f, a.F);
    }
  }
  if (mode == 2 && a.N == 0) memset(f, 0, sizeof(float) * fs);
  free(cols);
  return NULL;
}

void conv_set_threads(int n) {
#ifdef SSGAN_DNNL
  dnnl_conv_threads(n);
#else
  (void)n;
#endif
}

/*
 * convEngine([name]): 'onednn' or 'im2col' for the convolutions, switched when a name is given
 * (tests run both against the cpu backend); returns the engine in use. 'onednn' needs the addon
 * built with oneDNN; without it the answer stays 'im2col'.
 */
SSGAN_ENTRY(conv_engine) {
  Args a;
  if (!args_read(env, info, 0, 1, 0, "ssgan_blas.convEngine", &a)) return NULL;
  if (a.argc >= 1) {
    char name[16] = "";
    size_t len = 0;
    if (napi_get_value_string_utf8(env, a.argv[0], name, sizeof name, &len) != napi_ok) {
      args_type_error(&a, "expected an engine name ('onednn' or 'im2col')");
      return NULL;
    }
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
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out) != napi_ok) return NULL;
  return out;
}

/* The oneDNN version the addon was built with, or an empty string. */
SSGAN_ENTRY(onednn_info) {
  (void)info;
  napi_value out;
#ifdef SSGAN_DNNL
  const char *text = dnnl_conv_info();
#else
  const char *text = "";
#endif
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out) != napi_ok) return NULL;
  return out;
}
