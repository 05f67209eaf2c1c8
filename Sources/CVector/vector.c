// NASLib's vector routines (CVector.h says what each computes). The AVX2 routines and the portable loops below them
// compute the same operations in the same order; the AVX2 ones only do eight floats (four doubles) at once.
#include "CVector.h"

#include <math.h>
#include <stddef.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// A multiply and an add must never be fused by the compiler here.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

// ---- AdamW ----

#define ADAMW_SCALAR(T, SQRT)                                                                                      \
    for (; i < count; i++) {                                                                                       \
        T mi = b1 * m[i] + c1 * g[i];                                                                              \
        T vi = b2 * v[i] + c2 * g[i] * g[i];                                                                       \
        m[i] = mi;                                                                                                 \
        v[i] = vi;                                                                                                 \
        p[i] = p[i] * decay - step * mi / (SQRT(vi) * inv + eps);                                                  \
    }

#if defined(__x86_64__)
#define DEFINE_ADAMW_AVX2(T, V, PS, SUFFIX, LANES)                                                                 \
    __attribute__((target("avx2"))) static long adamw_avx2_##SUFFIX(T *p, const T *g, T *m, T *v, long count, T b1, \
                                                                     T c1, T b2, T c2, T decay, T step, T inv,      \
                                                                     T eps) {                                       \
        V sb1 = _mm256_set1_##PS(b1), sc1 = _mm256_set1_##PS(c1), sb2 = _mm256_set1_##PS(b2),                     \
          sc2 = _mm256_set1_##PS(c2), sdecay = _mm256_set1_##PS(decay), sstep = _mm256_set1_##PS(step),           \
          sinv = _mm256_set1_##PS(inv), se = _mm256_set1_##PS(eps);                                                \
        long i = 0;                                                                                                \
        for (; i + LANES <= count; i += LANES) {                                                                   \
            V gi = _mm256_loadu_##PS(g + i);                                                                       \
            V mi = _mm256_add_##PS(_mm256_mul_##PS(sb1, _mm256_loadu_##PS(m + i)), _mm256_mul_##PS(sc1, gi));      \
            V vi = _mm256_add_##PS(_mm256_mul_##PS(sb2, _mm256_loadu_##PS(v + i)),                                \
                                   _mm256_mul_##PS(_mm256_mul_##PS(sc2, gi), gi));                                 \
            V den = _mm256_add_##PS(_mm256_mul_##PS(_mm256_sqrt_##PS(vi), sinv), se);                              \
            V delta = _mm256_div_##PS(_mm256_mul_##PS(sstep, mi), den);                                            \
            V pi = _mm256_sub_##PS(_mm256_mul_##PS(_mm256_loadu_##PS(p + i), sdecay), delta);                      \
            _mm256_storeu_##PS(m + i, mi);                                                                         \
            _mm256_storeu_##PS(v + i, vi);                                                                         \
            _mm256_storeu_##PS(p + i, pi);                                                                         \
        }                                                                                                          \
        return i;                                                                                                  \
    }
DEFINE_ADAMW_AVX2(float, __m256, ps, f32, 8)
DEFINE_ADAMW_AVX2(double, __m256d, pd, f64, 4)
#define AVX2_PART(call) (avx2 ? (call) : 0)
#else
#define AVX2_PART(call) ((void)avx2, 0)
#endif

void brpsh_adamw_f32(float *p, const float *g, float *m, float *v, long count, float b1, float c1, float b2, float c2,
                     float decay, float step, float inv, float eps, int avx2) {
    long i = AVX2_PART(adamw_avx2_f32(p, g, m, v, count, b1, c1, b2, c2, decay, step, inv, eps));
    ADAMW_SCALAR(float, sqrtf)
}

void brpsh_adamw_f64(double *p, const double *g, double *m, double *v, long count, double b1, double c1, double b2,
                     double c2, double decay, double step, double inv, double eps, int avx2) {
    long i = AVX2_PART(adamw_avx2_f64(p, g, m, v, count, b1, c1, b2, c2, decay, step, inv, eps));
    ADAMW_SCALAR(double, sqrt)
}

// ---- Compressed-row sums ----
// Each output row is summed in registers a block of columns at a time (four vectors), the members added in order.

#if defined(__x86_64__)
#define DEFINE_ROW_SUMS_AVX2(T, V, PS, SUFFIX, LANES)                                                              \
    __attribute__((target("avx2"))) static long row_sums_avx2_##SUFFIX(const T *x, long width, long from, long to,  \
                                                                        const int32_t *members, const T *bias,     \
                                                                        T *dst) {                                  \
        long k = 0;                                                                                                \
        for (; k + 4 * LANES <= width; k += 4 * LANES) {                                                           \
            V s0, s1, s2, s3;                                                                                      \
            if (bias) {                                                                                            \
                s0 = _mm256_loadu_##PS(bias + k);                                                                  \
                s1 = _mm256_loadu_##PS(bias + k + LANES);                                                          \
                s2 = _mm256_loadu_##PS(bias + k + 2 * LANES);                                                      \
                s3 = _mm256_loadu_##PS(bias + k + 3 * LANES);                                                      \
            } else {                                                                                               \
                s0 = s1 = s2 = s3 = _mm256_setzero_##PS();                                                         \
            }                                                                                                      \
            for (long e = from; e < to; e++) {                                                                     \
                const T *row = x + (long)members[e] * width + k;                                                   \
                s0 = _mm256_add_##PS(s0, _mm256_loadu_##PS(row));                                                  \
                s1 = _mm256_add_##PS(s1, _mm256_loadu_##PS(row + LANES));                                          \
                s2 = _mm256_add_##PS(s2, _mm256_loadu_##PS(row + 2 * LANES));                                      \
                s3 = _mm256_add_##PS(s3, _mm256_loadu_##PS(row + 3 * LANES));                                      \
            }                                                                                                      \
            _mm256_storeu_##PS(dst + k, s0);                                                                       \
            _mm256_storeu_##PS(dst + k + LANES, s1);                                                               \
            _mm256_storeu_##PS(dst + k + 2 * LANES, s2);                                                           \
            _mm256_storeu_##PS(dst + k + 3 * LANES, s3);                                                           \
        }                                                                                                          \
        for (; k + LANES <= width; k += LANES) {                                                                   \
            V s = bias ? _mm256_loadu_##PS(bias + k) : _mm256_setzero_##PS();                                      \
            for (long e = from; e < to; e++) s = _mm256_add_##PS(s, _mm256_loadu_##PS(x + (long)members[e] * width + k)); \
            _mm256_storeu_##PS(dst + k, s);                                                                        \
        }                                                                                                          \
        return k;                                                                                                  \
    }
DEFINE_ROW_SUMS_AVX2(float, __m256, ps, f32, 8)
DEFINE_ROW_SUMS_AVX2(double, __m256d, pd, f64, 4)
#endif

#define DEFINE_ROW_SUMS(T, SUFFIX)                                                                                 \
    void brpsh_row_sums_##SUFFIX(const T *x, long width, long first, long last, long stride, const int32_t *start, \
                                 const int32_t *members, const T *bias, T *out, int avx2) {                        \
        for (long o = first; o < last; o++) {                                                                      \
            long r = o * stride, from = start[r], to = start[r + 1];                                               \
            T *dst = out + o * width;                                                                              \
            for (long k = AVX2_PART(row_sums_avx2_##SUFFIX(x, width, from, to, members, bias, dst)); k < width;     \
                 k++) {                                                                                            \
                T s = bias ? bias[k] : (T)0;                                                                       \
                for (long e = from; e < to; e++) s += x[(long)members[e] * width + k];                             \
                dst[k] = s;                                                                                        \
            }                                                                                                      \
        }                                                                                                          \
    }
DEFINE_ROW_SUMS(float, f32)
DEFINE_ROW_SUMS(double, f64)

// ---- LayerNorm then ReLU (evaluation) ----
// The two row sums keep eight lanes as NASLib's Swift reductions do (a SIMD8 accumulator), then add the lanes in lane
// order from −0 (Swift's SIMD sum()), then the row's rest in order.

#if defined(__x86_64__)
// Lane sums of x (squared deviations from `mean` when `squares`), k < width rounded down to 8, into lanes[8].
#define DEFINE_LANE_SUMS_AVX2(T, V, PS, SUFFIX, LANES)                                                             \
    __attribute__((target("avx2"))) static void lane_sums_avx2_##SUFFIX(const T *x, long n8, int squares, T mean,   \
                                                                         T lanes[8]) {                             \
        V a0 = _mm256_setzero_##PS(), a1 = _mm256_setzero_##PS(), m = _mm256_set1_##PS(mean);                     \
        for (long k = 0; k < n8; k += 8) {                                                                         \
            V x0 = _mm256_loadu_##PS(x + k), x1 = LANES == 8 ? x0 : _mm256_loadu_##PS(x + k + LANES % 8);          \
            if (squares) {                                                                                         \
                x0 = _mm256_sub_##PS(x0, m);                                                                       \
                x1 = _mm256_sub_##PS(x1, m);                                                                       \
                x0 = _mm256_mul_##PS(x0, x0);                                                                      \
                x1 = _mm256_mul_##PS(x1, x1);                                                                      \
            }                                                                                                      \
            a0 = _mm256_add_##PS(a0, x0);                                                                          \
            if (LANES < 8) a1 = _mm256_add_##PS(a1, x1);                                                           \
        }                                                                                                          \
        _mm256_storeu_##PS(lanes, a0);                                                                             \
        if (LANES < 8) _mm256_storeu_##PS(lanes + LANES % 8, a1);                                                  \
    }                                                                                                              \
    __attribute__((target("avx2"))) static long norm_relu_avx2_##SUFFIX(T *x, long width, T mean, T rstd,          \
                                                                          const T *gamma, const T *beta) {          \
        V m = _mm256_set1_##PS(mean), s = _mm256_set1_##PS(rstd), one = _mm256_set1_##PS(1),                      \
          zero = _mm256_setzero_##PS();                                                                            \
        long k = 0;                                                                                                \
        for (; k + LANES <= width; k += LANES) {                                                                   \
            V z = _mm256_mul_##PS(_mm256_mul_##PS(_mm256_sub_##PS(_mm256_loadu_##PS(x + k), m), s),              \
                                  _mm256_loadu_##PS(gamma + k));                                                   \
            z = _mm256_add_##PS(z, _mm256_loadu_##PS(beta + k));                                                   \
            V gate = _mm256_and_##PS(_mm256_cmp_##PS(z, zero, _CMP_GT_OQ), one);                                   \
            _mm256_storeu_##PS(x + k, _mm256_mul_##PS(z, gate));                                                   \
        }                                                                                                          \
        return k;                                                                                                  \
    }
DEFINE_LANE_SUMS_AVX2(float, __m256, ps, f32, 8)
DEFINE_LANE_SUMS_AVX2(double, __m256d, pd, f64, 4)
#define LANE_SUMS(SUFFIX, ...) (avx2 ? lane_sums_avx2_##SUFFIX(__VA_ARGS__) : lane_sums_##SUFFIX(__VA_ARGS__))
#else
#define LANE_SUMS(SUFFIX, ...) ((void)avx2, lane_sums_##SUFFIX(__VA_ARGS__))
#endif

#define DEFINE_NORM_RELU(T, SUFFIX, SQRT)                                                                          \
    static void lane_sums_##SUFFIX(const T *x, long n8, int squares, T mean, T lanes[8]) {                         \
        for (int i = 0; i < 8; i++) lanes[i] = 0;                                                                  \
        for (long k = 0; k < n8; k += 8)                                                                           \
            for (int i = 0; i < 8; i++) {                                                                          \
                T d = squares ? x[k + i] - mean : x[k + i];                                                        \
                lanes[i] += squares ? d * d : d;                                                                   \
            }                                                                                                      \
    }                                                                                                              \
    /* The row's sum (of squared deviations from mean when `squares`), in the order CVector.h gives. */            \
    static T row_sum_##SUFFIX(const T *x, long width, int squares, T mean, int avx2) {                             \
        long n8 = width / 8 * 8;                                                                                   \
        T lanes[8];                                                                                                \
        LANE_SUMS(SUFFIX, x, n8, squares, mean, lanes);                                                            \
        T s = -(T)0;                                                                                               \
        for (int i = 0; i < 8; i++) s += lanes[i];                                                                 \
        for (long k = n8; k < width; k++) s += squares ? (x[k] - mean) * (x[k] - mean) : x[k];                    \
        return s;                                                                                                  \
    }                                                                                                              \
    void brpsh_norm_relu_##SUFFIX(T *x, long width, long rows, const T *gamma, const T *beta, T eps, int avx2) {   \
        for (long r = 0; r < rows; r++) {                                                                          \
            T *row = x + r * width;                                                                                \
            T mean = row_sum_##SUFFIX(row, width, 0, 0, avx2) / (T)width;                                          \
            T variance = row_sum_##SUFFIX(row, width, 1, mean, avx2) / (T)width;                                   \
            T rstd = 1 / SQRT(variance + eps);                                                                     \
            long k = AVX2_PART(norm_relu_avx2_##SUFFIX(row, width, mean, rstd, gamma, beta));                      \
            for (; k < width; k++) {                                                                               \
                T z = (row[k] - mean) * rstd * gamma[k] + beta[k];                                                 \
                row[k] = z * (z > 0 ? (T)1 : (T)0);                                                                \
            }                                                                                                      \
        }                                                                                                          \
    }
DEFINE_NORM_RELU(float, f32, sqrtf)
DEFINE_NORM_RELU(double, f64, sqrt)
