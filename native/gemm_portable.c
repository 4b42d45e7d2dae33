/*
 * gemm.h without a system BLAS: a blocked SGEMM of the addon's own, for machines where
 * libopenblas is not installed (scripts/build-native.js picks it then, or when SSGAN_GEMM=portable).
 *
 * The layout is the Goto/BLIS one: op(B) is packed a KC x NC panel at a time into NR-column
 * slivers (kept in L3), op(A) a MC x KC block at a time into MR-row slivers (kept in L2), and a
 * MR x NR micro-kernel multiplies one sliver of each with its C tile in registers. Packing
 * absorbs the transposes, so one micro-kernel serves all four cases, and pads edge slivers with
 * zeros so it never branches on the shape. The micro-kernel uses GCC/Clang vector extensions:
 * the compiler turns them into AVX2 FMA on x86-64 built with -march=native, NEON on ARM, two SSE
 * halves on older x86, without intrinsics of any one instruction set.
 *
 * Threads split C into slices (see gemm below); on the machine it was tuned on two threads share
 * one core's floating-point units, so there a second thread gains little (NOTES-native.md).
 * The sums run in a different order than OpenBLAS's, so results agree with it to float rounding,
 * not bit for bit (tests/backend/portable-gemm.test.ts).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gemm.h"

#define MR 6
#define NR 16
#define KC 256
#define MC 144
#define NC 3072

typedef float v8 __attribute__((vector_size(32)));

static _Thread_local float *pack_a = NULL, *pack_b = NULL;

static float *aligned_floats(size_t n) {
  void *p = NULL;
  return posix_memalign(&p, 64, n * sizeof(float)) == 0 ? (float *)p : NULL;
}

static inline v8 load8(const float *p) {
  v8 v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void store8(float *p, v8 v) { memcpy(p, &v, sizeof v); }

/*
 * c[MR x NR] += alpha * a_sliver^T b_sliver over kc steps; a is kc x MR, b is kc x NR (packed).
 * Writes the whole tile to c with row stride ldc; edge tiles pass a scratch tile.
 */
static void micro_kernel(int kc, const float *restrict a, const float *restrict b, float *restrict c, int ldc,
                         float alpha) {
  v8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  v8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  for (int k = 0; k < kc; k++) {
    const v8 b0 = load8(b), b1 = load8(b + 8);
    /* A scalar times a vector broadcasts the scalar (one vbroadcastss from memory). */
    c00 += a[0] * b0;
    c01 += a[0] * b1;
    c10 += a[1] * b0;
    c11 += a[1] * b1;
    c20 += a[2] * b0;
    c21 += a[2] * b1;
    c30 += a[3] * b0;
    c31 += a[3] * b1;
    c40 += a[4] * b0;
    c41 += a[4] * b1;
    c50 += a[5] * b0;
    c51 += a[5] * b1;
    a += MR;
    b += NR;
  }
#define ROW(r, lo, hi)                                          \
  store8(c + (r) * ldc, load8(c + (r) * ldc) + (lo) * alpha);   \
  store8(c + (r) * ldc + 8, load8(c + (r) * ldc + 8) + (hi) * alpha)
  ROW(0, c00, c01);
  ROW(1, c10, c11);
  ROW(2, c20, c21);
  ROW(3, c30, c31);
  ROW(4, c40, c41);
  ROW(5, c50, c51);
#undef ROW
}

/* op(A)[ic.., pc..] (mc x kc) into MR-row slivers: dst[s][k][r], zero rows past mc. */
static void pack_a_block(int ta, const float *A, int lda, int ic, int pc, int mc, int kc, float *dst) {
  for (int i = 0; i < mc; i += MR) {
    const int mr = mc - i < MR ? mc - i : MR;
    float *d = dst + (size_t)i * kc;
    if (!ta) {
      for (int r = 0; r < mr; r++) {
        const float *src = A + (size_t)(ic + i + r) * lda + pc;
        for (int k = 0; k < kc; k++) d[k * MR + r] = src[k];
      }
    } else {
      for (int k = 0; k < kc; k++) {
        const float *src = A + (size_t)(pc + k) * lda + ic + i;
        for (int r = 0; r < mr; r++) d[k * MR + r] = src[r];
      }
    }
    for (int r = mr; r < MR; r++)
      for (int k = 0; k < kc; k++) d[k * MR + r] = 0.0f;
  }
}

/* op(B)[pc.., jc..] (kc x nc) into NR-column slivers: dst[s][k][n], zero columns past nc. */
static void pack_b_panel(int tb, const float *B, int ldb, int pc, int jc, int kc, int nc, float *dst) {
  for (int j = 0; j < nc; j += NR) {
    const int nr = nc - j < NR ? nc - j : NR;
    float *d = dst + (size_t)j * kc;
    if (!tb) {
      for (int k = 0; k < kc; k++) {
        const float *src = B + (size_t)(pc + k) * ldb + jc + j;
        float *row = d + k * NR;
        if (nr == NR)
          memcpy(row, src, sizeof(float) * NR);
        else {
          for (int n = 0; n < nr; n++) row[n] = src[n];
          for (int n = nr; n < NR; n++) row[n] = 0.0f;
        }
      }
    } else {
      for (int n = 0; n < nr; n++) {
        const float *src = B + (size_t)(jc + j + n) * ldb + pc;
        for (int k = 0; k < kc; k++) d[k * NR + n] = src[k];
      }
      for (int n = nr; n < NR; n++)
        for (int k = 0; k < kc; k++) d[k * NR + n] = 0.0f;
    }
  }
}

/* C = beta C first, so each KC slice only adds; beta 0 never reads C (it may hold NaN). */
static void scale_c(int M, int N, float beta, float *C, int ldc) {
  if (beta == 1.0f) return;
  for (int i = 0; i < M; i++) {
    float *row = C + (size_t)i * ldc;
    if (beta == 0.0f)
      memset(row, 0, sizeof(float) * N);
    else
      for (int j = 0; j < N; j++) row[j] *= beta;
  }
}

/* One GEMM (or one thread's share of it) on the calling thread. */
typedef struct {
  int ta, tb, M, N, K;
  float alpha, beta;
  const float *A, *B;
  float *C;
  int lda, ldb, ldc;
} Job;

static void run_job(const Job *j) {
  const int ta = j->ta, tb = j->tb, M = j->M, N = j->N, K = j->K, lda = j->lda, ldb = j->ldb, ldc = j->ldc;
  const float alpha = j->alpha, *A = j->A, *B = j->B;
  float *C = j->C;
  if (M <= 0 || N <= 0) return;
  scale_c(M, N, j->beta, C, ldc);
  if (K <= 0 || alpha == 0.0f) return;
  if (!pack_a) pack_a = aligned_floats((size_t)MC * KC);
  if (!pack_b) pack_b = aligned_floats((size_t)KC * NC);
  if (!pack_a || !pack_b) abort(); /* 1.7 MB: an allocation that fails here fails everywhere */
  float tile[MR * NR];
  for (int jc = 0; jc < N; jc += NC) {
    const int nc = N - jc < NC ? N - jc : NC;
    for (int pc = 0; pc < K; pc += KC) {
      const int kc = K - pc < KC ? K - pc : KC;
      pack_b_panel(tb, B, ldb, pc, jc, kc, nc, pack_b);
      for (int ic = 0; ic < M; ic += MC) {
        const int mc = M - ic < MC ? M - ic : MC;
        pack_a_block(ta, A, lda, ic, pc, mc, kc, pack_a);
        for (int jr = 0; jr < nc; jr += NR) {
          const int nr = nc - jr < NR ? nc - jr : NR;
          const float *bp = pack_b + (size_t)jr * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            const int mr = mc - ir < MR ? mc - ir : MR;
            const float *ap = pack_a + (size_t)ir * kc;
            float *c = C + (size_t)(ic + ir) * ldc + jc + jr;
            if (mr == MR && nr == NR) {
              micro_kernel(kc, ap, bp, c, ldc, alpha);
            } else {
              memset(tile, 0, sizeof tile);
              micro_kernel(kc, ap, bp, tile, NR, alpha);
              for (int r = 0; r < mr; r++)
                for (int n = 0; n < nr; n++) c[(size_t)r * ldc + n] += tile[r * NR + n];
            }
          }
        }
      }
    }
  }
}

/*
 * Threads: a pool of persistent workers (created on first use, up to setThreads - 1) takes
 * equal slices of C's rows, or of its columns when there are few rows; each packs its own
 * panels. A slice's sums run in the same order as they would alone, so the thread count does
 * not change the result. Small products stay on the calling thread, where waking a worker would
 * cost more than it saves.
 */
#define MAX_THREADS 64
static int want_threads = 1, pool_size = 0;
static Job jobs[MAX_THREADS];
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER, call_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_go = PTHREAD_COND_INITIALIZER, pool_done = PTHREAD_COND_INITIALIZER;
static unsigned long generation = 0, start_generation[MAX_THREADS];
static int pending = 0, in_use = 0;

static void *worker_main(void *arg) {
  const int id = (int)(intptr_t)arg;
  pthread_mutex_lock(&pool_mu);
  unsigned long seen = start_generation[id]; /* a worker born mid-run must not take an old call's slice */
  pthread_mutex_unlock(&pool_mu);
  for (;;) {
    pthread_mutex_lock(&pool_mu);
    while (generation == seen) pthread_cond_wait(&pool_go, &pool_mu);
    seen = generation;
    const int mine = id < in_use;
    pthread_mutex_unlock(&pool_mu);
    if (mine) run_job(&jobs[id]);
    pthread_mutex_lock(&pool_mu);
    if (--pending == 0) pthread_cond_signal(&pool_done);
    pthread_mutex_unlock(&pool_mu);
  }
  return NULL;
}

/* Grows the pool to n - 1 workers; returns how many threads (the caller included) can run. */
static int grow_pool(int n) {
  while (pool_size < n - 1) {
    pthread_t t;
    start_generation[pool_size + 1] = generation;
    if (pthread_create(&t, NULL, worker_main, (void *)(intptr_t)(pool_size + 1)) != 0) break;
    pthread_detach(t);
    pool_size++;
  }
  return pool_size + 1;
}

void gemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb, float beta,
          float *C, int ldc) {
  Job whole = {ta, tb, M, N, K, alpha, beta, A, B, C, lda, ldb, ldc};
  int t = want_threads;
  /* ~8 MFLOP: below it a slice is too short to pay for waking a worker */
  if (t < 2 || (double)M * N * K < 4e6 || pthread_mutex_trylock(&call_mu) != 0) {
    run_job(&whole);
    return;
  }
  t = grow_pool(t);
  const int by_rows = M >= N || N < 2 * NR;
  const int unit = by_rows ? MR : NR, extent = by_rows ? M : N;
  const int units = (extent + unit - 1) / unit;
  if (t > units) t = units;
  if (t < 2) {
    pthread_mutex_unlock(&call_mu);
    run_job(&whole);
    return;
  }
  for (int i = 0; i < t; i++) {
    const int lo = (int)((long)units * i / t) * unit, hi_u = (int)((long)units * (i + 1) / t) * unit;
    const int hi = hi_u < extent ? hi_u : extent;
    Job j = whole;
    if (by_rows) {
      j.M = hi - lo;
      j.A = ta ? A + lo : A + (size_t)lo * lda;
      j.C = C + (size_t)lo * ldc;
    } else {
      j.N = hi - lo;
      j.B = tb ? B + (size_t)lo * ldb : B + lo;
      j.C = C + lo;
    }
    jobs[i] = j;
  }
  pthread_mutex_lock(&pool_mu);
  in_use = t;
  pending = pool_size;
  generation++;
  pthread_cond_broadcast(&pool_go);
  pthread_mutex_unlock(&pool_mu);
  run_job(&jobs[0]);
  pthread_mutex_lock(&pool_mu);
  while (pending > 0) pthread_cond_wait(&pool_done, &pool_mu);
  pthread_mutex_unlock(&pool_mu);
  pthread_mutex_unlock(&call_mu);
}

void gemm_set_threads(int n) { want_threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n; }


/* The vector instructions the compiler was allowed (the backend line shows the first two words). */
#if defined(__AVX512F__)
#define ISA "avx512"
#elif defined(__AVX2__) && defined(__FMA__)
#define ISA "avx2+fma"
#elif defined(__AVX__)
#define ISA "avx"
#elif defined(__ARM_NEON)
#define ISA "neon"
#elif defined(__SSE2__)
#define ISA "sse2"
#else
#define ISA "scalar"
#endif

const char *gemm_info(void) { return "portable-SGEMM " ISA " (ssgan's blocked 6x16 kernel, pthreads)"; }
