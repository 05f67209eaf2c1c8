#ifndef BRPSH_CVECTOR_H
#define BRPSH_CVECTOR_H

#include <stdint.h>

// NASLib's elementwise and row routines in C, for AVX2 (eight floats or four doubles per instruction) where Swift's
// baseline x86-64 build cannot reach it. Every routine states its arithmetic; each operation is rounded on its own
// (no fused multiply-add) and the order is the same on every path, so `avx2` (non-zero: the caller has checked that
// the CPU has AVX2; ignored elsewhere than x86-64) changes the speed, never a bit.

// One AdamW step over `count` parameters, element by element:
//     m' = b1·m + c1·g
//     v' = b2·v + (c2·g)·g
//     p' = p·decay − (step·m') / (√v'·inv + eps)
// (NASLib's AdamW computes b1, c1 = 1 − b1, b2, c2 = 1 − b2, decay = 1 − lr·λ, step = lr / (1 − b1ᵗ),
// inv = 1 / √(1 − b2ᵗ) and eps.) Square roots and divisions are IEEE's, correctly rounded.
void brpsh_adamw_f32(float *p, const float *g, float *m, float *v, long count, float b1, float c1, float b2, float c2,
                     float decay, float step, float inv, float eps, int avx2);
void brpsh_adamw_f64(double *p, const double *g, double *m, double *v, long count, double b1, double c1, double b2,
                     double c2, double decay, double step, double inv, double eps, int avx2);

// Compressed-row sums for output rows o in [first, last): with r = o·stride,
//     out[o][k] = ((b[k] + x[members[start[r]]][k]) + x[members[start[r] + 1]][k]) + …
// in member order, where b is `bias` or +0 when `bias` is NULL. Rows are `width` long.
void brpsh_row_sums_f32(const float *x, long width, long first, long last, long stride, const int32_t *start,
                        const int32_t *members, const float *bias, float *out, int avx2);
void brpsh_row_sums_f64(const double *x, long width, long first, long last, long stride, const int32_t *start,
                        const int32_t *members, const double *bias, double *out, int avx2);

// LayerNorm then ReLU, in place, on `rows` rows of `width`, as NASLib's evaluation pass computes them. Per row:
//     s  = Σ x: eight lane sums, lane i over x[i], x[i + 8], … (k < width rounded down to 8), added in k order from
//          +0; then −0 + lane 0 + lane 1 + … + lane 7 in lane order; then the rest of the row in order
//     mean = s / width
//     q  = Σ (x − mean)·(x − mean), the same order
//     rstd = 1 / √(q / width + eps)
//     z  = ((x − mean)·rstd)·gamma + beta;  y = z·(z > 0 ? 1 : 0)
void brpsh_norm_relu_f32(float *x, long width, long rows, const float *gamma, const float *beta, float eps, int avx2);
void brpsh_norm_relu_f64(double *x, long width, long rows, const double *gamma, const double *beta, double eps,
                         int avx2);

#endif
