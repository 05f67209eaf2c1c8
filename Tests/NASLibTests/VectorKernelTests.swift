import Testing

@testable import NASLib

/// NASLib's C vector routines (CVector.h) equal, bit for bit, the Swift arithmetic they stand for, through each path
/// this CPU runs (AVX2, portable): the compressed-row sums (the members added in order to the bias or +0) and the
/// evaluation pass's LayerNorm + ReLU (`Vector.normalization`, the training pass's own, then the affine map and the
/// gate). Widths around the vector blocks (4 vectors, 1 vector, a scalar rest) and around the 8-lane reductions.
@Suite struct VectorKernelTests {
    static let paths = ExactGEMM.Path.allCases.filter { $0 != .best && $0.available }
    static let widths = [1, 7, 8, 9, 31, 32, 33, 40, 600, 605]

    static func bitsEqual<T: Real>(_ x: [T], _ y: [T]) -> Bool {
        x.count == y.count
            && zip(x, y).allSatisfy {
                $0.sign == $1.sign && $0.exponentBitPattern == $1.exponentBitPattern
                    && $0.significandBitPattern == $1.significandBitPattern
            }
    }

    static func values<T: Real>(_ count: Int, _ rng: inout SeededRandom) -> [T] {
        // Magnitudes over several binades and some zeros of either sign, so that another order shows in the bits.
        (0..<count).map { i in
            i % 17 == 3 ? -0.0 : i % 19 == 5 ? 0 : T(rng.uniform(-1, 1) * Double(1 << Int(rng.uniform(0, 8))))
        }
    }

    func rowSums<T: Real>(_: T.Type, path: ExactGEMM.Path) {
        for width in Self.widths {
            var rng = SeededRandom(seed: width)
            let inputs = 13
            let x: [T] = Self.values(inputs * width, &rng)
            let bias: [T] = Self.values(width, &rng)
            // Rows with 0, 1 and several members, repeats and any order; stride 2 skips every other row.
            let lists: [[Int32]] = [[], [4], [0, 12, 3], [5, 5, 1, 7, 2, 9], [11, 10], [6, 8, 0, 1, 2, 3, 4, 12]]
            let start = lists.reduce(into: [Int32(0)]) { $0.append($0.last! + Int32($1.count)) }
            let members = lists.flatMap { $0 }
            for stride in [1, 2] {
                for withBias in [false, true] {
                    let rows = (lists.count + stride - 1) / stride
                    var want = [T](repeating: 0, count: rows * width)
                    for o in 0..<rows {
                        for k in 0..<width {
                            var s: T = withBias ? bias[k] : 0
                            for e in Int(start[o * stride])..<Int(start[o * stride + 1]) {
                                s += x[Int(members[e]) * width + k]
                            }
                            want[o * width + k] = s
                        }
                    }
                    var got = [T](repeating: .nan, count: rows * width)
                    x.withUnsafeBufferPointer { xp in
                        bias.withUnsafeBufferPointer { bp in
                            got.withUnsafeMutableBufferPointer { op in
                                // Two calls, as two parts would make them.
                                for part in [0..<rows / 2, rows / 2..<rows] {
                                    VectorKernels.rowSums(
                                        xp.baseAddress!, width: width, rows: part, stride: stride, start: start,
                                        members: members, bias: withBias ? bp.baseAddress! : nil,
                                        into: op.baseAddress!, path: path)
                                }
                            }
                        }
                    }
                    #expect(
                        Self.bitsEqual(got, want),
                        "\(T.precisionName) \(path) width \(width) stride \(stride) bias \(withBias)")
                }
            }
        }
    }

    func normReLU<T: Real>(_: T.Type, path: ExactGEMM.Path) {
        for width in Self.widths {
            var rng = SeededRandom(seed: 100 + width)
            let rows = 5
            var x: [T] = Self.values(rows * width, &rng)
            if width > 1 { x[1] = .nan }  // a NaN row stays NaN
            let gamma: [T] = Self.values(width, &rng)
            let beta: [T] = Self.values(width, &rng)
            var want = x
            want.withUnsafeMutableBufferPointer { wp in
                for r in 0..<rows {
                    let row = wp.baseAddress! + r * width
                    let (mean, s) = Vector.normalization(UnsafePointer(row), width, eps: LayerNorm<T>.eps)
                    for k in 0..<width {
                        let z = (row[k] - mean) * s * gamma[k] + beta[k]
                        row[k] = z * (z > 0 ? 1 : 0)
                    }
                }
            }
            var got = x
            got.withUnsafeMutableBufferPointer { gp in
                VectorKernels.normReLU(
                    gp.baseAddress!, width: width, rows: rows, gamma: gamma, beta: beta, eps: LayerNorm<T>.eps,
                    path: path)
            }
            #expect(Self.bitsEqual(got, want), "\(T.precisionName) \(path) width \(width)")
        }
    }

    @Test(arguments: paths) func rowSumsEqualTheSwiftSums(path: ExactGEMM.Path) {
        rowSums(Float.self, path: path)
        rowSums(Double.self, path: path)
    }

    @Test(arguments: paths) func layerNormReLUEqualsTheSwiftNormalization(path: ExactGEMM.Path) {
        normReLU(Float.self, path: path)
        normReLU(Double.self, path: path)
    }

    /// The comparison above can fail: the lanes added in another order (lane 7 first) differ from the reference.
    @Test func anotherLaneOrderDiffers() {
        var rng = SeededRandom(seed: 5)
        let x: [Float] = Self.values(600, &rng)
        let reference = x.withUnsafeBufferPointer { Vector.sum($0.baseAddress!, 600) }
        var lanes = [Float](repeating: 0, count: 8)
        for k in 0..<600 { lanes[k % 8] += x[k] }
        let reversed = lanes.reversed().reduce(-0.0, +)
        let inOrder = lanes.reduce(-0.0, +)
        #expect(inOrder.bitPattern == reference.bitPattern)
        #expect(reversed.bitPattern != reference.bitPattern)
    }
}
