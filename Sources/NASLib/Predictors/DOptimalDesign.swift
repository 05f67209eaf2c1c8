import Foundation

/// Greedy D-optimal design over the structural features (plus an intercept): each next model maximizes xᵀA⁻¹x,
/// A = 10⁻³·I + Σ xxᵀ over the models read so far; the first maximum in pool order wins. A model the target has no
/// latency for is skipped and does not enter A.
struct DOptimalDesign {
    let pool: [NB201Arch]
    let dim = 9
    var a: [Double]
    var tried: Set<Int> = []

    init(pool: [NB201Arch]) {
        self.pool = pool
        a = [Double](repeating: 0, count: dim * dim)
        for i in 0..<dim { a[i * dim + i] = 1e-3 }
    }

    func x(_ arch: NB201Arch) -> [Double] { FewShotFeatures.structural[arch.code] + [1] }

    /// The next model to read (nil when the pool is exhausted).
    mutating func next() -> NB201Arch? {
        guard let chol = try? Cholesky(a, dim, shift: 0) else { return nil }
        var best = -1
        var bestGain = -Double.infinity
        for (i, arch) in pool.enumerated() where !tried.contains(i) {
            let v = x(arch)
            let s = chol.solve(v)
            var g = 0.0
            for t in 0..<dim { g += v[t] * s[t] }
            if g > bestGain {
                bestGain = g
                best = i
            }
        }
        guard best >= 0 else { return nil }
        tried.insert(best)
        return pool[best]
    }

    /// Adds a model that was read to the information matrix.
    mutating func accept(_ arch: NB201Arch) {
        let v = x(arch)
        for i in 0..<dim { for j in 0..<dim { a[i * dim + j] += v[i] * v[j] } }
    }
}
