/// Graph convolution over a batch of graphs: Y = A · (X W) + b (eagle's `GraphConvolution`,
/// A unnormalised, row = source).
///
/// One GEMM computes X W for all B·N rows; the per-graph products with the 0/1 adjacency are
/// sparse row sums. When only each graph's global node is needed (the last layer, whose readout
/// is the global row), A·(X W) is computed as (A X) W on those rows alone: one GEMM of B rows
/// instead of B·N, exactly the same function.
struct GraphConvolution<T: Real> {
    let inputs: Int
    let outputs: Int
    let weight: ParameterStore<T>.Slice
    let bias: ParameterStore<T>.Slice

    struct Cache {
        /// The layer input (all rows), or its aggregated global rows when `globalOnly`.
        let x: Matrix<T>
        let globalOnly: Bool
    }

    func forward(_ x: Matrix<T>, _ g: GraphBatch, _ p: UnsafePointer<T>, globalOnly: Bool) -> (Matrix<T>, Cache) {
        precondition(
            x.cols == inputs && x.rows == g.rows, "GraphConvolution: input \(x.shape), expected \(g.rows)×\(inputs)")
        if globalOnly {
            // (A X) on the global rows, then one GEMM, then the bias.
            let ax = g.aggregate(x, bias: nil, globalOnly: true)
            var y = Matrix<T>(uninitialized: g.graphs, outputs)
            multiply(ax, p + weight.offset, into: &y)
            addBias(&y, p + bias.offset)
            return (y, Cache(x: ax, globalOnly: true))
        }
        var s = Matrix<T>(uninitialized: g.rows, outputs)
        multiply(x, p + weight.offset, into: &s)
        let y = g.aggregate(s, bias: p + bias.offset, globalOnly: false)
        return (y, Cache(x: x, globalOnly: false))
    }

    // dY → dW (Xᵀ dS), db (Σ dY), dX (dS Wᵀ), where dS = Aᵀ dY.
    /// Weight gradients overwrite (or, with `accumulate`, add to) the gradient buffer; the bias
    /// gradient is always added.
    func backward(
        _ dy: Matrix<T>, _ cache: Cache, _ g: GraphBatch, _ p: UnsafePointer<T>,
        _ grad: UnsafeMutablePointer<T>, needInput: Bool, accumulate: Bool = false
    ) -> Matrix<T>? {
        sumRows(dy, into: grad + bias.offset)
        if cache.globalOnly {
            // Y = (A X)_global W + b: dW += (A X)ᵀ dY; d(A X) = dY Wᵀ; dX = Aᵀ d(A X).
            weightGradient(cache.x, dy, grad + weight.offset, accumulate: accumulate)
            guard needInput else { return nil }
            var dax = Matrix<T>(uninitialized: g.graphs, inputs)
            multiplyTransposed(dy, p + weight.offset, into: &dax)
            return g.scatter(dax, globalOnly: true)
        }
        let ds = g.scatter(dy, globalOnly: false)
        weightGradient(cache.x, ds, grad + weight.offset, accumulate: accumulate)
        guard needInput else { return nil }
        var dx = Matrix<T>(uninitialized: g.rows, inputs)
        multiplyTransposed(ds, p + weight.offset, into: &dx)
        return dx
    }

    /// out = x · W
    func multiply(_ x: Matrix<T>, _ w: UnsafePointer<T>, into out: inout Matrix<T>) {
        x.data.withUnsafeBufferPointer { xp in
            out.data.withUnsafeMutableBufferPointer { op in
                BLAS.gemm(
                    m: x.rows, n: outputs, k: inputs, xp.baseAddress!, lda: inputs, w, ldb: outputs,
                    op.baseAddress!, ldc: outputs)
            }
        }
    }

    /// out = d · Wᵀ
    func multiplyTransposed(_ d: Matrix<T>, _ w: UnsafePointer<T>, into out: inout Matrix<T>) {
        d.data.withUnsafeBufferPointer { dp in
            out.data.withUnsafeMutableBufferPointer { op in
                BLAS.gemm(
                    transB: true, m: d.rows, n: inputs, k: outputs, dp.baseAddress!, lda: outputs, w, ldb: outputs,
                    op.baseAddress!, ldc: inputs)
            }
        }
    }

    /// dW = xᵀ · d (or += with `accumulate`)
    func weightGradient(_ x: Matrix<T>, _ d: Matrix<T>, _ dw: UnsafeMutablePointer<T>, accumulate: Bool) {
        x.data.withUnsafeBufferPointer { xp in
            d.data.withUnsafeBufferPointer { dp in
                BLAS.gemm(
                    transA: true, m: inputs, n: outputs, k: x.rows, xp.baseAddress!, lda: inputs, dp.baseAddress!,
                    ldb: outputs, beta: accumulate ? 1 : 0, dw, ldc: outputs)
            }
        }
    }
}

/// y[r] += b for every row.
func addBias<T: Real>(_ y: inout Matrix<T>, _ b: UnsafePointer<T>) {
    let (rows, w) = (y.rows, y.cols)
    y.data.withUnsafeMutableBufferPointer { addBias($0.baseAddress!, rows: rows, cols: w, b) }
}

/// The rows of a rows × cols block, each += b.
func addBias<T: Real>(_ y: UnsafeMutablePointer<T>, rows: Int, cols: Int, _ b: UnsafePointer<T>) {
    for r in 0..<rows { Vector.add(b, into: y + r * cols, cols) }
}

/// out[k] += Σ_r m[r][k]
func sumRows<T: Real>(_ m: Matrix<T>, into out: UnsafeMutablePointer<T>) {
    let w = m.cols
    m.data.withUnsafeBufferPointer { mp in
        for r in 0..<m.rows {
            let row = mp.baseAddress! + r * w
            for k in 0..<w { out[k] += row[k] }
        }
    }
}
