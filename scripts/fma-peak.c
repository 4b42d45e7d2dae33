/*
 * The core's peak single-precision multiply-add rate, for scripts/bench-backends.ts: no GEMM
 * (and so no training step) can run faster. Independent chains of fused multiply-adds on
 * registers, wide enough to cover the FMA units' latency. The vector type is the widest the
 * build targets (-march=native): 16 floats where AVX-512 is on, else 8 (AVX2/FMA; on NEON the
 * compiler splits them into 4-wide operations).
 *
 *   cc -O3 -march=native -ffp-contract=fast -pthread fma-peak.c -o fma-peak && ./fma-peak [threads]
 *
 * Prints the best of five rounds, in GFLOP/s, summed over the threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef __AVX512F__
#define LANES 16
#else
#define LANES 8
#endif
typedef float vf __attribute__((vector_size(LANES * 4)));
#define CHAINS 12
#define ITERS 50000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *spin(void *out) {
  vf a[CHAINS];
  /* Values that stay finite: x <- x * (1 - 1e-7) + 1e-7 approaches 1. */
  vf b, c;
  for (int l = 0; l < LANES; l++) {
    b[l] = 1 - 1e-7f;
    c[l] = 1e-7f;
  }
  for (int i = 0; i < CHAINS; i++) a[i] = c * (float)i;
  for (long k = 0; k < ITERS; k++) {
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; i++) a[i] = a[i] * b + c;
  }
  float s = 0;
  for (int i = 0; i < CHAINS; i++) s += a[i][0];
  *(float *)out = s; /* keeps the loop from being optimised away */
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "fma-peak: threads: expected 1-256, got %s\n", argv[1]);
    return 2;
  }
  pthread_t *ts = malloc(sizeof(pthread_t) * threads);
  float *sink = malloc(sizeof(float) * threads);
  double best = 0;
  for (int round = 0; round < 5; round++) {
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&ts[i], NULL, spin, &sink[i]);
    for (int i = 0; i < threads; i++) pthread_join(ts[i], NULL);
    double rate = threads * (double)ITERS * CHAINS * LANES * 2 / (now() - t0) / 1e9;
    if (rate > best) best = rate;
  }
  printf("%.1f\n", best);
  return sink[0] == 12345.f; /* never true; reads the sink */
}
