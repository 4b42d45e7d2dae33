/*
 * The one argument reader of every entry point. An entry point names itself, says how many
 * arguments it takes and whether the first is the wasm heap, and gets back a struct from which
 * it reads numbers, float offsets into the heap (bounds-checked) and dimension arrays. Each
 * reader throws one JavaScript error naming the entry point and returns 0 (or NULL) on bad
 * input, so the entry point only has to return.
 */
#ifndef SSGAN_ARGS_H
#define SSGAN_ARGS_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSGAN_MAX_ARGS 16

typedef struct {
  napi_env env;
  const char *who; /* "ssgan_blas.adam": the prefix of every error message */
  size_t argc;
  napi_value argv[SSGAN_MAX_ARGS];
  float *heap;   /* argv[0] as floats when the entry point takes the heap, else NULL */
  size_t floats; /* the heap's length in floats */
} Args;

/* Reads min..max arguments; with take_heap, argv[0] must be an ArrayBuffer (the wasm heap). */
int args_read(napi_env env, napi_callback_info info, size_t min, size_t max, int take_heap, const char *who, Args *a);

/* Numbers and flags; a missing argument or a non-number reads as 0 (or def), as N-API leaves it. */
int64_t args_i64(const Args *a, size_t i);
double args_f64(const Args *a, size_t i, double def);
int args_bool(const Args *a, size_t i, bool *out);

/*
 * argv[i] is a Float64Array of count float offsets; operand k spans lengths[k] floats from out[k]
 * and must lie in the heap. NaN, negative and huge offsets fail before any cast; a negative length
 * (an overflowed or negative size) fails too.
 */
int args_operands(const Args *a, size_t i, const int64_t *lengths, size_t count, int64_t *out);

/*
 * The element-wise convention (heap, offsets: Float64Array(count), n, ...): count operands of n
 * floats each. The operands' float offsets go to out and n to *n.
 */
int args_elementwise(const Args *a, size_t count, int64_t *out, int64_t *n);

/* argv[i] is an Int32Array of ndims entries, each >= 0. */
const int32_t *args_dims(const Args *a, size_t i, size_t ndims);

/* argv[i] is a typed array of the given type and length (any length when len is 0). */
void *args_typed(const Args *a, size_t i, napi_typedarray_type type, size_t len, size_t *out_len);

/* One error line, "<who>: <what>", thrown as a TypeError, RangeError or Error; returns 0. */
int args_type_error(const Args *a, const char *what);
int args_range_error(const Args *a, const char *what);
int args_error(const Args *a, const char *what);

/* a * b into out unless it overflows or either is negative; then out = -1 (refused as a length). */
int64_t args_mul(int64_t a, int64_t b);
#endif
