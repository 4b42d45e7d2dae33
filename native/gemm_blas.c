/* gemm.h on the system BLAS: OpenBLAS, or Accelerate on macOS. */
#include "gemm.h"

#ifdef SSGAN_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
extern void openblas_set_num_threads(int);
extern char *openblas_get_config(void);
#endif

void gemm(int trans_a, int trans_b, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb,
          float beta, float *C, int ldc) {
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, M, N, K, alpha, A,
              lda, B, ldb, beta, C, ldc);
}

void gemm_set_threads(int n) {
#ifndef SSGAN_ACCELERATE
  openblas_set_num_threads(n);
#else
  (void)n;
#endif
}

const char *gemm_info(void) {
#ifdef SSGAN_ACCELERATE
  return "accelerate";
#else
  return openblas_get_config();
#endif
}
