/* In-place optimiser updates on the wasm heap: Adam and the evaluation copy's moving average. */
#include <math.h>
#include "args.h"
#include "kernels.h"

/*
 * adam(heap, offsets: Float64Array [param, m, v, grad] in floats, n, lr, beta1, beta2, eps, c1, c2):
 * one Adam update in place on the wasm heap, the same formula as tf.train.adam
 * (p -= lr * (m / c1) / (sqrt(v / c2) + eps), c_i = 1 - beta_i^t). tfjs spends ~13 full passes over
 * every parameter on it; the paper's D and G have 2.2 million.
 */
SSGAN_ENTRY(adam) {
  Args a;
  int64_t o[4], n;
  if (!args_read(env, info, 9, 9, 1, "ssgan_blas.adam", &a) || !args_elementwise(&a, 4, o, &n)) return NULL;
  float *p = a.heap + o[0], *m = a.heap + o[1], *v = a.heap + o[2];
  const float *g = a.heap + o[3];
  double beta1 = args_f64(&a, 4, 0), beta2 = args_f64(&a, 5, 0);
  /* Constants rounded to float32 as tfjs rounds its scalars: 1 - beta in double first. */
  float lr = (float)args_f64(&a, 3, 0), b1 = (float)beta1, b2 = (float)beta2;
  float eps = (float)args_f64(&a, 6, 0), c1 = (float)args_f64(&a, 7, 0), c2 = (float)args_f64(&a, 8, 0);
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

/*
 * ema(heap, offsets [avg, value], n, decay): avg = avg * decay + value * (1 - decay) in place, the
 * float32 arithmetic of tf.add(tf.mul(avg, d), tf.mul(value, 1 - d)). The evaluation copy of D
 * takes this after every step: ~60 tfjs kernels over 1.5 million weights.
 */
SSGAN_ENTRY(ema) {
  Args a;
  int64_t o[2], n;
  if (!args_read(env, info, 4, 4, 1, "ssgan_blas.ema", &a) || !args_elementwise(&a, 2, o, &n)) return NULL;
  const double decay = args_f64(&a, 3, 0);
  const float d = (float)decay, od = (float)(1.0 - decay);
  float *restrict avg = a.heap + o[0];
  const float *restrict v = a.heap + o[1];
  for (int64_t i = 0; i < n; i++) avg[i] = avg[i] * d + v[i] * od;
  return NULL;
}
