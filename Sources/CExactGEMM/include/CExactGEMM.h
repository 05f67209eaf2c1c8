#ifndef BRPSH_CEXACTGEMM_H
#define BRPSH_CEXACTGEMM_H

/// The length of the k blocks whose sums are added to C one after another (part of the arithmetic: changing it changes
/// results, and brpsh's exact GEMM version with them).
#define BRPSH_EXACT_GEMM_K_BLOCK 64

/// brpsh's exact GEMM: row-major C = op(A) · op(B) (accumulate = 0) or C + op(A) · op(B) (accumulate = 1), where
/// op(X) is X or Xᵀ; op(A) is m×k, op(B) is k×n; lda, ldb, ldc are the row strides of A, B, C as stored.
///
/// Every element is summed in one fixed order. k is cut into blocks of BRPSH_EXACT_GEMM_K_BLOCK (the last may be
/// shorter); a block's sum is a chain of fused multiply-adds in k order from +0: s = +0, then s = fma(op(A)[i][p],
/// op(B)[p][j], s) for each p of the block in turn; the blocks are added to C in k order: C = s for the first block
/// without accumulate, C = C + s otherwise (k = 0: C = +0 without accumulate, C unchanged with it). The result
/// therefore does not depend on the CPU, the vector width, the packing or the number of threads: the AVX2 + FMA
/// micro-kernels and the portable ones (scalar fma, for CPUs without AVX2 or FMA) give the same bits, and so does a
/// plain loop with the same order. (Blocks bound the rounding error by about (block + k / block) units in the last
/// place rather than k.)
/// `path` picks the micro-kernels: 0 the best this CPU has, 1 portable, 2 AVX2 + FMA (one the CPU lacks runs the
/// best it has); tests compare them.
void brpsh_sgemm_exact(int trans_a, int trans_b, long m, long n, long k, const float *a, long lda, const float *b,
                       long ldb, int accumulate, float *c, long ldc, int path);
void brpsh_dgemm_exact(int trans_a, int trans_b, long m, long n, long k, const double *a, long lda,
                       const double *b, long ldb, int accumulate, double *c, long ldc, int path);

/// The number of exact GEMM calls this process has made (tests check that a path really ran).
long brpsh_exact_gemm_calls(void);

/// The best micro-kernels this CPU has: 2 = AVX2 + FMA, 1 = portable (scalar fma).
int brpsh_exact_gemm_path(void);

#endif
