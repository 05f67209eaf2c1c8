import Infra
import Synchronization

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
    /// The feature type of each level-0 colour (−1 for a node without a feature).
    let types: [Int8]
    /// levels[k − 1] for k = 1...layers: for each colour c of level k, the multiset (sorted) of level-(k−1)
    /// colours it sums, as compressed rows.
    let levels: [Level]
    /// The last level's colour of each graph's global node.
    let graphColour: [Int32]

    struct Level: Sendable {
        /// Colour c sums members[start[c]..<start[c + 1]].
        let start: [Int32]
        let members: [Int32]
        var count: Int { start.count - 1 }
    }

    public init(_ cells: [CellGraph], layers: Int) {
        let batch = GraphBatch(cells)
        graphs = batch.graphs
        var typeColour: [Int8: Int32] = [:]
        var types: [Int8] = []
        var colour = batch.types.map { t -> Int32 in
            if let c = typeColour[t] { return c }
            let c = Int32(types.count)
            typeColour[t] = c
            types.append(t)
            return c
        }
        var levels: [Level] = []
        for k in 1...max(layers, 1) {
            let last = k == layers
            var ids: [[Int32]: Int32] = [:]
            var start: [Int32] = [0]
            var members: [Int32] = []
            let rows = last ? (0..<batch.graphs).map { $0 * batch.nodes } : Array(0..<batch.rows)
            var next = [Int32](repeating: -1, count: batch.rows)
            for r in rows {
                let key = batch.neighbors(r).map { colour[Int($0)] }.sorted()
                if let c = ids[key] {
                    next[r] = c
                } else {
                    let c = Int32(start.count - 1)
                    ids[key] = c
                    members += key
                    start.append(Int32(members.count))
                    next[r] = c
                }
            }
            levels.append(Level(start: start, members: members))
            colour = next
        }
        self.types = types
        self.levels = levels
        graphColour = (0..<batch.graphs).map { colour[$0 * batch.nodes] }
    }

    private static let nb201Plans = Mutex<[Int: EvaluationPlan]>([:])

    /// The plan of all 15625 NB201 models in code order (`NB201Arch.all`), made once per layer count and kept.
    public static func nb201(layers: Int) -> EvaluationPlan {
        if let plan = nb201Plans.withLock({ $0[layers] }) { return plan }
        let plan = EvaluationPlan(NB201Arch.all.map(\.graph), layers: layers)
        nb201Plans.withLock { $0[layers] = plan }
        return plan
    }

    /// The plan of NB201 models: the kept plan of the whole space when they are all 15625 in code order (ranking
    /// the space is the common case), else a new one.
    public static func of(_ archs: [NB201Arch], layers: Int) -> EvaluationPlan {
        archs.count == NB201Arch.count && archs.elementsEqual(NB201Arch.all)
            ? nb201(layers: layers) : EvaluationPlan(archs.map(\.graph), layers: layers)
    }

    /// The layers the plan was made for.
    public var layers: Int { levels.count }

    /// Distinct rows computed at each layer.
    public var distinctRows: [Int] { levels.map(\.count) }
}

extension GCN {
    /// The global-node embedding of each distinct graph of a plan (one row per last-level colour), evaluation mode.
    ///
    /// Every layer but the last computes X·W over its distinct input rows, then each output colour sums its members'
    /// rows (A·(X W)); the last layer, whose outputs are only the global rows, sums its members' inputs first and
    /// multiplies those rows alone ((A X)·W, as the training pass does). Colour sums run in the fixed parts of
    /// `Parallel`, each row's members in colour order, so the result does not depend on the number of cores. The
    /// pass works in two borrowed `Scratch` buffers and allocates only its result.
    func embedDistinct(_ plan: EvaluationPlan) -> Matrix<T> {
        precondition(plan.layers == config.layers, "plan for \(plan.layers) layers, GCN has \(config.layers)")
        let h = config.hidden
        let width = max(h, config.features)
        let rows = max(plan.types.count, plan.levels.map(\.count).max() ?? 0)
        let p = UnsafePointer(store.values)
        return Scratch.with(T.self, count: rows * width) { a in
            Scratch.with(T.self, count: rows * width) { b in
                // a holds the current layer's input rows.
                let f = config.features
                a.update(repeating: 0, count: plan.types.count * f)
                for (c, t) in plan.types.enumerated() where t >= 0 { a[c * f + Int(t)] = 1 }
                var inRows = plan.types.count
                for l in 0..<config.layers {
                    let inputs = l == 0 ? f : h
                    let level = plan.levels[l]
                    let w = p + convs[l].weight.offset
                    let bias = p + convs[l].bias.offset
                    if l == config.layers - 1 {
                        Self.sumMembers(a, width: inputs, level, bias: nil, into: b)
                        BLAS.gemm(m: level.count, n: h, k: inputs, b, lda: inputs, w, ldb: h, a, ldc: h)
                        addBias(a, rows: level.count, cols: h, bias)
                    } else {
                        BLAS.gemm(m: inRows, n: h, k: inputs, a, lda: inputs, w, ldb: h, b, ldc: h)
                        Self.sumMembers(b, width: h, level, bias: bias, into: a)
                    }
                    blocks[l].evaluate(a, rows: level.count, p)
                    inRows = level.count
                }
                var out = Matrix<T>(uninitialized: inRows, h)
                out.data.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: a, count: inRows * h) }
                return out
            }
        }
    }

    /// out[c] = bias + Σ_{m ∈ colour c} x[m] (rows of `width`), in the fixed parts of `Parallel`.
    static func sumMembers(
        _ x: UnsafePointer<T>, width: Int, _ level: EvaluationPlan.Level, bias: UnsafePointer<T>?,
        into out: UnsafeMutablePointer<T>
    ) {
        level.start.withUnsafeBufferPointer { sp in
            level.members.withUnsafeBufferPointer { mp in
                let start = sp.baseAddress!
                let members = mp.baseAddress!
                Vector.rowSums(
                    x, width: width, rows: level.count, start: start, members: members, bias: bias, into: out)
            }
        }
    }

    /// The global-node embeddings of every graph of a plan (graphs × hidden), evaluation mode.
    public func embed(_ plan: EvaluationPlan) -> Matrix<T> {
        plan.scatterRows(embedDistinct(plan))
    }

    /// Regression outputs for every graph of a plan: the head runs once per distinct graph.
    public func predict(_ plan: EvaluationPlan) -> [T] {
        precondition(head == .regression, "predict on a \(head) GCN")
        let distinct = headForward(embedDistinct(plan)).0.data
        return plan.graphColour.map { distinct[Int($0)] }
    }

    /// Pair score parts (see `pairScoreParts`) of every graph of a plan, computed once per distinct graph.
    public func pairScores(_ plan: EvaluationPlan) -> (first: [Double], second: [Double], bias: Double) {
        let (f, s, bias) = pairScoreParts(embedDistinct(plan))
        return (plan.graphColour.map { f[Int($0)] }, plan.graphColour.map { s[Int($0)] }, bias)
    }
}

extension EvaluationPlan {
    /// One row per graph, from one row per distinct graph (last-level colour).
    func scatterRows<T: Real>(_ distinct: Matrix<T>) -> Matrix<T> {
        let h = distinct.cols
        var out = Matrix<T>(uninitialized: graphs, h)
        distinct.data.withUnsafeBufferPointer { dp in
            out.data.withUnsafeMutableBufferPointer { op in
                for (g, c) in graphColour.enumerated() {
                    (op.baseAddress! + g * h).update(from: dp.baseAddress! + Int(c) * h, count: h)
                }
            }
        }
        return out
    }
}
