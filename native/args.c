/* The argument reader of args.h. */
#include "args.h"
#include <stdio.h>

static int throw_with(const Args *a, napi_status (*thrower)(napi_env, const char *, const char *), const char *what) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", a->who, what);
  thrower(a->env, NULL, msg);
  return 0;
}

int args_type_error(const Args *a, const char *what) { return throw_with(a, napi_throw_type_error, what); }
int args_range_error(const Args *a, const char *what) { return throw_with(a, napi_throw_range_error, what); }
int args_error(const Args *a, const char *what) { return throw_with(a, napi_throw_error, what); }

int args_read(napi_env env, napi_callback_info info, size_t min, size_t max, int take_heap, const char *who, Args *a) {
  a->env = env;
  a->who = who;
  a->heap = NULL;
  a->floats = 0;
  a->argc = max < SSGAN_MAX_ARGS ? max : SSGAN_MAX_ARGS;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok) return args_error(a, "N-API call failed");
  if (a->argc < min || a->argc > max) {
    char what[64];
    if (min == max)
      snprintf(what, sizeof what, "expected %zu arguments, got %zu", min, a->argc);
    else
      snprintf(what, sizeof what, "expected %zu to %zu arguments, got %zu", min, max, a->argc);
    return args_type_error(a, what);
  }
  if (take_heap) {
    void *data = NULL;
    size_t bytes = 0;
    if (napi_get_arraybuffer_info(env, a->argv[0], &data, &bytes) != napi_ok)
      return args_type_error(a, "expected the wasm heap (an ArrayBuffer) first");
    a->heap = (float *)data;
    a->floats = bytes / sizeof(float);
  }
  return 1;
}

int64_t args_i64(const Args *a, size_t i) {
  int64_t out = 0;
  if (i < a->argc) napi_get_value_int64(a->env, a->argv[i], &out);
  return out;
}

double args_f64(const Args *a, size_t i, double def) {
  double out = def;
  if (i < a->argc) napi_get_value_double(a->env, a->argv[i], &out);
  return out;
}

int args_bool(const Args *a, size_t i, bool *out) {
  if (i >= a->argc || napi_get_value_bool(a->env, a->argv[i], out) != napi_ok) return args_type_error(a, "expected a boolean");
  return 1;
}

void *args_typed(const Args *a, size_t i, napi_typedarray_type type, size_t len, size_t *out_len) {
  napi_typedarray_type t;
  size_t n = 0;
  void *data = NULL;
  if (i >= a->argc || napi_get_typedarray_info(a->env, a->argv[i], &t, &n, &data, NULL, NULL) != napi_ok || t != type ||
      (len != 0 && n != len))
    return NULL;
  if (out_len) *out_len = n;
  /* An empty view may have no data pointer; it is still the array asked for. */
  static float nothing;
  return data ? data : &nothing;
}

int args_operands(const Args *a, size_t i, const int64_t *lengths, size_t count, int64_t *out) {
  const double *offs = args_typed(a, i, napi_float64_array, count, NULL);
  if (!offs) {
    char what[64];
    snprintf(what, sizeof what, "expected %zu float offsets (a Float64Array)", count);
    return args_type_error(a, what);
  }
  for (size_t k = 0; k < count; k++) {
    if (!(offs[k] >= 0) || !(offs[k] <= (double)a->floats) || lengths[k] < 0 ||
        (size_t)offs[k] + (size_t)lengths[k] > a->floats)
      return args_range_error(a, "operands outside the heap");
    out[k] = (int64_t)offs[k];
  }
  return 1;
}

int args_elementwise(const Args *a, size_t count, int64_t *out, int64_t *n) {
  int64_t lengths[8];
  if (count > 8) return args_error(a, "too many operands");
  *n = args_i64(a, 2);
  for (size_t k = 0; k < count; k++) lengths[k] = *n;
  return args_operands(a, 1, lengths, count, out);
}

const int32_t *args_dims(const Args *a, size_t i, size_t ndims) {
  const int32_t *d = args_typed(a, i, napi_int32_array, ndims, NULL);
  char what[96];
  snprintf(what, sizeof what, "expected %zu dims (an Int32Array), none negative", ndims);
  if (!d) {
    args_type_error(a, what);
    return NULL;
  }
  for (size_t k = 0; k < ndims; k++)
    if (d[k] < 0) {
      args_type_error(a, what);
      return NULL;
    }
  return d;
}

int64_t args_mul(int64_t a, int64_t b) {
  int64_t out;
  return a < 0 || b < 0 || __builtin_mul_overflow(a, b, &out) ? -1 : out;
}
