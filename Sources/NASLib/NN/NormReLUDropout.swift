import Infra

/// LayerNorm → ReLU → Dropout, fused into one pass over each row (the block after every graph
/// convolution). Forward: x̂ = (x − mean)/√(var + eps), z = x̂·γ + β, y = max(z, 0)·s where s is
/// 0 (dropped, probability p) or 1/(1 − p); in evaluation mode s = 1.
///
/// Rows are independent and run in the fixed parts of `Parallel`; the dropout mask is drawn
/// first, in row order, and row sums use 8 accumulators (SIMD) in a fixed order, so results do
/// not depend on the number of cores.
struct NormReLUDropout<T: Real> {
    let norm: LayerNorm<T>
    let p: Double

    struct Cache {
        let xhat: Matrix<T>
        let rstd: [T]
        /// ∂y/∂z per element: s where z > 0, else 0.
        let gate: Matrix<T>
    }

    func forward(_ x: Matrix<T>, _ params: UnsafePointer<T>, _ rng: inout SeededRandom?) -> (Matrix<T>, Cache) {
        let h = norm.features
        let rows = x.rows
        precondition(x.cols == h, "NormReLUDropout: input \(x.shape), expected \(h) columns")
        var y = Matrix<T>(uninitialized: rows, h)
        var xhat = Matrix<T>(uninitialized: rows, h)
        // The gate starts as the dropout scale (1 without dropout).
        var gate = Matrix<T>(rows: rows, cols: h, data: [T](repeating: 1, count: rows * h))
        if p > 0, rng != nil {
            let keep = T(1 / (1 - p))
            for i in 0..<(rows * h) { gate.data[i] = keep }
            // Each element is dropped independently with probability p: draw the gaps between
            // dropped elements (geometric) instead of one uniform per element.
            var i = rng!.geometricGap(p)
            while i < rows * h {
                gate.data[i] = 0
                i += 1 + rng!.geometricGap(p)
            }
        }
        var rstd = [T](repeating: 0, count: rows)
        let g = params + norm.gamma.offset
        let b = params + norm.beta.offset
        x.data.withUnsafeBufferPointer { xp in
            y.data.withUnsafeMutableBufferPointer { yp in
                xhat.data.withUnsafeMutableBufferPointer { hp in
                    gate.data.withUnsafeMutableBufferPointer { gp in
                        rstd.withUnsafeMutableBufferPointer { sp in
                            let x0 = xp.baseAddress!
                            let y0 = yp.baseAddress!
                            let h0 = hp.baseAddress!
                            let g0 = gp.baseAddress!
                            let s0 = sp.baseAddress!
                            Parallel.forEachPart { part in
                                for r in Parallel.range(part, of: rows) {
                                    let row = x0 + r * h
                                    let mean = Vector.sum(row, h) / T(h)
                                    let variance = Vector.sumOfSquaredDeviations(row, h, mean) / T(h)
                                    let s = 1 / (variance + LayerNorm<T>.eps).squareRoot()
                                    s0[r] = s
                                    let hr = h0 + r * h
                                    let yr = y0 + r * h
                                    let gr = g0 + r * h
                                    for k in 0..<h {
                                        let xh = (row[k] - mean) * s
                                        hr[k] = xh
                                        let z = xh * g[k] + b[k]
                                        let scale = z > 0 ? gr[k] : 0
                                        gr[k] = scale
                                        yr[k] = z * scale
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, Cache(xhat: xhat, rstd: rstd, gate: gate))
    }

    /// Evaluation mode (no dropout, nothing kept for a backward pass), in place on `rows` rows of `features`:
    /// x ← max(x̂·γ + β, 0), a NaN kept (as the training pass keeps it). The same
    /// arithmetic as `forward` without dropout, row for row.
    func evaluate(_ x0: UnsafeMutablePointer<T>, rows: Int, _ params: UnsafePointer<T>) {
        let h = norm.features
        let g = params + norm.gamma.offset
        let b = params + norm.beta.offset
        do {
            Parallel.forEachPart { part in
                for r in Parallel.range(part, of: rows) {
                    let row = x0 + r * h
                    let mean = Vector.sum(row, h) / T(h)
                    let variance = Vector.sumOfSquaredDeviations(row, h, mean) / T(h)
                    let s = 1 / (variance + LayerNorm<T>.eps).squareRoot()
                    let vm = SIMD8<T>(repeating: mean)
                    let vs = SIMD8<T>(repeating: s)
                    var k = 0
                    while k + 8 <= h {
                        let xk = UnsafeRawPointer(row + k).loadUnaligned(as: SIMD8<T>.self)
                        let gk = UnsafeRawPointer(g + k).loadUnaligned(as: SIMD8<T>.self)
                        let bk = UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<T>.self)
                        let z = (xk - vm) * vs * gk + bk
                        let y = T.relu(z)
                        UnsafeMutableRawPointer(row + k).storeBytes(of: y, as: SIMD8<T>.self)
                        k += 8
                    }
                    while k < h {
                        let z = (row[k] - mean) * s * g[k] + b[k]
                        row[k] = z < 0 ? 0 : z
                        k += 1
                    }
                }
            }
        }
    }

    // dz = dy·gate; dγ += Σ dz·x̂; dβ += Σ dz; dx = rstd/N·(N·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), dx̂ = dz·γ.
    func backward(_ dy: Matrix<T>, _ cache: Cache, _ params: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>)
        -> Matrix<T>
    {
        let h = norm.features
        let n = T(h)
        let rows = dy.rows
        var dx = Matrix<T>(uninitialized: rows, h)
        let g = params + norm.gamma.offset
        // Each part sums its rows' dγ, dβ; the parts are added in order afterwards.
        var partial = [T](repeating: 0, count: Parallel.parts * 2 * h)
        dy.data.withUnsafeBufferPointer { dp in
            cache.xhat.data.withUnsafeBufferPointer { hp in
                cache.gate.data.withUnsafeBufferPointer { gp in
                    dx.data.withUnsafeMutableBufferPointer { xp in
                        partial.withUnsafeMutableBufferPointer { pp in
                            let d0 = dp.baseAddress!
                            let h0 = hp.baseAddress!
                            let g0 = gp.baseAddress!
                            let x0 = xp.baseAddress!
                            let p0 = pp.baseAddress!
                            Parallel.forEachPart { part in
                                let dg = p0 + part * 2 * h
                                let db = dg + h
                                for r in Parallel.range(part, of: rows) {
                                    let d = d0 + r * h
                                    let xh = h0 + r * h
                                    let gt = g0 + r * h
                                    let out = x0 + r * h
                                    // out holds dx̂ until the row's sums are known.
                                    for k in 0..<h {
                                        let dz = d[k] * gt[k]
                                        dg[k] += dz * xh[k]
                                        db[k] += dz
                                        out[k] = dz * g[k]
                                    }
                                    let sum = Vector.sum(out, h)
                                    let dot = Vector.dot(out, xh, h)
                                    let s = cache.rstd[r] / n
                                    for k in 0..<h { out[k] = s * (n * out[k] - sum - xh[k] * dot) }
                                }
                            }
                        }
                    }
                }
            }
        }
        let dg = grad + norm.gamma.offset
        let db = grad + norm.beta.offset
        for part in 0..<Parallel.parts {
            for k in 0..<h {
                dg[k] += partial[part * 2 * h + k]
                db[k] += partial[part * 2 * h + h + k]
            }
        }
        return dx
    }
}

/// Reductions with 8 accumulators (vectorised, fixed order), and elementwise sums.
enum Vector {
    /// y[i] += x[i]
    @inline(__always)
    static func add<T: Real>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            let sum =
                UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<T>.self)
                + UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<T>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: sum, as: SIMD8<T>.self)
            i += 8
        }
        while i < n {
            y[i] += x[i]
            i += 1
        }
    }

    @inline(__always)
    static func sum<T: Real>(_ x: UnsafePointer<T>, _ n: Int) -> T {
        var acc = SIMD8<T>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<T>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += x[i]
            i += 1
        }
        return s
    }

    @inline(__always)
    static func dot<T: Real>(_ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ n: Int) -> T {
        var acc = SIMD8<T>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc +=
                UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<T>.self)
                * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<T>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += x[i] * y[i]
            i += 1
        }
        return s
    }

    @inline(__always)
    static func sumOfSquaredDeviations<T: Real>(_ x: UnsafePointer<T>, _ n: Int, _ mean: T) -> T {
        var acc = SIMD8<T>(repeating: 0)
        let m = SIMD8<T>(repeating: mean)
        var i = 0
        while i + 8 <= n {
            let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<T>.self) - m
            acc += d * d
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += (x[i] - mean) * (x[i] - mean)
            i += 1
        }
        return s
    }
}
