// brpsh's exact GEMM (CExactGEMM.h says what it computes). Blocked as GotoBLAS/BLIS do: a block of op(B) is packed
// into column panels NR wide, a block of op(A) into row panels MR high, and a micro-kernel multiplies one MR×NR
// tile of C over the packed k (KC, a multiple of the arithmetic's block KB = BRPSH_EXACT_GEMM_K_BLOCK): it sums each
// block of KB from +0 and stores the sum into C or adds it to C. Packing and the order of tiles decide nothing about
// an element's arithmetic.
#include "CExactGEMM.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// A multiply and an add must never be fused by the compiler here: every fused multiply-add is written out.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

enum {
    MR = 6,        // rows of a micro-tile (both precisions)
    S_NR = 16,     // float: two 8-lane vectors
    D_NR = 8,      // double: two 4-lane vectors
    KB = BRPSH_EXACT_GEMM_K_BLOCK,  // the arithmetic's k block
    KC = 4 * KB,   // k packed at once (a multiple of KB): a float B panel of KC × 16, a double one of KC × 8, 16 KiB
    MC = 96,       // rows of op(A) packed at once (a multiple of MR)
    NC = 2048,     // columns of op(B) packed at once
};

static atomic_int cpu_path = 0;  // 0: not yet asked
static atomic_long calls = 0;

long brpsh_exact_gemm_calls(void) { return atomic_load_explicit(&calls, memory_order_relaxed); }

static int detect_path(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 2;
#endif
    return 1;
}

int brpsh_exact_gemm_path(void) {
    int p = atomic_load(&cpu_path);
    if (p == 0) {
        p = detect_path();
        atomic_store(&cpu_path, p);
    }
    return p;
}

// Packing buffers, one pair per thread, grown on demand and kept for the thread's life.
static _Thread_local void *buffer_a = NULL, *buffer_b = NULL;
static _Thread_local size_t capacity_a = 0, capacity_b = 0;

static void *grow(void **buffer, size_t *capacity, size_t bytes) {
    bytes = (bytes + 63) / 64 * 64;
    if (bytes > *capacity) {
        free(*buffer);
        *buffer = aligned_alloc(64, bytes);
        if (*buffer == NULL) abort();  // a few MiB at most (MC·KC and KC·NC elements)
        *capacity = bytes;
    }
    return *buffer;
}

static long min_long(long x, long y) { return x < y ? x : y; }

// ---- Packing, portable micro-kernels and the blocked driver, written once for both precisions. ----

#define DEFINE_EXACT_GEMM(T, SUFFIX, NR, FMA)                                                                  \
    /* op(A)[i0 + r][p0 + p] for r < mc, p < kc, as panels of MR rows: panel q holds p-major MR values. */          \
    static void pack_a_##SUFFIX(int trans, const T *a, long lda, long i0, long mc, long p0, long kc, T *dst) {    \
        for (long ip = 0; ip < mc; ip += MR, dst += MR * kc) {                                                     \
            long rows = min_long(MR, mc - ip);                                                                     \
            if (trans) {                                                                                           \
                for (long p = 0; p < kc; p++) {                                                                    \
                    const T *src = a + (p0 + p) * lda + i0 + ip;                                                   \
                    for (long r = 0; r < rows; r++) dst[p * MR + r] = src[r];                                      \
                    for (long r = rows; r < MR; r++) dst[p * MR + r] = 0;                                          \
                }                                                                                                  \
            } else {                                                                                               \
                for (long r = 0; r < MR; r++) {                                                                    \
                    if (r < rows) {                                                                                \
                        const T *src = a + (i0 + ip + r) * lda + p0;                                               \
                        for (long p = 0; p < kc; p++) dst[p * MR + r] = src[p];                                    \
                    } else {                                                                                       \
                        for (long p = 0; p < kc; p++) dst[p * MR + r] = 0;                                         \
                    }                                                                                              \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
    }                                                                                                              \
    /* op(B)[p0 + p][j0 + j] for p < kc, j < nc, as panels of NR columns: panel q holds p-major NR values. */       \
    static void pack_b_##SUFFIX(int trans, const T *b, long ldb, long p0, long kc, long j0, long nc, T *dst) {    \
        for (long jp = 0; jp < nc; jp += NR, dst += NR * kc) {                                                     \
            long cols = min_long(NR, nc - jp);                                                                     \
            if (trans) {                                                                                           \
                for (long j = 0; j < NR; j++) {                                                                    \
                    if (j < cols) {                                                                                \
                        const T *src = b + (j0 + jp + j) * ldb + p0;                                               \
                        for (long p = 0; p < kc; p++) dst[p * NR + j] = src[p];                                    \
                    } else {                                                                                       \
                        for (long p = 0; p < kc; p++) dst[p * NR + j] = 0;                                         \
                    }                                                                                              \
                }                                                                                                  \
            } else {                                                                                               \
                for (long p = 0; p < kc; p++) {                                                                    \
                    const T *src = b + (p0 + p) * ldb + j0 + jp;                                                   \
                    for (long j = 0; j < cols; j++) dst[p * NR + j] = src[j];                                      \
                    for (long j = cols; j < NR; j++) dst[p * NR + j] = 0;                                          \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
    }                                                                                                              \
    /* One MR×NR tile over kc (k blocks of KB): per block s = +0, s = fma(a, b, s) in k order; then C = s for the    \
       first block unless add, C = C + s otherwise. */                                                             \
    static void kernel_portable_##SUFFIX(long kc, const T *ap, const T *bp, T *c, long ldc, int add) {           \
        for (long kb = 0; kb < kc; kb += KB, add = 1) {                                                            \
            T acc[MR][NR];                                                                                         \
            for (long r = 0; r < MR; r++)                                                                          \
                for (long j = 0; j < NR; j++) acc[r][j] = (T)0;                                                    \
            for (long p = kb; p < kc && p < kb + KB; p++, ap += MR, bp += NR)                                      \
                for (long r = 0; r < MR; r++)                                                                      \
                    for (long j = 0; j < NR; j++) acc[r][j] = FMA(ap[r], bp[j], acc[r][j]);                        \
            for (long r = 0; r < MR; r++)                                                                          \
                for (long j = 0; j < NR; j++) c[r * ldc + j] = add ? c[r * ldc + j] + acc[r][j] : acc[r][j];        \
        }                                                                                                          \
    }                                                                                                              \
    typedef void (*kernel_##SUFFIX)(long, const T *, const T *, T *, long, int);                                  \
    static void gemm_##SUFFIX(kernel_##SUFFIX kernel, int ta, int tb, long m, long n, long k, const T *a,         \
                              long lda, const T *b, long ldb, int accumulate, T *c, long ldc) {                    \
        if (m <= 0 || n <= 0) return;                                                                              \
        if (k <= 0) {                                                                                              \
            if (!accumulate)                                                                                       \
                for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(T));                       \
            return;                                                                                                \
        }                                                                                                          \
        long ncMax = min_long(NC, n), kcMax = min_long(KC, k);                                                     \
        T *packedB = grow(&buffer_b, &capacity_b, (size_t)((ncMax + NR - 1) / NR * NR * kcMax) * sizeof(T));      \
        T *packedA = grow(&buffer_a, &capacity_a, (size_t)(MC * kcMax) * sizeof(T));                              \
        for (long jc = 0; jc < n; jc += NC) {                                                                      \
            long nc = min_long(NC, n - jc);                                                                        \
            for (long pc = 0; pc < k; pc += KC) {                                                                  \
                long kc = min_long(KC, k - pc);                                                                    \
                int add = accumulate || pc > 0;                                                                    \
                pack_b_##SUFFIX(tb, b, ldb, pc, kc, jc, nc, packedB);                                              \
                for (long ic = 0; ic < m; ic += MC) {                                                              \
                    long mc = min_long(MC, m - ic);                                                                \
                    pack_a_##SUFFIX(ta, a, lda, ic, mc, pc, kc, packedA);                                          \
                    for (long jr = 0; jr < nc; jr += NR) {                                                         \
                        long nr = min_long(NR, nc - jr);                                                           \
                        for (long ir = 0; ir < mc; ir += MR) {                                                     \
                            long mr = min_long(MR, mc - ir);                                                       \
                            T *ct = c + (ic + ir) * ldc + jc + jr;                                                 \
                            const T *ap = packedA + ir * kc, *bp = packedB + jr * kc;                              \
                            if (mr == MR && nr == NR) {                                                            \
                                kernel(kc, ap, bp, ct, ldc, add);                                                  \
                                continue;                                                                          \
                            }                                                                                      \
                            /* An edge tile runs on a full tile whose extra rows and columns are discarded. */     \
                            T tile[MR * NR];                                                                       \
                            for (long r = 0; r < MR; r++)                                                          \
                                for (long j = 0; j < NR; j++)                                                      \
                                    tile[r * NR + j] = (add && r < mr && j < nr) ? ct[r * ldc + j] : (T)0;         \
                            kernel(kc, ap, bp, tile, NR, add);                                                     \
                            for (long r = 0; r < mr; r++)                                                          \
                                for (long j = 0; j < nr; j++) ct[r * ldc + j] = tile[r * NR + j];                  \
                        }                                                                                          \
                    }                                                                                              \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
    }

DEFINE_EXACT_GEMM(float, s, S_NR, fmaf)
DEFINE_EXACT_GEMM(double, d, D_NR, fma)

// ---- AVX2 + FMA micro-kernels: the same chains, eight floats or four doubles per instruction. ----
#if defined(__x86_64__)

#define ROW_STEP(PS, r)                                                                                            \
    a = _mm256_set1_##PS(ap[r]);                                                                                  \
    c##r##0 = _mm256_fmadd_##PS(a, b0, c##r##0);                                                                   \
    c##r##1 = _mm256_fmadd_##PS(a, b1, c##r##1);

#define STORE_ROW(PS, LANES, r)                                                                                         \
    if (add) {                                                                                                     \
        c##r##0 = _mm256_add_##PS(_mm256_loadu_##PS(c + r * ldc), c##r##0);                                       \
        c##r##1 = _mm256_add_##PS(_mm256_loadu_##PS(c + r * ldc + LANES), c##r##1);                               \
    }                                                                                                              \
    _mm256_storeu_##PS(c + r * ldc, c##r##0);                                                                      \
    _mm256_storeu_##PS(c + r * ldc + LANES, c##r##1);

#define DEFINE_AVX2_KERNEL(T, V, PS, SUFFIX, NR, LANES)                                                            \
    __attribute__((target("avx2,fma"))) static void kernel_avx2_##SUFFIX(long kc, const T *ap, const T *bp, T *c, \
                                                                         long ldc, int add) {                      \
        for (long kb = 0; kb < kc; kb += KB, add = 1) {                                                            \
            V c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;                                          \
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_##PS();        \
            long end = kc < kb + KB ? kc : kb + KB;                                                                \
            for (long p = kb; p < end; p++, ap += MR, bp += NR) {                                                  \
                V b0 = _mm256_load_##PS(bp), b1 = _mm256_load_##PS(bp + LANES), a;                                 \
                ROW_STEP(PS, 0) ROW_STEP(PS, 1) ROW_STEP(PS, 2) ROW_STEP(PS, 3) ROW_STEP(PS, 4) ROW_STEP(PS, 5)   \
            }                                                                                                      \
            STORE_ROW(PS, LANES, 0) STORE_ROW(PS, LANES, 1) STORE_ROW(PS, LANES, 2)                                \
            STORE_ROW(PS, LANES, 3) STORE_ROW(PS, LANES, 4) STORE_ROW(PS, LANES, 5)                                \
        }                                                                                                          \
    }

DEFINE_AVX2_KERNEL(float, __m256, ps, s, S_NR, 8)
DEFINE_AVX2_KERNEL(double, __m256d, pd, d, D_NR, 4)

// The micro-kernels a call runs: the path asked for (1 portable, 2 AVX2 + FMA) when this CPU has it, else the best
// it has (0 asks for the best). Every path gives the same bits.
#define AVX2_OR_PORTABLE(SUFFIX) \
    ((path == 0 || path == 2) && brpsh_exact_gemm_path() == 2 ? kernel_avx2_##SUFFIX : kernel_portable_##SUFFIX)
#else
#define AVX2_OR_PORTABLE(SUFFIX) ((void)path, kernel_portable_##SUFFIX)
#endif

void brpsh_sgemm_exact(int trans_a, int trans_b, long m, long n, long k, const float *a, long lda, const float *b,
                       long ldb, int accumulate, float *c, long ldc, int path) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    gemm_s(AVX2_OR_PORTABLE(s), trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
}

void brpsh_dgemm_exact(int trans_a, int trans_b, long m, long n, long k, const double *a, long lda,
                       const double *b, long ldb, int accumulate, double *c, long ldc, int path) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    gemm_d(AVX2_OR_PORTABLE(d), trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
}
