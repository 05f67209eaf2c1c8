import Infra

/// LayerNorm → ReLU → Dropout, fused into one pass over each row (the block after every graph
/// convolution). Forward: x̂ = (x − mean)/√(var + eps), z = x̂·γ + β, y = z·s where s is 1/(1 − p)
/// where z > 0 and the element is kept, else 0 (dropped with probability p); without dropout
/// 1/(1 − p) is 1.
///
/// Nothing but x̂, the row scales and y is kept for the backward pass: ∂y/∂z is s, and s is
/// 1/(1 − p) exactly where y > 0 (z·s > 0 needs z > 0 and s > 0), so the gate is read off the
/// output. Rows are independent and run in the fixed parts of `Parallel`; the dropout mask is
/// drawn first, in row order, and row sums use 8 accumulators (SIMD) in a fixed order, so results
/// do not depend on the number of cores.
struct NormReLUDropout<T: Real> {
    let norm: LayerNorm<T>
    let p: Double

    struct Cache {
        let xhat: Matrix<T>
        let rstd: [T]
        /// The block's output (shared with the next layer's input, not copied).
        let y: Matrix<T>
        /// The dropout scale 1/(1 − p) of kept elements (1 without dropout).
        let keep: T

        /// ∂y/∂z of one element.
        func gate(_ r: Int, _ k: Int) -> T { y[r, k] > 0 ? keep : 0 }
    }

    func forward(_ x: Matrix<T>, _ params: UnsafePointer<T>, _ rng: inout SeededRandom?) -> (Matrix<T>, Cache) {
        let h = norm.features
        let rows = x.rows
        precondition(x.cols == h, "NormReLUDropout: input \(x.shape), expected \(h) columns")
        var y = Matrix<T>(uninitialized: rows, h)
        var xhat = Matrix<T>(uninitialized: rows, h)
        // Each element is dropped independently with probability p: draw the gaps between dropped
        // elements (geometric) instead of one uniform per element.
        var dropped: [Int] = []
        let dropping = p > 0 && rng != nil
        if dropping {
            var i = rng!.geometricGap(p)
            while i < rows * h {
                dropped.append(i)
                i += 1 + rng!.geometricGap(p)
            }
        }
        let keep = dropping ? T(1 / (1 - p)) : 1
        var rstd = [T](repeating: 0, count: rows)
        let g = params + norm.gamma.offset
        let b = params + norm.beta.offset
        x.data.withUnsafeBufferPointer { xp in
            y.data.withUnsafeMutableBufferPointer { yp in
                xhat.data.withUnsafeMutableBufferPointer { hp in
                    rstd.withUnsafeMutableBufferPointer { sp in
                        let x0 = xp.baseAddress!
                        let y0 = yp.baseAddress!
                        let h0 = hp.baseAddress!
                        let s0 = sp.baseAddress!
                        Parallel.forEachPart { part in
                            let vkeep = SIMD8<T>(repeating: keep)
                            for r in Parallel.range(part, of: rows) {
                                let row = x0 + r * h
                                let (mean, s) = Vector.normalization(row, h, eps: LayerNorm<T>.eps)
                                s0[r] = s
                                let hr = h0 + r * h
                                let yr = y0 + r * h
                                let vm = SIMD8<T>(repeating: mean)
                                let vs = SIMD8<T>(repeating: s)
                                var k = 0
                                while k + 8 <= h {
                                    let xh = (Vector.load(row + k) - vm) * vs
                                    Vector.store(xh, hr + k)
                                    let z = xh * Vector.load(g + k) + Vector.load(b + k)
                                    Vector.store(z * T.positive(z, vkeep), yr + k)
                                    k += 8
                                }
                                while k < h {
                                    let xh = (row[k] - mean) * s
                                    hr[k] = xh
                                    let z = xh * g[k] + b[k]
                                    yr[k] = z * (z > 0 ? keep : 0)
                                    k += 1
                                }
                            }
                        }
                        // Dropped elements: s = 0 (z·0, as a kept z ≤ 0 gives).
                        for i in dropped {
                            let k = i % h
                            y0[i] = (h0[i] * g[k] + b[k]) * 0
                        }
                    }
                }
            }
        }
        return (y, Cache(xhat: xhat, rstd: rstd, y: y, keep: keep))
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
        let keep = cache.keep
        // Each part sums its rows' dγ, dβ; the parts are added in order afterwards.
        var partial = [T](repeating: 0, count: Parallel.parts * 2 * h)
        dy.data.withUnsafeBufferPointer { dp in
            cache.xhat.data.withUnsafeBufferPointer { hp in
                cache.y.data.withUnsafeBufferPointer { yp in
                    dx.data.withUnsafeMutableBufferPointer { xp in
                        partial.withUnsafeMutableBufferPointer { pp in
                            let d0 = dp.baseAddress!
                            let h0 = hp.baseAddress!
                            let y0 = yp.baseAddress!
                            let x0 = xp.baseAddress!
                            let p0 = pp.baseAddress!
                            Parallel.forEachPart { part in
                                let dg = p0 + part * 2 * h
                                let db = dg + h
                                let vkeep = SIMD8<T>(repeating: keep)
                                for r in Parallel.range(part, of: rows) {
                                    let d = d0 + r * h
                                    let xh = h0 + r * h
                                    let yr = y0 + r * h
                                    let out = x0 + r * h
                                    // out holds dx̂ until the row's sums are known.
                                    var k = 0
                                    while k + 8 <= h {
                                        let dz = Vector.load(d + k) * T.positive(Vector.load(yr + k), vkeep)
                                        Vector.store(Vector.load(dg + k) + dz * Vector.load(xh + k), dg + k)
                                        Vector.store(Vector.load(db + k) + dz, db + k)
                                        Vector.store(dz * Vector.load(g + k), out + k)
                                        k += 8
                                    }
                                    while k < h {
                                        let dz = d[k] * (yr[k] > 0 ? keep : 0)
                                        dg[k] += dz * xh[k]
                                        db[k] += dz
                                        out[k] = dz * g[k]
                                        k += 1
                                    }
                                    let sum = Vector.sum(out, h)
                                    let dot = Vector.dot(out, xh, h)
                                    let s = cache.rstd[r] / n
                                    let vn = SIMD8<T>(repeating: n)
                                    let vsum = SIMD8<T>(repeating: sum)
                                    let vdot = SIMD8<T>(repeating: dot)
                                    let vs = SIMD8<T>(repeating: s)
                                    k = 0
                                    while k + 8 <= h {
                                        let o = Vector.load(out + k)
                                        Vector.store(vs * (vn * o - vsum - Vector.load(xh + k) * vdot), out + k)
                                        k += 8
                                    }
                                    while k < h {
                                        out[k] = s * (n * out[k] - sum - xh[k] * dot)
                                        k += 1
                                    }
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

    /// Evaluation mode (no dropout, nothing kept for a backward pass), in place on `rows` rows of `features`:
    /// x ← z·(1 if z > 0 else 0) for z = x̂·γ + β: `forward`'s arithmetic without dropout, bit for bit (a NaN
    /// kept, a negative z giving −0).
    func evaluate(_ x0: UnsafeMutablePointer<T>, rows: Int, _ params: UnsafePointer<T>) {
        let h = norm.features
        let g = params + norm.gamma.offset
        let b = params + norm.beta.offset
        // In C (CVector.h): the same normalisation as `Vector.normalization` and the same affine map and gate.
        Parallel.forEachPart { part in
            let r = Parallel.range(part, of: rows)
            VectorKernels.normReLU(
                x0 + r.lowerBound * h, width: h, rows: r.count, gamma: g, beta: b, eps: LayerNorm<T>.eps)
        }
    }
}

/// Reductions with 8 accumulators (vectorised, fixed order), and elementwise sums.
enum Vector {
    @inline(__always)
    static func load<T: Real>(_ p: UnsafePointer<T>) -> SIMD8<T> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always)
    static func store<T: Real>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
    }

    /// y[i] += x[i]
    @inline(__always)
    static func add<T: Real>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            store(load(y + i) + load(x + i), y + i)
            i += 8
        }
        while i < n {
            y[i] += x[i]
            i += 1
        }
    }

    /// Compressed-row sums: out[o] = (bias, or zero) + Σ x[members[e]] over e in start[r] ..< start[r + 1], r =
    /// o · stride, members in their order; the output rows cut in `Parallel`'s fixed parts, so the sums do not depend
    /// on the number of cores. The graph aggregation of training (a batch's neighbours) and of evaluation (a plan's
    /// colour members).
    static func rowSums<T: Real>(
        _ x: UnsafePointer<T>, width: Int, rows: Int, stride: Int = 1, start: UnsafePointer<Int32>,
        members: UnsafePointer<Int32>, bias: UnsafePointer<T>?, into out: UnsafeMutablePointer<T>
    ) {
        Parallel.forEachPart { part in
            VectorKernels.rowSums(
                x, width: width, rows: Parallel.range(part, of: rows), stride: stride, start: start,
                members: members, bias: bias, into: out)
        }
    }

    @inline(__always)
    static func sum<T: Real>(_ x: UnsafePointer<T>, _ n: Int) -> T {
        var acc = SIMD8<T>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc += load(x + i)
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
            acc += load(x + i) * load(y + i)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += x[i] * y[i]
            i += 1
        }
        return s
    }

    /// A row's mean and 1/√(variance + eps) (population variance), as LayerNorm normalises it.
    @inline(__always)
    static func normalization<T: Real>(_ x: UnsafePointer<T>, _ n: Int, eps: T) -> (mean: T, rstd: T) {
        let mean = sum(x, n) / T(n)
        let variance = sumOfSquaredDeviations(x, n, mean) / T(n)
        return (mean, 1 / (variance + eps).squareRoot())
    }

    @inline(__always)
    static func sumOfSquaredDeviations<T: Real>(_ x: UnsafePointer<T>, _ n: Int, _ mean: T) -> T {
        var acc = SIMD8<T>(repeating: 0)
        let m = SIMD8<T>(repeating: mean)
        var i = 0
        while i + 8 <= n {
            let d = load(x + i) - m
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
