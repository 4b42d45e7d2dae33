/*
 * The core's peak single-precision multiply-add rate, for scripts/bench-backends.ts: no GEMM
 * (and so no training step) can run faster. Independent chains of fused multiply-adds on
 * registers, wide enough to cover the FMA units' latency; built with -march=native so the
 * vectors are the machine's widest.
 *
 *   cc -O3 -march=native -ffp-contract=fast -pthread fma-peak.c -o fma-peak && ./fma-peak [threads]
 *
 * Prints the best of five rounds, in GFLOP/s, summed over the threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef float v8 __attribute__((vector_size(32)));
#define CHAINS 12
#define ITERS 50000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *spin(void *out) {
  v8 a[CHAINS];
  /* Values that stay finite: x <- x * (1 - 1e-7) + 1e-7 approaches 1. */
  const v8 b = {1 - 1e-7f, 1 - 1e-7f, 1 - 1e-7f, 1 - 1e-7f, 1 - 1e-7f, 1 - 1e-7f, 1 - 1e-7f, 1 - 1e-7f};
  const v8 c = {1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f};
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
    double rate = threads * (double)ITERS * CHAINS * 8 * 2 / (now() - t0) / 1e9;
    if (rate > best) best = rate;
  }
  printf("%.1f\n", best);
  return sink[0] == 12345.f; /* never true; reads the sink */
}
