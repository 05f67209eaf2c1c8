import CBLAS
import Foundation
import Infra
import Synchronization

/// Dense linear algebra through OpenBLAS. The only file that imports the C library.
public enum BLAS {
    /// Row-major C = alpha · op(A) · op(B) + beta · C, where op(X) is X or Xᵀ.
    /// op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are the row strides of A, B, C as stored.
    ///
    /// OpenBLAS runs single-threaded; a GEMM worth it (≥ 2 MFLOP) is cut into `Parallel.parts`
    /// row blocks of C that run on their own threads. The cut depends only on the shape, so the
    /// result does not depend on the number of cores. (OpenBLAS's own threads would spin between
    /// calls and slow down everything else that runs on the second core.)
    @inline(__always)
    public static func gemm<T: Real>(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: T = 1,
        _ a: UnsafePointer<T>, lda: Int, _ b: UnsafePointer<T>, ldb: Int, beta: T = 0,
        _ c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size \(m)×\(n)×\(k)")
        if m == 0 || n == 0 { return }
        _ = singleThreaded
        let start = Profile.enabled.load(ordering: .relaxed) ? DispatchTime.now().uptimeNanoseconds : 0
        defer {
            if start > 0 {
                Profile.nanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds - start), ordering: .relaxed)
                Profile.flops.add(2 * m * n * k, ordering: .relaxed)
            }
        }
        guard m >= Parallel.parts * 8, 2 * m * n * k >= 2_000_000 else {
            T.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        Parallel.forEachPart { part in
            let rows = Parallel.range(part, of: m, align: 8)
            guard !rows.isEmpty else { return }
            // Rows of op(A): rows of A, or columns of A when transposed.
            let aPart = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
            T.gemm(transA, transB, rows.count, n, k, alpha, aPart, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc)
        }
    }

    /// GEMM time and work, counted while `enabled` (benchmarks only).
    public enum Profile {
        public static let enabled = Atomic<Bool>(false)
        public static let nanoseconds = Atomic<Int>(0)
        public static let flops = Atomic<Int>(0)
        public static func reset() {
            nanoseconds.store(0, ordering: .relaxed)
            flops.store(0, ordering: .relaxed)
        }
    }

    /// Sets OpenBLAS to one thread per call, once (NASLib parallelises above it).
    static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// Threads OpenBLAS uses for one call (1 once NASLib has configured it).
    public static var threads: Int {
        _ = singleThreaded
        return Int(openblas_get_num_threads())
    }

    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// OpenBLAS's build configuration (version, kernel target, threading).
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }

    /// The CPU kernel OpenBLAS chose at run time (e.g. `Zen`, `SkylakeX`).
    public static var coreName: String {
        guard let c = openblas_get_corename() else { return "unknown" }
        return String(cString: c)
    }

    /// What makes a seed's numbers differ between machines: OpenBLAS's build and the kernel it chose for this CPU. A
    /// training repeats bit for bit on one kernel at any thread count, not across kernels (docs/predictors.md,
    /// "Determinism").
    public static var numerics: String { "\(configuration) | \(coreName)" }

    static func order(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

    static func sgemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
        _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>,
        _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, order(ta), order(tb), blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b,
            blasint(ldb), beta, c, blasint(ldc))
    }

    static func dgemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double, _ a: UnsafePointer<Double>,
        _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double, _ c: UnsafeMutablePointer<Double>,
        _ ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, order(ta), order(tb), blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b,
            blasint(ldb), beta, c, blasint(ldc))
    }
}
