/// Evaluation (no dropout) that computes each distinct node row once.
///
/// Without dropout, a node's embedding after layer k depends only on its feature and the
/// multiset of its neighbours' layer-(k−1) embeddings (its Weisfeiler–Lehman colour), so equal
/// colours have equal rows. `EvaluationPlan` assigns the colours once per set of graphs; the
/// GEMMs then run over the distinct rows only (180 after layer 1 instead of 140,625 for the
/// whole NB201 space). The result is the same function as the plain forward pass; sums are taken
/// in colour order, so it is deterministic.
public struct EvaluationPlan: Sendable {
    public let graphs: Int
    /// levels[k][c]: the multiset (sorted) of level-(k−1) colours that colour c of level k sums;
    /// level 0 lists feature types (−1 for none) as single-element entries.
    let levels: [[[Int32]]]
    /// The last level's colour of each graph's global node.
    let graphColour: [Int32]

    public init(_ cells: [CellGraph], layers: Int) {
        let batch = GraphBatch(cells)
        graphs = batch.graphs
        var types: [Int8: Int32] = [:]
        var level0: [[Int32]] = []
        var colour = batch.types.map { t -> Int32 in
            if let c = types[t] { return c }
            let c = Int32(level0.count)
            types[t] = c
            level0.append([Int32(t)])
            return c
        }
        var levels = [level0]
        for k in 1...max(layers, 1) {
            let last = k == layers
            var ids: [[Int32]: Int32] = [:]
            var entries: [[Int32]] = []
            let rows = last ? (0..<batch.graphs).map { $0 * batch.nodes } : Array(0..<batch.rows)
            var next = [Int32](repeating: -1, count: batch.rows)
            for r in rows {
                let key = batch.neighbors(r).map { colour[Int($0)] }.sorted()
                if let c = ids[key] {
                    next[r] = c
                } else {
                    let c = Int32(entries.count)
                    ids[key] = c
                    entries.append(key)
                    next[r] = c
                }
            }
            levels.append(entries)
            colour = next
        }
        self.levels = levels
        graphColour = (0..<batch.graphs).map { colour[$0 * batch.nodes] }
    }

    /// Distinct rows computed at each layer.
    public var distinctRows: [Int] { levels.dropFirst().map(\.count) }
}

extension GCN {
    /// The global-node embeddings of every graph of a plan (graphs × hidden), evaluation mode.
    public func embed(_ plan: EvaluationPlan) -> Matrix<T> {
        precondition(
            plan.levels.count == config.layers + 1, "plan for \(plan.levels.count - 1) layers, GCN has \(config.layers)"
        )
        var e = Matrix<T>(zeros: plan.levels[0].count, config.features)
        for (c, entry) in plan.levels[0].enumerated() where entry[0] >= 0 { e[c, Int(entry[0])] = 1 }
        do {
            let p = UnsafePointer(store.values)
            for l in 0..<config.layers {
                var s = Matrix<T>(zeros: e.rows, config.hidden)
                convs[l].multiply(e, p + convs[l].weight.offset, into: &s)
                let entries = plan.levels[l + 1]
                var y = Matrix<T>(zeros: entries.count, config.hidden)
                let b = p + convs[l].bias.offset
                let h = config.hidden
                s.data.withUnsafeBufferPointer { sp in
                    y.data.withUnsafeMutableBufferPointer { yp in
                        for (c, members) in entries.enumerated() {
                            let dst = yp.baseAddress! + c * h
                            for k in 0..<h { dst[k] = b[k] }
                            for m in members {
                                let src = sp.baseAddress! + Int(m) * h
                                for k in 0..<h { dst[k] += src[k] }
                            }
                        }
                    }
                }
                var noDropout: SeededRandom? = nil
                (e, _) = blocks[l].forward(y, p, &noDropout)
            }
        }
        var out = Matrix<T>(zeros: plan.graphs, config.hidden)
        for g in 0..<plan.graphs {
            let c = Int(plan.graphColour[g])
            for k in 0..<config.hidden { out[g, k] = e[c, k] }
        }
        return out
    }

    /// Regression outputs for every graph of a plan.
    public func predict(_ plan: EvaluationPlan) -> [T] {
        precondition(head == .regression, "predict on a \(head) GCN")
        return headForward(embed(plan)).0.data
    }
}
