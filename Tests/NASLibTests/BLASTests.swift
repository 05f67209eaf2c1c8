import NASLib
import Testing

/// GEMM through OpenBLAS and through the exact GEMM against a naive triple loop: odd shapes, all transposes, both
/// precisions, alpha and beta other than 1 and 0, shapes small enough for one call and large enough for the split into
/// parts.
@Suite struct BLASTests {
    static func check<T: Real>(_: T.Type, m: Int, n: Int, k: Int, ta: Bool, tb: Bool, alpha: T, beta: T) -> Double {
        var rng = SeededRandom(seed: m * 1000 + n * 10 + k)
        let a = (0..<(m * k)).map { _ in T(rng.uniform(-1, 1)) }
        let b = (0..<(k * n)).map { _ in T(rng.uniform(-1, 1)) }
        let c0 = (0..<(m * n)).map { _ in T(rng.uniform(-1, 1)) }
        var c = c0
        // A is m×k (or stored k×m when transposed), B is k×n (or n×k).
        let lda = ta ? m : k
        let ldb = tb ? k : n
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    BLAS.gemm(
                        transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, ap.baseAddress!, lda: lda,
                        bp.baseAddress!,
                        ldb: ldb, beta: beta, cp.baseAddress!, ldc: n)
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = Double(ta ? a[p * m + i] : a[i * k + p])
                    let y = Double(tb ? b[j * k + p] : b[p * n + j])
                    s += x * y
                }
                let want = Double(alpha) * s + Double(beta) * Double(c0[i * n + j])
                worst = max(worst, abs(Double(c[i * n + j]) - want) / max(1, abs(want)))
            }
        }
        return worst
    }

    @Test(arguments: [(7, 5, 3), (1, 1, 1), (33, 17, 9), (90, 61, 47), (130, 70, 129)])
    func againstNaiveLoop(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for kernel in BLAS.GEMMKernel.allCases {
            BLAS.withKernel(kernel) { Self.allTransposes(m, n, k) }
        }
    }

    static func allTransposes(_ m: Int, _ n: Int, _ k: Int) {
        for ta in [false, true] {
            for tb in [false, true] {
                #expect(Self.check(Double.self, m: m, n: n, k: k, ta: ta, tb: tb, alpha: 1, beta: 0) < 1e-12)
                #expect(Self.check(Double.self, m: m, n: n, k: k, ta: ta, tb: tb, alpha: -0.5, beta: 2) < 1e-12)
                #expect(Self.check(Float.self, m: m, n: n, k: k, ta: ta, tb: tb, alpha: 1, beta: 0) < 1e-4)
                #expect(Self.check(Float.self, m: m, n: n, k: k, ta: ta, tb: tb, alpha: 0.25, beta: 1) < 1e-4)
            }
        }
    }

    @Test func matrixMatmulChecksShapes() {
        let a = Matrix<Double>(rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6])
        let b = Matrix<Double>(rows: 3, cols: 1, data: [1, 0, -1])
        #expect(a.matmul(b).data == [-2, -2])
        #expect(a.matmul(a, transposeOther: true).data == [14, 32, 32, 77])
    }
}
