/*
 * Convolutions through oneDNN (the library PyTorch's CPU convolutions use), where it is installed
 * (Debian: libdnnl-dev). Its JIT kernels run the dcgan discriminator's convolutions about twice as
 * fast as im2col + GEMM here. Activations stay NHWC on the wasm heap and filters stay in tfjs'
 * [KH,KW,C,F] ("hwio"); only filters are reordered into oneDNN's blocked layout, and they are small.
 * Primitives are built once per geometry (building one JIT-compiles it) and kept.
 */
#include <dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conv_args.h"

typedef struct {
  int used;
  int failed; /* oneDNN refused this geometry: remembered, so im2col takes it without a rebuild */
  unsigned long last_use;
  int mode;
  int dims[15];
  dnnl_primitive_t conv, reorder;
  dnnl_memory_t x, f_user, f_internal, y;
} Entry;

#define CACHE 64
static Entry cache[CACHE];
static unsigned long clock_ticks = 0;
static dnnl_engine_t engine = NULL;
static dnnl_stream_t stream = NULL;
static int broken = 0;
static char info[128] = "";

static int ensure_engine(void) {
  if (broken) return 0;
  if (engine) return 1;
  if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success || dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) {
    broken = 1;
    return 0;
  }
  return 1;
}

static void release(Entry *e);

/* Primitives are built for a thread count, so changing it drops them. */
void dnnl_conv_threads(int n) {
  if (n == omp_get_max_threads()) return;
  omp_set_num_threads(n);
  for (int i = 0; i < CACHE; i++) release(&cache[i]);
}

const char *dnnl_conv_info(void) {
  if (!info[0]) {
    const dnnl_version_t *v = dnnl_version();
    snprintf(info, sizeof info, "oneDNN %d.%d.%d", v->major, v->minor, v->patch);
  }
  return info;
}

static void release(Entry *e) {
  if (e->conv) dnnl_primitive_destroy(e->conv);
  if (e->reorder) dnnl_primitive_destroy(e->reorder);
  if (e->x) dnnl_memory_destroy(e->x);
  if (e->f_user) dnnl_memory_destroy(e->f_user);
  if (e->f_internal) dnnl_memory_destroy(e->f_internal);
  if (e->y) dnnl_memory_destroy(e->y);
  memset(e, 0, sizeof *e);
}

/* Builds the primitives of one geometry and mode; returns 0 on any oneDNN refusal. */
static int build(Entry *e, int mode, const ConvArgs *a) {
  const int pb = (a->OH - 1) * a->sh + (a->KH - 1) * a->dh + 1 - a->H - a->pt;
  const int pr = (a->OW - 1) * a->sw + (a->KW - 1) * a->dw + 1 - a->W - a->pl;
  if (pb < 0 || pr < 0) return 0; /* an unread input tail: oneDNN wants it sliced off first */
  dnnl_dims_t xd = {a->N, a->C, a->H, a->W}, fd = {a->F, a->C, a->KH, a->KW}, yd = {a->N, a->F, a->OH, a->OW};
  dnnl_dims_t strides = {a->sh, a->sw}, dil = {a->dh - 1, a->dw - 1}, pl = {a->pt, a->pl}, pr_ = {pb, pr};
  dnnl_memory_desc_t xmd, fmd, fany, ymd;
  if (dnnl_memory_desc_init_by_tag(&xmd, 4, xd, dnnl_f32, dnnl_nhwc) || dnnl_memory_desc_init_by_tag(&fmd, 4, fd, dnnl_f32, dnnl_hwio) ||
      dnnl_memory_desc_init_by_tag(&fany, 4, fd, dnnl_f32, dnnl_format_tag_any) || dnnl_memory_desc_init_by_tag(&ymd, 4, yd, dnnl_f32, dnnl_nhwc))
    return 0;
  dnnl_convolution_desc_t fwd;
  if (dnnl_dilated_convolution_forward_desc_init(&fwd, dnnl_forward_training, dnnl_convolution_direct, &xmd, &fany, NULL, &ymd, strides, dil, pl, pr_)) return 0;
  dnnl_primitive_desc_t fpd = NULL, pd = NULL, rpd = NULL;
  int ok = 0;
  if (dnnl_primitive_desc_create(&fpd, &fwd, NULL, engine, NULL)) return 0;
  if (mode == 0) {
    pd = fpd;
    fpd = NULL;
  } else if (mode == 1) {
    dnnl_convolution_desc_t bd;
    if (dnnl_dilated_convolution_backward_data_desc_init(&bd, dnnl_convolution_direct, &xmd, &fany, &ymd, strides, dil, pl, pr_) ||
        dnnl_primitive_desc_create(&pd, &bd, NULL, engine, fpd))
      goto done;
  } else {
    dnnl_convolution_desc_t wd;
    if (dnnl_dilated_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &xmd, &fany, NULL, &ymd, strides, dil, pl, pr_) ||
        dnnl_primitive_desc_create(&pd, &wd, NULL, engine, fpd))
      goto done;
  }
  const dnnl_memory_desc_t *inner = dnnl_primitive_desc_query_md(pd, mode == 2 ? dnnl_query_diff_weights_md : dnnl_query_weights_md, 0);
  if (!inner || dnnl_primitive_create(&e->conv, pd)) goto done;
  /* Placeholder handles; each call points them at the tensors of that call. */
  if (dnnl_memory_create(&e->x, &xmd, engine, DNNL_MEMORY_NONE) || dnnl_memory_create(&e->y, &ymd, engine, DNNL_MEMORY_NONE) ||
      dnnl_memory_create(&e->f_user, &fmd, engine, DNNL_MEMORY_NONE) || dnnl_memory_create(&e->f_internal, inner, engine, DNNL_MEMORY_ALLOCATE))
    goto done;
  if (mode == 2 ? dnnl_reorder_primitive_desc_create(&rpd, inner, engine, &fmd, engine, NULL) : dnnl_reorder_primitive_desc_create(&rpd, &fmd, engine, inner, engine, NULL)) goto done;
  if (dnnl_primitive_create(&e->reorder, rpd)) goto done;
  ok = 1;
done:
  if (fpd) dnnl_primitive_desc_destroy(fpd);
  if (pd) dnnl_primitive_desc_destroy(pd);
  if (rpd) dnnl_primitive_desc_destroy(rpd);
  if (!ok) release(e);
  return ok;
}

/* The cached primitives of a geometry, built on first use; least recently used ones make room. */
static Entry *lookup(int mode, const ConvArgs *a) {
  const int dims[15] = {a->N, a->H, a->W, a->C, a->KH, a->KW, a->F, a->OH, a->OW, a->sh, a->sw, a->dh, a->dw, a->pt, a->pl};
  Entry *slot = &cache[0];
  for (int i = 0; i < CACHE; i++) {
    Entry *e = &cache[i];
    if (e->used && e->mode == mode && !memcmp(e->dims, dims, sizeof dims)) {
      e->last_use = ++clock_ticks;
      return e->failed ? NULL : e;
    }
    if (!e->used || (slot->used && e->last_use < slot->last_use)) slot = e;
  }
  release(slot);
  slot->failed = !build(slot, mode, a);
  slot->used = 1;
  slot->mode = mode;
  slot->last_use = ++clock_ticks;
  memcpy(slot->dims, dims, sizeof dims);
  return slot->failed ? NULL : slot;
}

int dnnl_conv(int mode, const ConvArgs *a, float *x, float *f, float *y) {
  if (a->N == 0 || !ensure_engine()) return 1;
  Entry *e = lookup(mode, a);
  if (!e) return 1;
  if (dnnl_memory_set_data_handle(e->x, x) || dnnl_memory_set_data_handle(e->y, y) || dnnl_memory_set_data_handle(e->f_user, f)) return 1;
  dnnl_status_t s;
  if (mode == 0 || mode == 1) {
    dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, e->f_user}, {DNNL_ARG_TO, e->f_internal}};
    if (dnnl_primitive_execute(e->reorder, stream, 2, r)) return 1;
    if (mode == 0) {
      dnnl_exec_arg_t c[3] = {{DNNL_ARG_SRC, e->x}, {DNNL_ARG_WEIGHTS, e->f_internal}, {DNNL_ARG_DST, e->y}};
      s = dnnl_primitive_execute(e->conv, stream, 3, c);
    } else {
      dnnl_exec_arg_t c[3] = {{DNNL_ARG_DIFF_DST, e->y}, {DNNL_ARG_WEIGHTS, e->f_internal}, {DNNL_ARG_DIFF_SRC, e->x}};
      s = dnnl_primitive_execute(e->conv, stream, 3, c);
    }
  } else {
    dnnl_exec_arg_t c[3] = {{DNNL_ARG_SRC, e->x}, {DNNL_ARG_DIFF_DST, e->y}, {DNNL_ARG_DIFF_WEIGHTS, e->f_internal}};
    s = dnnl_primitive_execute(e->conv, stream, 3, c);
    if (s == dnnl_success) {
      dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, e->f_internal}, {DNNL_ARG_TO, e->f_user}};
      s = dnnl_primitive_execute(e->reorder, stream, 2, r);
    }
  }
  if (s != dnnl_success || dnnl_stream_wait(stream)) return 1;
  return 0;
}
