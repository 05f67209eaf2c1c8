/// y = x W + b, W stored inputs × outputs. PyTorch's default init: W, b ~ U(±1/√inputs).
struct Linear<T: Real> {
    let inputs: Int
    let outputs: Int
    let weight: ParameterStore<T>.Slice
    let bias: ParameterStore<T>.Slice

    struct Cache {
        let x: Matrix<T>
    }

    func forward(_ x: Matrix<T>, _ p: UnsafePointer<T>) -> (Matrix<T>, Cache) {
        precondition(x.cols == inputs, "Linear: input \(x.shape), expected \(inputs) columns")
        var y = Matrix<T>(uninitialized: x.rows, outputs)
        x.data.withUnsafeBufferPointer { xp in
            y.data.withUnsafeMutableBufferPointer { yp in
                BLAS.gemm(
                    m: x.rows, n: outputs, k: inputs, xp.baseAddress!, lda: inputs, p + weight.offset, ldb: outputs,
                    yp.baseAddress!, ldc: outputs)
            }
        }
        addBias(&y, p + bias.offset)
        return (y, Cache(x: x))
    }

    // dW = xᵀ dy (+= with `accumulate`); db += Σ dy; dx = dy Wᵀ.
    func backward(
        _ dy: Matrix<T>, _ cache: Cache, _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
        accumulate: Bool = false
    ) -> Matrix<T> {
        sumRows(dy, into: grad + bias.offset)
        var dx = Matrix<T>(uninitialized: dy.rows, inputs)
        cache.x.data.withUnsafeBufferPointer { xp in
            dy.data.withUnsafeBufferPointer { dp in
                BLAS.gemm(
                    transA: true, m: inputs, n: outputs, k: dy.rows, xp.baseAddress!, lda: inputs, dp.baseAddress!,
                    ldb: outputs, beta: accumulate ? 1 : 0, grad + weight.offset, ldc: outputs)
                dx.data.withUnsafeMutableBufferPointer { xg in
                    BLAS.gemm(
                        transB: true, m: dy.rows, n: inputs, k: outputs, dp.baseAddress!, lda: outputs,
                        p + weight.offset, ldb: outputs, xg.baseAddress!, ldc: inputs)
                }
            }
        }
        return dx
    }
}
