import CBLAS
import Foundation
import Infra
import Synchronization

/// Dense linear algebra through brpsh's exact GEMM (the default) or OpenBLAS. The only file that imports OpenBLAS.
public enum BLAS {
    /// Which GEMM training and prediction use, for the whole process (`BRPSH_GEMM` in the command-line tool).
    public enum GEMMKernel: String, Sendable, CaseIterable {
        /// brpsh's own GEMM (ExactGEMM), the default: each element summed in k order with fused multiply-adds, so a
        /// seed's numbers are the same on every x86-64 CPU with AVX2 and FMA (docs/predictors.md, "Determinism").
        case exact
        /// OpenBLAS, with the kernel it picks for this CPU; a seed's numbers repeat on one kernel only.
        case openblas

        /// The kernel `BRPSH_GEMM` asks for in `environment` (exact or openblas, any case); nil when it is unset or
        /// empty. Anything else is an error that says what to use. (The command-line tool and the benchmarks.)
        public static func requested(in environment: [String: String]) throws(NASLibError) -> GEMMKernel? {
            guard let text = environment["BRPSH_GEMM"], !text.isEmpty else { return nil }
            guard let kernel = GEMMKernel(rawValue: text.lowercased()) else {
                throw NASLibError(
                    "BRPSH_GEMM=\(text) is not a GEMM brpsh has: use exact (the default) or openblas "
                        + "(docs/predictors.md, \"Determinism\")")
            }
            return kernel
        }
    }

    private static let openblasSelected = Atomic<Bool>(false)

    /// A kernel for the code a task runs inside `withKernel` (tests run trainings with each kernel side by side).
    @TaskLocal private static var scoped: (kernel: GEMMKernel, path: ExactGEMM.Path)? = nil

    /// The GEMM in use: the scoped one inside `withKernel`, else the process's (the exact GEMM unless configured).
    public static var kernel: GEMMKernel { choice.kernel }

    /// The GEMM in use and the exact GEMM's micro-kernels, with one read of the task-local scope.
    static var choice: (kernel: GEMMKernel, path: ExactGEMM.Path) {
        scoped ?? (openblasSelected.load(ordering: .relaxed) ? .openblas : .exact, .best)
    }

    /// Runs `body` with `kernel` for the GEMMs it calls on this task (`path`: the exact GEMM's micro-kernels, for
    /// tests that compare them), leaving the process's setting and other tasks alone.
    public static func withKernel<R>(
        _ kernel: GEMMKernel, path: ExactGEMM.Path = .best, _ body: () throws -> R
    ) rethrows -> R {
        try $scoped.withValue((kernel, path), operation: body)
    }

    /// Sets the GEMM for the process; set it at startup, before the first training (a result's numbers depend on it,
    /// and `numerics` names it).
    public static func configure(kernel: GEMMKernel) {
        openblasSelected.store(kernel == .openblas, ordering: .sequentiallyConsistent)
    }

    /// Row-major C = alpha · op(A) · op(B) + beta · C, where op(X) is X or Xᵀ.
    /// op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are the row strides of A, B, C as stored.
    ///
    /// With OpenBLAS, which runs single-threaded, a GEMM worth it (≥ 2 MFLOP) is cut into `Parallel.parts`
    /// row blocks of C that run on their own threads (the exact GEMM: `exactGemm`). The cut depends only on the shape, so the
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
        let (kernel, path) = choice
        if kernel == .exact {
            guard alpha != 1 || (beta != 0 && beta != 1) else {
                exactGemm(transA, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc, path: path)
                return
            }
            // Any other alpha and beta: P = op(A)·op(B) exactly, then C = alpha·P + beta·C element by element (each
            // product rounded, then the sum; beta 0 ignores C, as BLAS does).
            Scratch.with(T.self, count: m * n) { p in
                exactGemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, p, n, path: path)
                for i in 0..<m {
                    for j in 0..<n {
                        let scaled = alpha * p[i * n + j]
                        c[i * ldc + j] = beta == 0 ? scaled : scaled + beta * c[i * ldc + j]
                    }
                }
            }
            return
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

    /// The exact GEMM, cut into parts like OpenBLAS's calls but along the longer side of C: a product with few rows
    /// (a batch times a weight matrix) is cut into column blocks, so each part packs only its share of op(B). Where
    /// the cut falls does not change a bit of the result (every element is its own chain).
    static func exactGemm<T: Real>(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: T, _ a: UnsafePointer<T>, _ lda: Int,
        _ b: UnsafePointer<T>, _ ldb: Int, _ beta: T, _ c: UnsafeMutablePointer<T>, _ ldc: Int, path: ExactGEMM.Path
    ) {
        guard max(m, n) >= Parallel.parts * 16, 2 * m * n * k >= 2_000_000 else {
            T.exactGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, path: path)
            return
        }
        let byColumns = n > m
        Parallel.forEachPart { part in
            if byColumns {
                let cols = Parallel.range(part, of: n, align: 16)
                guard !cols.isEmpty else { return }
                // Columns of op(B): columns of B, or rows of B when transposed.
                let bPart = transB ? b + cols.lowerBound * ldb : b + cols.lowerBound
                T.exactGemm(
                    transA, transB, m, cols.count, k, alpha, a, lda, bPart, ldb, beta, c + cols.lowerBound, ldc,
                    path: path)
            } else {
                let rows = Parallel.range(part, of: m, align: 6)
                guard !rows.isEmpty else { return }
                let aPart = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
                T.exactGemm(
                    transA, transB, rows.count, n, k, alpha, aPart, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc,
                    path: path)
            }
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
    /// "Determinism"). With the exact GEMM, the numbers do not depend on either: its name and version only.
    public static var numerics: String {
        kernel == .exact ? "brpsh exact GEMM \(exactVersion)" : "\(configuration) | \(coreName)"
    }

    /// The version of the exact GEMM's arithmetic (the order of its chains); changed only if that order changes.
    public static let exactVersion = 1

    /// The GEMM kernel that decides a seed's numbers, as provenance records it: OpenBLAS's kernel for this CPU, or
    /// `exact`, the same on every machine.
    public static var numericsKernel: String { kernel == .exact ? "exact" : coreName }

    /// With the exact GEMM, its version and the micro-kernels this CPU runs (provenance); nil with OpenBLAS.
    public static var exactDescription: String? {
        kernel == .exact ? "exact \(exactVersion), \(ExactGEMM.path)" : nil
    }

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
