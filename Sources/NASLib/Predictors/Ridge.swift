import Foundation

/// Ridge regression with an unpenalized intercept, solved in the dual (n × n) form, with exact leave-one-out
/// residuals.
public struct Ridge: Sendable, Equatable, Codable {
    public let mean: [Double]
    public let intercept: Double
    public let weights: [Double]

    public func predict(_ x: [Double]) -> Double {
        var s = intercept
        for j in weights.indices { s += weights[j] * (x[j] - mean[j]) }
        return s
    }

    /// Centers the data and returns (centered rows, mean row, mean target, centered targets, Gram matrix K = X Xᵀ).
    static func centered(_ x: [[Double]], _ y: [Double]) -> ([[Double]], [Double], Double, [Double], [Double]) {
        let n = x.count
        let d = x[0].count
        var mean = [Double](repeating: 0, count: d)
        for r in x { for j in 0..<d { mean[j] += r[j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        let xc = x.map { r in (0..<d).map { r[$0] - mean[$0] } }
        let ym = y.reduce(0, +) / Double(n)
        let yc = y.map { $0 - ym }
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for t in 0..<d { s += xc[i][t] * xc[j][t] }
                k[i * n + j] = s
                k[j * n + i] = s
            }
        }
        return (xc, mean, ym, yc, k)
    }

    public static func fit(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> Ridge {
        guard !x.isEmpty, x.count == y.count else { throw NASLibError("ridge: no samples") }
        let n = x.count
        let d = x[0].count
        if n > d { return try primal(x, y, penalty: penalty) }
        let (xc, mean, ym, yc, k) = centered(x, y)
        let chol = try Cholesky(k, n, shift: penalty)
        let alpha = chol.solve(yc)
        var w = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { w[j] += xc[i][j] * alpha[i] } }
        return Ridge(mean: mean, intercept: ym, weights: w)
    }

    /// The same fit in the primal (d × d) form, for many samples: w = (XcᵀXc + λI)⁻¹ Xcᵀyc.
    static func primal(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> Ridge {
        let n = x.count
        let d = x[0].count
        var mean = [Double](repeating: 0, count: d)
        for r in x { for j in 0..<d { mean[j] += r[j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        let ym = y.reduce(0, +) / Double(n)
        var a = [Double](repeating: 0, count: d * d)
        var b = [Double](repeating: 0, count: d)
        for (r, t) in zip(x, y) {
            let xc = (0..<d).map { r[$0] - mean[$0] }
            for i in 0..<d {
                b[i] += xc[i] * (t - ym)
                for j in 0..<d { a[i * d + j] += xc[i] * xc[j] }
            }
        }
        let w = try Cholesky(a, d, shift: penalty).solve(b)
        return Ridge(mean: mean, intercept: ym, weights: w)
    }

    /// The sum of squared exact leave-one-out residuals of `fit(x, y, penalty:)`.
    public static func leaveOneOutError(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> Double {
        try leaveOneOutResiduals(x, y, penalty: penalty).reduce(0) { $0 + $1 * $1 }
    }

    /// The exact leave-one-out residuals yᵢ − ŷ₋ᵢ(xᵢ) of `fit(x, y, penalty:)` (dual form: n ≤ d or small n).
    public static func leaveOneOutResiduals(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> [Double] {
        let (_, _, _, yc, k) = centered(x, y)
        let n = y.count
        let chol = try Cholesky(k, n, shift: penalty)
        // Hat matrix H = 11ᵀ/n + K (K + λI)⁻¹; fitted values ȳ + K α.
        let alpha = chol.solve(yc)
        return (0..<n).map { i in
            var unit = [Double](repeating: 0, count: n)
            unit[i] = 1
            let col = chol.solve(unit)  // (K + λI)⁻¹ e_i
            var hii = 1 / Double(n)
            var fitted = 0.0
            for t in 0..<n {
                hii += k[i * n + t] * col[t]
                fitted += k[i * n + t] * alpha[t]
            }
            return (yc[i] - fitted) / max(1 - hii, 1e-12)
        }
    }
}
