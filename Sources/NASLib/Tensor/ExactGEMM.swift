import CExactGEMM

/// brpsh's own GEMM with a fixed summation order (CExactGEMM.h): every element of C is the sum of fused multiply-add
/// chains over blocks of k (`kBlock`), added in k order, so its bits do not depend on the CPU, the vector width, the
/// packing or the threads.
/// The only file that imports the C target.
public enum ExactGEMM {
    /// The micro-kernels a call runs; every path gives the same bits.
    public enum Path: Int32, Sendable, CaseIterable, CustomStringConvertible {
        /// The best this CPU has.
        case best = 0
        /// Scalar fma (CPUs without AVX2 and FMA).
        case portable = 1
        case avx2 = 2

        public var description: String {
            switch self {
            case .best: return Path(rawValue: brpsh_exact_gemm_path())?.description ?? "portable"
            case .portable: return "portable"
            case .avx2: return "AVX2+FMA"
            }
        }

        /// Whether this CPU runs the path (`best` and `portable` always).
        public var available: Bool { rawValue <= brpsh_exact_gemm_path() }
    }

    /// The micro-kernels this CPU runs: `AVX2+FMA`, or `portable` (scalar fma; the same bits, slower).
    public static var path: String { Path.best.description }

    /// The k block whose chain sums are added to C in turn (part of the arithmetic).
    public static let kBlock = Int(BRPSH_EXACT_GEMM_K_BLOCK)

    /// Exact GEMM calls made by this process so far.
    public static var calls: Int { brpsh_exact_gemm_calls() }

    static func check<T: Real>(_ alpha: T, _ beta: T) -> Int32 {
        precondition(alpha == 1, "the exact GEMM computes C = op(A)·op(B) or C += op(A)·op(B) (alpha 1), got \(alpha)")
        precondition(beta == 0 || beta == 1, "the exact GEMM takes beta 0 or 1, got \(beta)")
        return beta == 1 ? 1 : 0
    }

    public static func sgemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
        _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>,
        _ ldc: Int, path: Path
    ) {
        let accumulate = check(alpha, beta)
        brpsh_sgemm_exact(ta ? 1 : 0, tb ? 1 : 0, m, n, k, a, lda, b, ldb, accumulate, c, ldc, path.rawValue)
    }

    public static func dgemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double, _ a: UnsafePointer<Double>,
        _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double, _ c: UnsafeMutablePointer<Double>,
        _ ldc: Int, path: Path
    ) {
        let accumulate = check(alpha, beta)
        brpsh_dgemm_exact(ta ? 1 : 0, tb ? 1 : 0, m, n, k, a, lda, b, ldb, accumulate, c, ldc, path.rawValue)
    }
}
