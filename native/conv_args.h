/* One 2-D convolution's geometry (NHWC input, [KH,KW,C,F] filter), shared by the im2col and oneDNN paths. */
#ifndef SSGAN_CONV_ARGS_H
#define SSGAN_CONV_ARGS_H
#include <stdint.h>

typedef struct {
  int N, H, W, C, KH, KW, F, OH, OW, sh, sw, dh, dw, pt, pl;
  int64_t x, f, y; /* float offsets in the heap: input, filter, output (or gradient) */
} ConvArgs;

/*
 * mode 0: y = conv(x, f); 1: x = the input gradient from dy in y; 2: f = the filter gradient
 * from x and dy in y. Returns 0 when done, nonzero when the caller must use im2col instead.
 */
int dnnl_conv(int mode, const ConvArgs *a, float *x, float *f, float *y);
void dnnl_conv_threads(int n);
const char *dnnl_conv_info(void);
#endif
