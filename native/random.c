/*
 * Random streams: Gaussian noise (fillNormal, addNormal) and dropout masks, each the same stream
 * as its JavaScript twin in src/util/, so a run draws the same numbers with or without the addon.
 */
#include <math.h>
#include <stdint.h>
#include "args.h"
#include "kernels.h"

/*
 * The Gaussian stream of src/util/gaussian.ts: xoshiro128+ seeded by splitmix32, the ziggurat
 * method in double precision. Drawing in JavaScript costs ~20 ns a value, and a training step of
 * the paper's discriminator draws 1.5 million.
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

/* fillNormal(out: Float32Array, seed, sigma): N(0, sigma^2) samples. */
SSGAN_ENTRY(fill_normal) {
  Args a;
  if (!args_read(env, info, 3, 3, 0, "ssgan_blas.fillNormal", &a)) return NULL;
  size_t length = 0;
  float *out = args_typed(&a, 0, napi_float32_array, 0, &length);
  if (!out) {
    args_type_error(&a, "expected a Float32Array");
    return NULL;
  }
  normal_stream(out, NULL, length, (uint32_t)args_i64(&a, 1), args_f64(&a, 2, 0));
  return NULL;
}

/*
 * addNormal(heap, offsets [x, out], n, seed, sigma): out = x + N(0, sigma^2) noise, the noise
 * drawn as fillNormal draws it, so the result equals x + tensor(fillNormal) without the copy.
 */
SSGAN_ENTRY(add_normal) {
  Args a;
  int64_t o[2], n;
  if (!args_read(env, info, 5, 5, 1, "ssgan_blas.addNormal", &a) || !args_elementwise(&a, 2, o, &n)) return NULL;
  normal_stream(a.heap + o[1], a.heap + o[0], (size_t)n, (uint32_t)args_i64(&a, 3), args_f64(&a, 4, 0));
  return NULL;
}

/*
 * dropout(heap, offsets [x, out], n, seed, rate): out_i = x_i / (1 - rate) where the draw
 * h(seed, i) >= rate * 2^32, else 0; the same mask as src/util/dropout.ts. h is a counter-based
 * hash (murmur3's finaliser of seed + i * golden ratio), so every element is independent and the
 * loop vectorises, where a sequential generator would cost ~4 ns an element. The gradient is the
 * same call on dy with the same seed, so no mask is stored.
 */
SSGAN_ENTRY(dropout) {
  Args a;
  int64_t o[2], n;
  if (!args_read(env, info, 5, 5, 1, "ssgan_blas.dropout", &a) || !args_elementwise(&a, 2, o, &n)) return NULL;
  const uint32_t seed = (uint32_t)args_i64(&a, 3);
  const double rate = args_f64(&a, 4, 0);
  if (!(rate >= 0.0 && rate < 1.0)) {
    args_range_error(&a, "rate must be in [0, 1)");
    return NULL;
  }
  const double cut = ceil(rate * 4294967296.0);
  const uint32_t threshold = (uint32_t)cut; /* < 2^32 for rate < 1 */
  const float scale = 1.0f / (float)(1.0 - rate);
  const float *restrict in = a.heap + o[0];
  float *restrict out = a.heap + o[1];
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
