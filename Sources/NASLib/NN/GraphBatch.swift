import Infra

/// A batch of cell graphs in the form the GCN layers use: node feature types and the
/// adjacency as compressed rows (CSR) and compressed columns, over global row indices
/// `graph · nodes + node`.
///
/// Row r aggregates over `neighbors(r)`: the nodes j with A[i][j] = 1 (self-loop included),
/// in ascending order, so every sum is taken in the same order every time.
public struct GraphBatch: Sendable {
    public let graphs: Int
    public let nodes: Int
    public let featureCount: Int
    /// Feature column of each node's one-hot feature, or -1 for a zero feature row.
    public let types: [Int8]
    let rowStart: [Int32]
    let rowNeighbors: [Int32]
    let colStart: [Int32]
    let colNeighbors: [Int32]

    public init(_ cells: [CellGraph]) {
        let n = cells.first?.nodes ?? 9
        let fc = cells.first?.featureCount ?? 6
        precondition(
            cells.allSatisfy { $0.nodes == n && $0.featureCount == fc }, "GraphBatch: graphs of different sizes")
        graphs = cells.count
        nodes = n
        featureCount = fc
        var types = [Int8](repeating: -1, count: cells.count * n)
        var rowStart: [Int32] = [0]
        var rowNeighbors: [Int32] = []
        var incoming = [[Int32]](repeating: [], count: cells.count * n)
        for (g, cell) in cells.enumerated() {
            for i in 0..<n {
                for f in 0..<fc where cell.features[i * fc + f] != 0 {
                    types[g * n + i] = Int8(f)
                }
                for j in 0..<n where cell.adjacency[i * n + j] != 0 {
                    rowNeighbors.append(Int32(g * n + j))
                    incoming[g * n + j].append(Int32(g * n + i))
                }
                rowStart.append(Int32(rowNeighbors.count))
            }
        }
        self.types = types
        self.rowStart = rowStart
        self.rowNeighbors = rowNeighbors
        var colStart: [Int32] = [0]
        var colNeighbors: [Int32] = []
        for list in incoming {
            colNeighbors += list
            colStart.append(Int32(colNeighbors.count))
        }
        self.colStart = colStart
        self.colNeighbors = colNeighbors
    }

    public var rows: Int { graphs * nodes }

    /// The one-hot node features as a rows × featureCount matrix.
    public func featureMatrix<T: Real>(_: T.Type = T.self) -> Matrix<T> {
        var m = Matrix<T>(zeros: rows, featureCount)
        for (r, t) in types.enumerated() where t >= 0 { m[r, Int(t)] = 1 }
        return m
    }

    /// out[r] = bias + Σ_{c ∈ neighbors(r)} s[c] over the given rows (all rows, or the global
    /// node of each graph when `globalOnly`; then out has one row per graph).
    func aggregate<T: Real>(_ s: Matrix<T>, bias: UnsafePointer<T>?, globalOnly: Bool) -> Matrix<T> {
        let width = s.cols
        let outRows = globalOnly ? graphs : rows
        var out = Matrix<T>(uninitialized: outRows, width)
        s.data.withUnsafeBufferPointer { sp in
            out.data.withUnsafeMutableBufferPointer { op in
                rowStart.withUnsafeBufferPointer { start in
                    rowNeighbors.withUnsafeBufferPointer { members in
                        Vector.rowSums(
                            sp.baseAddress!, width: width, rows: outRows, stride: globalOnly ? nodes : 1,
                            start: start.baseAddress!, members: members.baseAddress!, bias: bias,
                            into: op.baseAddress!)
                    }
                }
            }
        }
        return out
    }

    /// The transpose of `aggregate` (without bias): ds[c] = Σ_{r : c ∈ neighbors(r)} dy[r];
    /// with `globalOnly`, dy has one row per graph (its global node).
    func scatter<T: Real>(_ dy: Matrix<T>, globalOnly: Bool) -> Matrix<T> {
        let width = dy.cols
        var out = Matrix<T>(zeros: rows, width)
        dy.data.withUnsafeBufferPointer { dp in
            out.data.withUnsafeMutableBufferPointer { op in
                if globalOnly {
                    for g in 0..<graphs {
                        let r = g * nodes
                        let src = dp.baseAddress! + g * width
                        for e in Int(rowStart[r])..<Int(rowStart[r + 1]) {
                            let dst = op.baseAddress! + Int(rowNeighbors[e]) * width
                            for k in 0..<width { dst[k] += src[k] }
                        }
                    }
                } else {
                    let src0 = dp.baseAddress!
                    let dst0 = op.baseAddress!
                    Parallel.forEachPart { part in
                        for c in Parallel.range(part, of: rows) {
                            let dst = dst0 + c * width
                            for e in Int(colStart[c])..<Int(colStart[c + 1]) {
                                let src = src0 + Int(colNeighbors[e]) * width
                                for k in 0..<width { dst[k] += src[k] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Neighbours of row r (global indices), in ascending order.
    func neighbors(_ r: Int) -> ArraySlice<Int32> { rowNeighbors[Int(rowStart[r])..<Int(rowStart[r + 1])] }
}
