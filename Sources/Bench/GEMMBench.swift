import Foundation
import Infra
import NASLib

/// GFLOP/s of one GEMM shape, best of a few timed repetitions.
func gemmRate<T: Real>(
    _: T.Type, m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false, seconds budget: Double = 0.4
) -> Double {
    var rng = SeededRandom(seed: 1)
    let a = (0..<(m * k)).map { _ in T(rng.uniform(-1, 1)) }
    let b = (0..<(k * n)).map { _ in T(rng.uniform(-1, 1)) }
    var c = [T](repeating: 0, count: m * n)
    let flops = 2.0 * Double(m) * Double(n) * Double(k)
    var best = 0.0
    var spent = 0.0
    var reps = 0
    while spent < budget || reps < 3 {
        let t = seconds {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BLAS.gemm(
                            transA: transA, transB: transB, m: m, n: n, k: k, ap.baseAddress!, lda: transA ? m : k,
                            bp.baseAddress!, ldb: transB ? k : n, cp.baseAddress!, ldc: n)
                    }
                }
            }
        }
        spent += t
        reps += 1
        best = max(best, flops / t / 1e9)
    }
    return best
}

/// Runs `body` with the process's GEMM set to `kernel`, then restores the one before.
func with<R>(_ kernel: BLAS.GEMMKernel, _ body: () throws -> R) rethrows -> R {
    let before = BLAS.kernel
    BLAS.configure(kernel: kernel)
    defer { BLAS.configure(kernel: before) }
    return try body()
}

/// The machine's GEMM peak: OpenBLAS's best rate on a large square GEMM, cut into parts as training cuts it.
func machinePeak<T: Real>(_: T.Type) -> Double {
    with(.openblas) { gemmRate(T.self, m: 2048, n: 2048, k: 2048) }
}

/// The machine's GEMM peak (a large square GEMM) and the GCN's shapes, per precision: OpenBLAS cut into parts as
/// training cuts it, OpenBLAS with its own threads, and brpsh's exact GEMM (the default for training).
func benchGEMM() {
    print("== GEMM (OpenBLAS \(BLAS.coreName); \(BLAS.configuration); exact GEMM \(ExactGEMM.path))")
    print(
        "   'OpenBLAS, \(Parallel.parts) parts': single-threaded OpenBLAS calls, cut in \(Parallel.parts) blocks of C run on their own threads;"
    )
    print("   'OpenBLAS 2 threads': one call with OpenBLAS's own threading")
    print(
        "   'exact, \(Parallel.parts) parts': brpsh's exact GEMM (fixed summation order), cut the same way (training's default)"
    )
    defer { BLAS.setThreads(1) }
    for (label, kernel, threads) in [
        ("OpenBLAS, \(Parallel.parts) parts", BLAS.GEMMKernel.openblas, 1), ("OpenBLAS 2 threads", .openblas, 2),
        ("exact, \(Parallel.parts) parts", .exact, 1),
    ] {
        BLAS.setThreads(threads)
        for (name, f): (String, (Int, Int, Int, Bool, Bool) -> Double) in [
            ("float64", { gemmRate(Double.self, m: $0, n: $1, k: $2, transA: $3, transB: $4) }),
            ("float32", { gemmRate(Float.self, m: $0, n: $1, k: $2, transA: $3, transB: $4) }),
        ] {
            let (peak, fwd, dw, dx) = with(kernel) {
                (
                    f(2048, 2048, 2048, false, false), f(90, 600, 600, false, false), f(600, 600, 90, true, false),
                    f(90, 600, 600, false, true)
                )
            }
            print(
                String(
                    format: "  %@ %@: 2048³ %.1f GFLOP/s; GCN batch shapes X·W %.1f, XᵀdS %.1f, dS·Wᵀ %.1f",
                    name, label, peak, fwd, dw, dx))
            Figures.add(
                "GEMM 2048³, \(label)", name, peak, "GFLOP/s",
                String(format: "%.1f GFLOP/s (the GCN's shapes %.1f, %.1f, %.1f)", peak, fwd, dw, dx))
        }
    }
}
