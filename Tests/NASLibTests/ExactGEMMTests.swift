import NASLib
import Testing

/// brpsh's exact GEMM equals, bit for bit, a plain scalar loop that sums each element in k order with fused
/// multiply-adds: through each of its micro-kernels this CPU has (AVX2 + FMA, portable), and through `BLAS.gemm` (which cuts
/// large products into parts on two threads). Its bits therefore cannot depend on the BLAS kernel or the CPU.
@Suite(.serialized) struct ExactGEMMTests {
    /// Odd shapes around the micro-tile (6 × 16 floats, 6 × 8 doubles), the row block (96) and the k block (256: a
    /// second and third block added to C), and shapes large enough for BLAS.gemm's split into parts (by rows and by
    /// columns); then products of one to four columns (an output head), which the AVX2 path computes with lanes
    /// across rows (groups of 8 floats or 4 doubles, 2 or 4 groups at once, the rest row by row; k in register
    /// transposes of 8 or 4 and a tail), one of them large enough to be split by rows.
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (6, 16, 5), (7, 17, 3), (5, 9, 0), (13, 31, 129), (97, 40, 300), (64, 128, 300), (200, 70, 257),
        (30, 100, 600), (45, 1, 70), (83, 2, 300), (40, 3, 65), (37, 4, 129), (8, 2, 8), (3, 1, 0), (1300, 2, 800),
    ]

    /// k in blocks of `ExactGEMM.kBlock`; each block summed from +0 by s = fma(op(A)[i][p], op(B)[p][j], s) in k order;
    /// C = s for the first block without accumulate, C = C + s otherwise.
    static func reference<T: Real>(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [T], _ b: [T], accumulate: Bool, _ c: inout [T]
    ) {
        let (lda, ldb) = (ta ? m : k, tb ? k : n)
        for i in 0..<m {
            for j in 0..<n {
                var total: T = accumulate ? c[i * n + j] : 0
                for (index, start) in stride(from: 0, to: k, by: ExactGEMM.kBlock).enumerated() {
                    var s: T = 0
                    for p in start..<min(k, start + ExactGEMM.kBlock) {
                        let x = ta ? a[p * lda + i] : a[i * lda + p]
                        let y = tb ? b[j * ldb + p] : b[p * ldb + j]
                        s = s.addingProduct(x, y)
                    }
                    total = index == 0 && !accumulate ? s : total + s
                }
                c[i * n + j] = total
            }
        }
    }

    /// Each micro-kernel path this CPU runs, called directly, and `BLAS.gemm`'s split into parts (best path).
    enum Route: CustomStringConvertible {
        case direct(ExactGEMM.Path)
        case blasSplit
        static var all: [Route] {
            ExactGEMM.Path.allCases.filter { $0 != .best && $0.available }.map(Route.direct) + [.blasSplit]
        }
        var description: String {
            switch self {
            case .direct(let p): return "\(p)"
            case .blasSplit: return "BLAS.gemm"
            }
        }
    }

    static func exact<T: Real>(
        _ route: Route, _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [T], _ b: [T],
        accumulate: Bool, _ c: inout [T]
    ) {
        let (lda, ldb) = (ta ? m : k, tb ? k : n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    let (a, b, c) = (ap.baseAddress!, bp.baseAddress!, cp.baseAddress!)
                    switch route {
                    case .direct(let path):
                        T.exactGemm(ta, tb, m, n, k, 1, a, lda, b, ldb, accumulate ? 1 : 0, c, n, path: path)
                    case .blasSplit:
                        BLAS.withKernel(.exact) {
                            BLAS.gemm(
                                transA: ta, transB: tb, m: m, n: n, k: k, a, lda: lda, b, ldb: ldb,
                                beta: accumulate ? 1 : 0, c, ldc: n)
                        }
                    }
                }
            }
        }
    }

    static func values<T: Real>(_ count: Int, _ rng: inout SeededRandom) -> [T] {
        // Magnitudes over several binades, so that a different summation order shows in the last bits.
        (0..<count).map { _ in T(rng.uniform(-1, 1) * Double(1 << Int(rng.uniform(0, 6)))) }
    }

    static func bitsEqual<T: Real>(_ x: [T], _ y: [T]) -> Bool {
        x.count == y.count
            && zip(x, y).allSatisfy {
                $0.sign == $1.sign && $0.exponentBitPattern == $1.exponentBitPattern
                    && $0.significandBitPattern == $1.significandBitPattern
            }
    }

    func check<T: Real>(_: T.Type) {
        for (m, n, k) in Self.shapes {
            var rng = SeededRandom(seed: m * 7919 + n * 31 + k)
            let a: [T] = Self.values(m * k, &rng)
            let b: [T] = Self.values(k * n, &rng)
            let c0: [T] = Self.values(m * n, &rng)
            for ta in [false, true] {
                for tb in [false, true] {
                    for accumulate in [false, true] {
                        var want = c0
                        Self.reference(ta, tb, m, n, k, a, b, accumulate: accumulate, &want)
                        for route in Route.all {
                            var got = c0
                            Self.exact(route, ta, tb, m, n, k, a, b, accumulate: accumulate, &got)
                            #expect(
                                Self.bitsEqual(got, want),
                                "\(T.precisionName) \(route) \(m)×\(n)×\(k) transA \(ta) transB \(tb) accumulate \(accumulate)"
                            )
                        }
                    }
                }
            }
        }
    }

    @Test func float32EqualsTheScalarReferenceBitForBit() { check(Float.self) }
    @Test func float64EqualsTheScalarReferenceBitForBit() { check(Double.self) }

    /// The comparison above can fail: the same sums in another order (k reversed) differ in their last bits from the
    /// reference somewhere. (OpenBLAS may or may not give the reference's bits for a shape: its kernels for some
    /// CPUs sum a short k in the same order; what it does with a long k or beta 1 depends on the kernel.)
    @Test func anotherSummationOrderDiffers() {
        let (m, n, k) = (64, 128, 300)
        var rng = SeededRandom(seed: 1)
        let a: [Float] = Self.values(m * k, &rng)
        let b: [Float] = Self.values(k * n, &rng)
        var want = [Float](repeating: 0, count: m * n)
        Self.reference(false, false, m, n, k, a, b, accumulate: false, &want)
        var reversed = want
        for i in 0..<m {
            for j in 0..<n {
                var acc: Float = 0
                for p in (0..<k).reversed() { acc = acc.addingProduct(a[i * k + p], b[p * n + j]) }
                reversed[i * n + j] = acc
            }
        }
        #expect(!Self.bitsEqual(reversed, want))
    }

    /// A GCN trained with the exact GEMM has the same weights whichever micro-kernels ran: what a machine with other
    /// vector units (or none) computes is what this one computes.
    @Test func trainingIsTheSameOnEitherPath() throws {
        let cells = NB201Arch.all.filter { $0.code % 97 == 0 }.map(\.graph)
        let targets = cells.indices.map { Double($0 % 7) / 100 }
        var o = TrainingOptions()
        o.epochs = 3
        o.warmup = 0
        func train(_ path: ExactGEMM.Path) throws -> [Float] {
            try BLAS.withKernel(.exact, path: path) {
                let g = GCN<Float>(config: .init(layers: 2, hidden: 96), seed: 3)
                _ = try RegressionTrainer<Float>(options: o).train(
                    g, train: cells, trainTargets: targets, valid: cells, validTargets: targets, seed: 9)
                return g.store.snapshot()
            }
        }
        let before = ExactGEMM.calls
        let fast = try train(.best)
        let calls = ExactGEMM.calls - before
        for path in ExactGEMM.Path.allCases where path != .best && path.available {
            #expect(Self.bitsEqual(fast, try train(path)), "\(path) against \(ExactGEMM.Path.best)")
        }
        // The exact GEMM really ran: forward, input and weight gradients of both layers, every step and evaluation.
        #expect(calls >= 3 * 2 * o.epochs * (cells.count / o.batch), "\(calls) exact GEMM calls")
    }
}
