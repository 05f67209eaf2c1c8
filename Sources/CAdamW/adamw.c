// NASLib's AdamW step (CAdamW.h says what it computes). Written in C so that it runs eight floats (four doubles) per
// instruction with vector square roots and divisions: Swift builds for baseline x86-64 and takes a SIMD8's square
// root one lane at a time.
#include "CAdamW.h"

#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// A multiply and an add must never be fused by the compiler here.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define SCALAR_STEP(i)                                                                                             \
    do {                                                                                                           \
        mi = b1 * m[i] + c1 * g[i];                                                                                \
        vi = b2 * v[i] + c2 * g[i] * g[i];                                                                         \
        m[i] = mi;                                                                                                 \
        v[i] = vi;                                                                                                 \
        p[i] = p[i] * decay - step * mi / (SQRT(vi) * inv + eps);                                                  \
    } while (0)

#if defined(__x86_64__)
#define DEFINE_AVX2(T, V, PS, SUFFIX, LANES)                                                                       \
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
DEFINE_AVX2(float, __m256, ps, f32, 8)
DEFINE_AVX2(double, __m256d, pd, f64, 4)
#endif

void brpsh_adamw_f32(float *p, const float *g, float *m, float *v, long count, float b1, float c1, float b2, float c2,
                     float decay, float step, float inv, float eps, int avx2) {
    long i = 0;
#if defined(__x86_64__)
    if (avx2) i = adamw_avx2_f32(p, g, m, v, count, b1, c1, b2, c2, decay, step, inv, eps);
#else
    (void)avx2;
#endif
    float mi, vi;
#define SQRT sqrtf
    for (; i < count; i++) SCALAR_STEP(i);
#undef SQRT
}

void brpsh_adamw_f64(double *p, const double *g, double *m, double *v, long count, double b1, double c1, double b2,
                     double c2, double decay, double step, double inv, double eps, int avx2) {
    long i = 0;
#if defined(__x86_64__)
    if (avx2) i = adamw_avx2_f64(p, g, m, v, count, b1, c1, b2, c2, decay, step, inv, eps);
#else
    (void)avx2;
#endif
    double mi, vi;
#define SQRT sqrt
    for (; i < count; i++) SCALAR_STEP(i);
#undef SQRT
}
