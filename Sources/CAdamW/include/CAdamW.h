#ifndef BRPSH_CADAMW_H
#define BRPSH_CADAMW_H

// One AdamW step over `count` parameters, element by element, every operation rounded on its own (no fused
// multiply-add), in this order:
//
//     m' = b1·m + c1·g
//     v' = b2·v + (c2·g)·g
//     p' = p·decay − (step·m') / (√v'·inv + eps)
//
// (NASLib's AdamW computes b1, c1 = 1 − b1, b2, c2 = 1 − b2, decay = 1 − lr·λ, step = lr / (1 − b1ᵗ),
// inv = 1 / √(1 − b2ᵗ) and eps.) Square roots and divisions are IEEE's, correctly rounded, so the result is the same on
// every path. `avx2` non-zero runs eight floats or four doubles per instruction; the caller passes it only on a CPU with
// AVX2 (x86-64 only; elsewhere it is ignored).
void brpsh_adamw_f32(float *p, const float *g, float *m, float *v, long count, float b1, float c1, float b2, float c2,
                     float decay, float step, float inv, float eps, int avx2);
void brpsh_adamw_f64(double *p, const double *g, double *m, double *v, long count, double b1, double c1, double b2,
                     double c2, double decay, double step, double inv, double eps, int avx2);

#endif
