/// A dense row-major matrix with an explicit shape. A value type (copy on write).
public struct Matrix<T: Real>: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var data: [T]

    public init(rows: Int, cols: Int, data: [T]) {
        precondition(data.count == rows * cols, "Matrix: \(data.count) values for a \(rows)×\(cols) shape")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    public init(zeros rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, data: [T](repeating: 0, count: rows * cols))
    }

    /// A matrix whose every element the caller overwrites before reading (a GEMM output with
    /// beta 0, an elementwise result): skips the zero fill.
    init(uninitialized rows: Int, _ cols: Int) {
        self.rows = rows
        self.cols = cols
        data = [T](unsafeUninitializedCapacity: rows * cols) { _, n in n = rows * cols }
    }

    public subscript(r: Int, c: Int) -> T {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }

    public var shape: String { "\(rows)×\(cols)" }

    /// self · other (through BLAS).
    public func matmul(_ other: Matrix<T>, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix<T> {
        let m = transposeSelf ? cols : rows
        let k = transposeSelf ? rows : cols
        let k2 = transposeOther ? other.cols : other.rows
        let n = transposeOther ? other.rows : other.cols
        precondition(
            k == k2,
            "matmul: inner sizes differ (\(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : ""))"
        )
        var out = Matrix(zeros: m, n)
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                out.data.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(
                        transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k, a.baseAddress!, lda: cols,
                        b.baseAddress!, ldb: other.cols, c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    public func row(_ r: Int) -> ArraySlice<T> { data[(r * cols)..<((r + 1) * cols)] }
}
