// brpsh's exact GEMM (CExactGEMM.h says what it computes). Blocked as GotoBLAS/BLIS do: a block of op(B) is packed
// into column panels NR wide, a block of op(A) into row panels MR high, and a micro-kernel multiplies one MR×NR
// tile of C over the packed k (KC, a multiple of the arithmetic's block KB = BRPSH_EXACT_GEMM_K_BLOCK): it sums each
// block of KB from +0 and stores the sum into C or adds it to C. Packing and the order of tiles decide nothing about
// an element's arithmetic.
#include "CExactGEMM.h"

#include <math.h>
#include <pthread.h>
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

// Packing buffers, one pair per thread, grown on demand, kept for the thread's life and freed when it ends (a
// thread-specific key's destructor; the thread-local pointer only saves looking the key up on every call).
typedef struct {
    void *a, *b;
    size_t capacity_a, capacity_b;
} buffers;

static pthread_key_t buffers_key;
static pthread_once_t buffers_once = PTHREAD_ONCE_INIT;
static _Thread_local buffers *thread_buffers = NULL;

static void free_buffers(void *p) {
    buffers *q = p;
    free(q->a);
    free(q->b);
    free(q);
}

static void make_buffers_key(void) {
    if (pthread_key_create(&buffers_key, free_buffers) != 0) abort();
}

static buffers *my_buffers(void) {
    if (thread_buffers == NULL) {
        pthread_once(&buffers_once, make_buffers_key);
        buffers *q = calloc(1, sizeof *q);
        if (q == NULL || pthread_setspecific(buffers_key, q) != 0) abort();
        thread_buffers = q;
    }
    return thread_buffers;
}

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
    /* NR rows of src (row stride ld), kc values each, into dst p-major: dst[p·NR + j] = src[j·ld + p]. */            \
    typedef void (*panel_##SUFFIX)(const T *src, long ld, long kc, T *dst);                                       \
    /* op(B)[p0 + p][j0 + j] for p < kc, j < nc, as panels of NR columns: panel q holds p-major NR values. */       \
    /* A full panel of op(B) = Bᵀ goes to `transpose` when one is given (the same values, moved faster). */      \
    static void pack_b_##SUFFIX(int trans, const T *b, long ldb, long p0, long kc, long j0, long nc, T *dst,     \
                                panel_##SUFFIX transpose) {                                                        \
        for (long jp = 0; jp < nc; jp += NR, dst += NR * kc) {                                                     \
            long cols = min_long(NR, nc - jp);                                                                     \
            if (trans && transpose && cols == NR) {                                                                \
                transpose(b + (j0 + jp) * ldb + p0, ldb, kc, dst);                                                 \
            } else if (trans) {                                                                                    \
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
    static void gemm_##SUFFIX(kernel_##SUFFIX kernel, panel_##SUFFIX transposeB, int ta, int tb, long m, long n,  \
                              long k, const T *a, long lda, const T *b, long ldb, int accumulate, T *c, long ldc) {  \
        if (m <= 0 || n <= 0) return;                                                                              \
        if (k <= 0) {                                                                                              \
            if (!accumulate)                                                                                       \
                for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(T));                       \
            return;                                                                                                \
        }                                                                                                          \
        long ncMax = min_long(NC, n), kcMax = min_long(KC, k);                                                     \
        buffers *own = my_buffers();                                                                               \
        T *packedB = grow(&own->b, &own->capacity_b, (size_t)((ncMax + NR - 1) / NR * NR * kcMax) * sizeof(T));   \
        T *packedA = grow(&own->a, &own->capacity_a, (size_t)(MC * kcMax) * sizeof(T));                           \
        for (long jc = 0; jc < n; jc += NC) {                                                                      \
            long nc = min_long(NC, n - jc);                                                                        \
            for (long pc = 0; pc < k; pc += KC) {                                                                  \
                long kc = min_long(KC, k - pc);                                                                    \
                int add = accumulate || pc > 0;                                                                    \
                pack_b_##SUFFIX(tb, b, ldb, pc, kc, jc, nc, packedB, transposeB);                                  \
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

// The 8×8 block at rows[r][p0..p0+8) transposed: out[q] holds rows 0..7 at column p0 + q.
__attribute__((target("avx2,fma"))) static inline void transpose8_s(const float *a, long lda, __m256 out[8]) {
    __m256 r0 = _mm256_loadu_ps(a), r1 = _mm256_loadu_ps(a + lda), r2 = _mm256_loadu_ps(a + 2 * lda),
           r3 = _mm256_loadu_ps(a + 3 * lda), r4 = _mm256_loadu_ps(a + 4 * lda), r5 = _mm256_loadu_ps(a + 5 * lda),
           r6 = _mm256_loadu_ps(a + 6 * lda), r7 = _mm256_loadu_ps(a + 7 * lda);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE),
           u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE),
           u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
           u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    out[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    out[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    out[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    out[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    out[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    out[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    out[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    out[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// The 4×4 block at rows[r][p0..p0+4) transposed: out[q] holds rows 0..3 at column p0 + q.
__attribute__((target("avx2,fma"))) static inline void transpose4_d(const double *a, long lda, __m256d out[4]) {
    __m256d r0 = _mm256_loadu_pd(a), r1 = _mm256_loadu_pd(a + lda), r2 = _mm256_loadu_pd(a + 2 * lda),
            r3 = _mm256_loadu_pd(a + 3 * lda);
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1), t2 = _mm256_unpacklo_pd(r2, r3),
            t3 = _mm256_unpackhi_pd(r2, r3);
    out[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    out[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    out[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    out[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

// Full transposed panels of op(B) = Bᵀ for the packed path, through the same register transposes.
__attribute__((target("avx2,fma"))) static void transpose_panel_avx2_s(const float *src, long ld, long kc, float *dst) {
    long p = 0;
    for (; p + 8 <= kc; p += 8) {
        __m256 lo[8], hi[8];
        transpose8_s(src + p, ld, lo);
        transpose8_s(src + 8 * ld + p, ld, hi);
        for (int q = 0; q < 8; q++) {
            _mm256_store_ps(dst + (p + q) * S_NR, lo[q]);
            _mm256_store_ps(dst + (p + q) * S_NR + 8, hi[q]);
        }
    }
    for (; p < kc; p++)
        for (long j = 0; j < S_NR; j++) dst[p * S_NR + j] = src[j * ld + p];
}

__attribute__((target("avx2,fma"))) static void transpose_panel_avx2_d(const double *src, long ld, long kc,
                                                                        double *dst) {
    long p = 0;
    for (; p + 4 <= kc; p += 4) {
        __m256d lo[4], hi[4];
        transpose4_d(src + p, ld, lo);
        transpose4_d(src + 4 * ld + p, ld, hi);
        for (int q = 0; q < 4; q++) {
            _mm256_store_pd(dst + (p + q) * D_NR, lo[q]);
            _mm256_store_pd(dst + (p + q) * D_NR + 4, hi[q]);
        }
    }
    for (; p < kc; p++)
        for (long j = 0; j < D_NR; j++) dst[p * D_NR + j] = src[j * ld + p];
}

// ---- Skinny products (n ≤ SKINNY_N, AVX2 + FMA): lanes run across rows of C instead of packed panels. ----
// A product with one to four columns (a model's output head) wastes most of a 16- or 8-wide micro-tile and is bound by
// packing op(A). Here eight float rows (four double rows) of op(A) are taken at a time, transposed in registers when
// A is stored row-major (op(A) = Aᵀ needs no transpose), and every element of C still gets the same chains: per k
// block, s = +0, s = fma(op(A)[i][p], op(B)[p][j], s) in k order; C = s or C + s.
enum { SKINNY_N = 4 };

// One vector of op(A)[i0..i0+L)[p] without a transpose (a tail of k, or op(A) = Aᵀ).
#define SKINNY_COLUMN_S(ta, a, lda, i0, p)                                                                         \
    ((ta) ? _mm256_loadu_ps(a + (p) * (lda) + (i0))                                                               \
          : _mm256_set_ps(a[((i0) + 7) * (lda) + (p)], a[((i0) + 6) * (lda) + (p)], a[((i0) + 5) * (lda) + (p)],  \
                          a[((i0) + 4) * (lda) + (p)], a[((i0) + 3) * (lda) + (p)], a[((i0) + 2) * (lda) + (p)],  \
                          a[((i0) + 1) * (lda) + (p)], a[(i0) * (lda) + (p)]))
#define SKINNY_COLUMN_D(ta, a, lda, i0, p)                                                                         \
    ((ta) ? _mm256_loadu_pd(a + (p) * (lda) + (i0))                                                               \
          : _mm256_set_pd(a[((i0) + 3) * (lda) + (p)], a[((i0) + 2) * (lda) + (p)], a[((i0) + 1) * (lda) + (p)],  \
                          a[(i0) * (lda) + (p)]))

// Rows [i0, i0 + G·L) of C, L = lanes, n = N columns: G·N chains at once (independent, so their latencies overlap).
// G and N are constants where it is called, so the accumulators live in registers.
#define DEFINE_SKINNY(T, V, PS, SUFFIX, LANES, TRANSPOSE, COLUMN, FMA)                                            \
    __attribute__((target("avx2,fma"), always_inline)) static inline void skinny_rows_##SUFFIX(                   \
        const int G, const int N, int ta, int tb, long i0, long k, const T *a, long lda, const T *b, long ldb,    \
        int accumulate, T *c, long ldc) {                                                                          \
        for (long kb = 0; kb < k; kb += KB) {                                                                      \
            long end = k < kb + KB ? k : kb + KB;                                                                  \
            V s[4][SKINNY_N];                                                                                      \
            for (int g = 0; g < G; g++)                                                                            \
                for (int j = 0; j < N; j++) s[g][j] = _mm256_setzero_##PS();                                       \
            long p = kb;                                                                                           \
            if (!ta)                                                                                               \
                for (; p + LANES <= end; p += LANES)                                                               \
                    for (int g = 0; g < G; g++) {                                                                  \
                        V col[LANES];                                                                              \
                        TRANSPOSE(a + (i0 + g * LANES) * lda + p, lda, col);                                       \
                        for (int q = 0; q < LANES; q++)                                                            \
                            for (int j = 0; j < N; j++) {                                                          \
                                const T *y = tb ? b + j * ldb + p + q : b + (p + q) * ldb + j;                     \
                                s[g][j] = _mm256_fmadd_##PS(col[q], _mm256_set1_##PS(*y), s[g][j]);                \
                            }                                                                                      \
                    }                                                                                              \
            for (; p < end; p++)                                                                                   \
                for (int g = 0; g < G; g++) {                                                                      \
                    V x = COLUMN(ta, a, lda, i0 + g * LANES, p);                                                   \
                    for (int j = 0; j < N; j++) {                                                                  \
                        const T *y = tb ? b + j * ldb + p : b + p * ldb + j;                                       \
                        s[g][j] = _mm256_fmadd_##PS(x, _mm256_set1_##PS(*y), s[g][j]);                             \
                    }                                                                                              \
                }                                                                                                  \
            int add = accumulate || kb > 0;                                                                        \
            for (int g = 0; g < G; g++)                                                                            \
                for (int j = 0; j < N; j++) {                                                                      \
                    T lanes[LANES];                                                                                \
                    _mm256_storeu_##PS(lanes, s[g][j]);                                                            \
                    for (long r = 0; r < LANES; r++) {                                                             \
                        T *e = c + (i0 + g * LANES + r) * ldc + j;                                                 \
                        *e = add ? *e + lanes[r] : lanes[r];                                                       \
                    }                                                                                              \
                }                                                                                                  \
        }                                                                                                          \
    }                                                                                                              \
    /* Several groups of rows at a time (their chains overlap): four for one or two columns of Aᵀ, else two (more \
       transposed rows at once only add memory streams). Then single groups. */                                  \
    __attribute__((target("avx2,fma"))) static void skinny_avx2_##SUFFIX(                                          \
        int ta, int tb, long m, long n, long k, const T *a, long lda, const T *b, long ldb, int accumulate, T *c,   \
        long ldc) {                                                                                                \
        const int G = ta && n <= 2 ? 4 : 2;                                                                        \
        long i0 = 0;                                                                                               \
        for (; i0 + G * LANES <= m; i0 += G * LANES) switch (G * 8 + n) {                                          \
                case 33: skinny_rows_##SUFFIX(4, 1, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
                case 34: skinny_rows_##SUFFIX(4, 2, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
                case 17: skinny_rows_##SUFFIX(2, 1, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
                case 18: skinny_rows_##SUFFIX(2, 2, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
                case 19: skinny_rows_##SUFFIX(2, 3, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
                default: skinny_rows_##SUFFIX(2, 4, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
            }                                                                                                      \
        for (; i0 + LANES <= m; i0 += LANES) switch (n) {                                                          \
                case 1: skinny_rows_##SUFFIX(1, 1, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;      \
                case 2: skinny_rows_##SUFFIX(1, 2, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;      \
                case 3: skinny_rows_##SUFFIX(1, 3, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;      \
                default: skinny_rows_##SUFFIX(1, 4, ta, tb, i0, k, a, lda, b, ldb, accumulate, c, ldc); break;     \
            }                                                                                                      \
        /* The last rows, fewer than a vector: one scalar chain per element, the same arithmetic. */               \
        for (long i = i0; i < m; i++)                                                                              \
            for (long j = 0; j < n; j++)                                                                           \
                for (long kb = 0; kb < k; kb += KB) {                                                              \
                    long end = k < kb + KB ? k : kb + KB;                                                          \
                    T s = 0;                                                                                       \
                    for (long p = kb; p < end; p++) {                                                              \
                        T x = ta ? a[p * lda + i] : a[i * lda + p], y = tb ? b[j * ldb + p] : b[p * ldb + j];      \
                        s = FMA(x, y, s);                                                                          \
                    }                                                                                              \
                    T *e = c + i * ldc + j;                                                                        \
                    *e = (accumulate || kb > 0) ? *e + s : s;                                                      \
                }                                                                                                  \
    }

DEFINE_SKINNY(float, __m256, ps, s, 8, transpose8_s, SKINNY_COLUMN_S, fmaf)
DEFINE_SKINNY(double, __m256d, pd, d, 4, transpose4_d, SKINNY_COLUMN_D, fma)
#endif

// What a call runs: the AVX2 + FMA routines when the path asked for allows them (0 best, 2 AVX2 + FMA) and this CPU
// has them, else the portable ones (1). Every path gives the same bits: routines differ in speed, never arithmetic.
#if defined(__x86_64__)
#define USE_AVX2(path) (((path) == 0 || (path) == 2) && brpsh_exact_gemm_path() == 2)
#else
#define USE_AVX2(path) ((void)(path), 0)
#endif

void brpsh_sgemm_exact(int trans_a, int trans_b, long m, long n, long k, const float *a, long lda, const float *b,
                       long ldb, int accumulate, float *c, long ldc, int path) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
#if defined(__x86_64__)
    if (USE_AVX2(path)) {
        if (n <= SKINNY_N && k > 0)
            skinny_avx2_s(trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
        else
            gemm_s(kernel_avx2_s, transpose_panel_avx2_s, trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c,
                   ldc);
        return;
    }
#endif
    gemm_s(kernel_portable_s, NULL, trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
}

void brpsh_dgemm_exact(int trans_a, int trans_b, long m, long n, long k, const double *a, long lda,
                       const double *b, long ldb, int accumulate, double *c, long ldc, int path) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
#if defined(__x86_64__)
    if (USE_AVX2(path)) {
        if (n <= SKINNY_N && k > 0)
            skinny_avx2_d(trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
        else
            gemm_d(kernel_avx2_d, transpose_panel_avx2_d, trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c,
                   ldc);
        return;
    }
#endif
    gemm_d(kernel_portable_d, NULL, trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
}
