/* Element-wise activations and the leading-axis sum, in place of wasm kernels that run them slowly. */
#include <math.h>
#include "args.h"
#include "kernels.h"

/*
 * leaky(heap, offsets [x, out], n, alpha): x > 0 ? x : alpha x.
 * leakyGrad(heap, offsets [dy, y, out], n, alpha): y > 0 ? dy : alpha dy (y > 0 exactly where x > 0).
 * wasm's LeakyRelu and the Greater + Select of its gradient run at ~1 ns a value here.
 */
SSGAN_ENTRY(leaky) {
  Args a;
  int64_t o[2], n;
  if (!args_read(env, info, 4, 4, 1, "ssgan_blas.leaky", &a) || !args_elementwise(&a, 2, o, &n)) return NULL;
  const float alpha = (float)args_f64(&a, 3, 0);
  const float *restrict x = a.heap + o[0];
  float *restrict out = a.heap + o[1];
  for (int64_t i = 0; i < n; i++) out[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
  return NULL;
}

SSGAN_ENTRY(leaky_grad) {
  Args a;
  int64_t o[3], n;
  if (!args_read(env, info, 4, 4, 1, "ssgan_blas.leakyGrad", &a) || !args_elementwise(&a, 3, o, &n)) return NULL;
  const float alpha = (float)args_f64(&a, 3, 0);
  const float *restrict dy = a.heap + o[0], *restrict y = a.heap + o[1];
  float *restrict out = a.heap + o[2];
  for (int64_t i = 0; i < n; i++) out[i] = y[i] > 0.0f ? dy[i] : alpha * dy[i];
  return NULL;
}

/*
 * softplus(heap, offsets [x, out], n): log(1 + e^x) with tfjs' cut-offs (x itself above
 * -log(eps) - 2, e^x below log(eps) + 2). wasm evaluates it with scalar libm calls at ~6 ns a value.
 */
SSGAN_ENTRY(softplus) {
  Args a;
  int64_t o[2], n;
  if (!args_read(env, info, 3, 3, 1, "ssgan_blas.softplus", &a) || !args_elementwise(&a, 2, o, &n)) return NULL;
  const float *x = a.heap + o[0];
  float *out = a.heap + o[1];
  const float threshold = logf(1.1920928955078125e-7f) + 2.0f;
  for (int64_t i = 0; i < n; i++) {
    float xi = x[i];
    if (xi > -threshold)
      out[i] = xi;
    else if (xi < threshold)
      out[i] = expf(xi);
    else {
      /* log1p(e) as log(u) e/(u - 1), u = 1 + e (Goldberg): exact to a few ulps where 1 + e rounds. */
      float e = expf(xi), u = 1.0f + e;
      out[i] = u == 1.0f ? e : logf(u) * (e / (u - 1.0f));
    }
  }
  return NULL;
}

/*
 * sumLeading(heap, offsets [x, out], outer, inner[, divisor]): out[j] = sum_i x[i*inner + j] / divisor.
 * tfjs' wasm Sum transposes first when the reduced axes are not the innermost; bias gradients
 * and weight-norm norms reduce the leading axis of large matrices, so this skips the transpose.
 */
SSGAN_ENTRY(sum_leading) {
  Args a;
  if (!args_read(env, info, 4, 5, 1, "ssgan_blas.sumLeading", &a)) return NULL;
  int64_t outer = args_i64(&a, 2), inner = args_i64(&a, 3);
  float divisor = (float)args_f64(&a, 4, 1.0);
  int64_t lengths[2] = {args_mul(outer, inner), inner}, o[2];
  if (!args_operands(&a, 1, lengths, 2, o)) return NULL;
  const float *restrict x = a.heap + o[0];
  float *restrict out = a.heap + o[1];
  for (int64_t j = 0; j < inner; j++) out[j] = 0.0f;
  for (int64_t i = 0; i < outer; i++) {
    const float *row = x + i * inner;
    for (int64_t j = 0; j < inner; j++) out[j] += row[j];
  }
  if (divisor != 1.0f)
    for (int64_t j = 0; j < inner; j++) out[j] /= divisor;
  return NULL;
}
