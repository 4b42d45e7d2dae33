/*
 * Row-major single-precision GEMM, C = alpha op(A) op(B) + beta C, with op(X) = X or X^T, as
 * every kernel of the addon calls it. Two implementations, chosen at build time
 * (scripts/build-native.js): gemm_blas.c (OpenBLAS or Accelerate) and gemm_portable.c (the
 * addon's own blocked SGEMM, for machines without a system BLAS).
 */
#ifndef SSGAN_GEMM_H
#define SSGAN_GEMM_H

void gemm(int trans_a, int trans_b, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb,
          float beta, float *C, int ldc);
void gemm_set_threads(int n);
/* Which GEMM runs, e.g. "OpenBLAS 0.3.21 ..." or "portable-SGEMM ..."; its first two words go on the backend line. */
const char *gemm_info(void);
#endif
