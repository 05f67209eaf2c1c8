import Foundation

/// The `nodes` kind (NAS-Bench-101-like): a DAG of 2 to `maxNodes` nodes (node 0 the input, the last the output,
/// every other node an op) with at most `maxEdges` edges, every node on an input → output path (the pruned form).
/// Two labellings of one graph are one model: the canonical form is, over the orders of the intermediate nodes
/// that keep the adjacency upper-triangular, the one whose codes are lexicographically smallest.
///
/// Codes: the node count n, then the adjacency bits of pairs i < j < n in row order, then the ops of nodes
/// 1 … n − 2, each part padded with zeros to the largest cell's length.
extension DeclaredSpace {
    /// A cell in labelled form: `adjacency[i][j]` is the edge i → j (i < j); `ops[k]` is node k + 1's op.
    struct LabelledCell: Equatable {
        var n: Int
        var adjacency: [[Bool]]
        var ops: [Int]

        var edges: Int { adjacency.reduce(0) { $0 + $1.filter { $0 }.count } }
    }

    /// The largest cell handled: canonical forms try every order of up to 6 intermediate nodes (720).
    public static let maxCellNodes = 8
    /// A nodes space is enumerated (counted, listed) when it has at most this many labelled cells.
    public static let enumerableCells = 200_000

    public convenience init(nodes maxNodes: Int, maxEdges: Int, ops: [String]) throws {
        guard maxNodes >= 2 && maxNodes <= Self.maxCellNodes else {
            throw NASLibError("max_nodes must be between 2 and \(Self.maxCellNodes), got \(maxNodes)")
        }
        guard maxEdges >= 1 && maxEdges <= maxNodes * (maxNodes - 1) / 2 else {
            throw NASLibError("max_edges must be between 1 and \(maxNodes * (maxNodes - 1) / 2), got \(maxEdges)")
        }
        try Self.checkNames(ops, "op")
        if let reserved = ops.first(where: { $0 == "input" || $0 == "output" }) {
            throw NASLibError("\"\(reserved)\" names the cell's first and last node; choose another op name")
        }
        let kind = Kind.nodes(maxNodes: maxNodes, maxEdges: maxEdges)
        let codeCount = 1 + maxNodes * (maxNodes - 1) / 2 + maxNodes - 2
        let probe = DeclaredSpace(kind: kind, ops: ops, codeCount: codeCount, cells: nil)
        self.init(kind: kind, ops: ops, codeCount: codeCount, cells: Self.enumerateCells(probe))
    }

    var nodeLimits: (maxNodes: Int, maxEdges: Int) {
        guard case .nodes(let m, let e) = kind else { preconditionFailure("not a nodes space") }
        return (m, e)
    }

    /// Pairs i < j of an n-node cell, row by row.
    static func pairs(_ n: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { out.append((i, j)) } }
        return out
    }

    func cell(_ codes: [Int]) -> LabelledCell {
        let n = codes[0]
        var adjacency = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
        for (k, (i, j)) in Self.pairs(n).enumerated() { adjacency[i][j] = codes[1 + k] != 0 }
        let m = nodeLimits.maxNodes
        let opStart = 1 + m * (m - 1) / 2
        return LabelledCell(n: n, adjacency: adjacency, ops: Array(codes[opStart..<(opStart + max(0, n - 2))]))
    }

    func codes(_ c: LabelledCell) -> [Int] {
        let m = nodeLimits.maxNodes
        var out = [Int](repeating: 0, count: radix.count)
        out[0] = c.n
        for (k, (i, j)) in Self.pairs(c.n).enumerated() { out[1 + k] = c.adjacency[i][j] ? 1 : 0 }
        for (k, op) in c.ops.enumerated() { out[1 + m * (m - 1) / 2 + k] = op }
        return out
    }

    /// Whether a labelled cell is a model: within the limits, and every node on an input → output path (the
    /// adjacency is upper-triangular, so index order is a topological order).
    func isModel(_ c: LabelledCell) -> Bool {
        guard c.n >= 2 && c.n <= nodeLimits.maxNodes && c.edges <= nodeLimits.maxEdges else { return false }
        var forward = [Bool](repeating: false, count: c.n)
        var backward = forward
        forward[0] = true
        for j in 1..<c.n { forward[j] = (0..<j).contains { forward[$0] && c.adjacency[$0][j] } }
        backward[c.n - 1] = true
        for i in stride(from: c.n - 2, through: 0, by: -1) {
            backward[i] = ((i + 1)..<c.n).contains { backward[$0] && c.adjacency[i][$0] }
        }
        return (0..<c.n).allSatisfy { forward[$0] && backward[$0] }
    }

    /// Every order of 1 … k (k ≤ 6).
    static let orders: [[[Int]]] = (0...6).map { k in
        var out: [[Int]] = []
        func extend(_ prefix: [Int], _ rest: [Int]) {
            guard !rest.isEmpty else { return out.append(prefix) }
            for (i, x) in rest.enumerated() {
                var r = rest
                r.remove(at: i)
                extend(prefix + [x], r)
            }
        }
        extend([], (0..<k).map { $0 + 1 })
        return out
    }

    /// The canonical codes of a cell and how many distinct upper-triangular labellings it has.
    func canonical(_ c: LabelledCell) -> (codes: [Int], labellings: Int) {
        var edges: [(Int, Int)] = []
        for i in 0..<c.n { for j in (i + 1)..<max(i + 1, c.n) where c.adjacency[i][j] { edges.append((i, j)) } }
        let pairs = Self.pairs(c.n)
        let m = nodeLimits.maxNodes
        let opStart = 1 + m * (m - 1) / 2
        var best: [Int]? = nil
        var seen = Set<[Int]>()
        var position = [Int](repeating: 0, count: c.n)
        position[c.n - 1] = c.n - 1
        var bits = [[Bool]](repeating: [Bool](repeating: false, count: c.n), count: c.n)
        for order in Self.orders[c.n - 2] {
            // order[k] is the old node at new position k + 1; only orders that keep every edge forward count.
            for (k, old) in order.enumerated() { position[old] = k + 1 }
            guard edges.allSatisfy({ position[$0.0] < position[$0.1] }) else { continue }
            for i in 0..<c.n { for j in 0..<c.n { bits[i][j] = false } }
            for (i, j) in edges { bits[position[i]][position[j]] = true }
            var codes = [Int](repeating: 0, count: radix.count)
            codes[0] = c.n
            for (k, (i, j)) in pairs.enumerated() where bits[i][j] { codes[1 + k] = 1 }
            for (k, op) in c.ops.enumerated() { codes[opStart + position[k + 1] - 1] = op }
            seen.insert(codes)
            if best == nil || codes.lexicographicallyPrecedes(best!) { best = codes }
        }
        return (best!, seen.count)
    }

    /// Every model of a small nodes space in code order, or nil for a space of more than `enumerableCells`
    /// labelled cells.
    static func enumerateCells(_ space: DeclaredSpace) -> [[Int]]? {
        let (m, _) = space.nodeLimits
        var total = 0.0
        for n in 2...m { total += pow(2, Double(n * (n - 1) / 2)) * pow(Double(space.ops.count), Double(n - 2)) }
        guard total <= Double(enumerableCells) else { return nil }
        var found = Set<[Int]>()
        for n in 2...m {
            let pairs = Self.pairs(n)
            let opCount = (0..<(n - 2)).reduce(1) { p, _ in p * space.ops.count }
            for mask in 0..<(1 << pairs.count) {
                var adjacency = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
                for (k, (i, j)) in pairs.enumerated() where mask & (1 << k) != 0 { adjacency[i][j] = true }
                for o in 0..<opCount {
                    var rest = o
                    let ops = (0..<(n - 2)).map { _ in
                        defer { rest /= space.ops.count }
                        return rest % space.ops.count
                    }
                    let c = LabelledCell(n: n, adjacency: adjacency, ops: ops)
                    if space.isModel(c) { found.insert(space.canonical(c).codes) }
                }
            }
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// A model drawn uniformly over the space's models: a labelled cell uniform over those within the limits that
    /// could be models (the node count by its number of labelled cells, the edge count by its number of edge sets,
    /// then the edges and ops), rejected unless it is a model, then kept with probability 1 / (its number of labellings), so that every
    /// model, however many labellings it has, is equally likely.
    func randomCell(_ rng: inout SeededRandom) -> DeclaredArch {
        let (m, maxEdges) = nodeLimits
        func binomial(_ n: Int, _ k: Int) -> Double {
            guard k >= 0 && k <= n else { return 0 }
            var r = 1.0
            for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
            return r
        }
        // A cell of n nodes has every node on a path only with at least n − 1 edges: sizes and edge counts below
        // that are never drawn (they would always be rejected; leaving them out keeps the draw uniform).
        let sizes = Array(2...min(m, maxEdges + 1))
        let edgeCounts = sizes.map { n in Array((n - 1)...min(maxEdges, n * (n - 1) / 2)) }
        let edgeWeights = zip(sizes, edgeCounts).map { n, es in es.map { binomial(n * (n - 1) / 2, $0) } }
        let weights = zip(sizes, edgeWeights).map { n, w in w.reduce(0, +) * pow(Double(ops.count), Double(n - 2)) }
        func pick(_ w: [Double]) -> Int {
            var u = rng.uniform() * w.reduce(0, +)
            for (i, x) in w.enumerated() {
                if u < x { return i }
                u -= x
            }
            return w.count - 1
        }
        while true {
            let s = pick(weights)
            let n = sizes[s]
            let e = edgeCounts[s][pick(edgeWeights[s])]
            let pairs = Self.pairs(n)
            var adjacency = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
            for k in rng.sample(Array(pairs.indices), e) { adjacency[pairs[k].0][pairs[k].1] = true }
            let c = LabelledCell(n: n, adjacency: adjacency, ops: (0..<(n - 2)).map { _ in rng.int(below: ops.count) })
            guard isModel(c) else { continue }
            let (codes, labellings) = canonical(c)
            if rng.uniform() * Double(labellings) < 1 { return DeclaredArch(self, canonicalCodes: codes) }
        }
    }

    /// One mutation of a cell: flip one edge, change one node's op, insert a node on an edge, or remove a node
    /// (each of the moves that applies equally likely), retried until the result is another model (nil after 1000
    /// tries).
    func mutatedCell(_ a: DeclaredArch, _ rng: inout SeededRandom) -> DeclaredArch? {
        let (m, _) = nodeLimits
        let c = cell(a.codes)
        for _ in 0..<1000 {
            var moves = [0]
            if ops.count > 1 && c.n > 2 { moves.append(1) }
            if c.n < m && c.edges > 0 { moves.append(2) }
            if c.n > 2 { moves.append(3) }
            var x = c
            switch moves[rng.int(below: moves.count)] {
            case 0:
                let (i, j) = Self.pairs(c.n)[rng.int(below: c.n * (c.n - 1) / 2)]
                x.adjacency[i][j].toggle()
            case 1:
                let v = rng.int(below: c.n - 2)
                let o = rng.int(below: ops.count - 1)
                x.ops[v] = o >= c.ops[v] ? o + 1 : o
            case 2:
                let edges = Self.pairs(c.n).filter { c.adjacency[$0.0][$0.1] }
                let (i, j) = edges[rng.int(below: edges.count)]
                // The new node takes position j; j and the nodes after it move up by one.
                let shift = { (v: Int) in v >= j ? v + 1 : v }
                x = LabelledCell(
                    n: c.n + 1,
                    adjacency: [[Bool]](repeating: [Bool](repeating: false, count: c.n + 1), count: c.n + 1),
                    ops: c.ops)
                for (p, q) in Self.pairs(c.n) where c.adjacency[p][q] && (p, q) != (i, j) {
                    x.adjacency[shift(p)][shift(q)] = true
                }
                x.adjacency[i][j] = true
                x.adjacency[j][j + 1] = true
                x.ops.insert(rng.int(below: ops.count), at: j - 1)
            default:
                let v = 1 + rng.int(below: c.n - 2)
                let keep = (0..<c.n).filter { $0 != v }
                x = LabelledCell(
                    n: c.n - 1, adjacency: keep.map { i in keep.map { c.adjacency[i][$0] } },
                    ops: c.ops.enumerated().filter { $0.offset != v - 1 }.map(\.element))
            }
            guard isModel(x) else { continue }
            let codes = canonical(x).codes
            if codes != a.codes { return DeclaredArch(self, canonicalCodes: codes) }
        }
        return nil
    }

    /// A cell's adjacency (0 or 1, row = source), canonical order.
    public func cellAdjacency(_ a: DeclaredArch) -> [[Int]] { cell(a.codes).adjacency.map { $0.map { $0 ? 1 : 0 } } }

    /// The op names of a cell's nodes 1 … n − 2, canonical order.
    public func cellOps(_ a: DeclaredArch) -> [String] { cell(a.codes).ops.map { ops[$0] } }

    /// The text form: NAS-Bench-101's JSON line without metrics, `{"adjacency": [[0,1],[0,0]], "ops": ["input",
    /// "output"]}`, of the canonical labelling.
    func cellText(_ a: DeclaredArch) -> String {
        let c = cell(a.codes)
        let rows = c.adjacency.map { "[" + $0.map { $0 ? "1" : "0" }.joined(separator: ",") + "]" }
        let names = ["input"] + c.ops.map { ops[$0] } + ["output"]
        return
            "{\"adjacency\": [\(rows.joined(separator: ","))], \"ops\": [\(names.map { "\"\($0)\"" }.joined(separator: ", "))]}"
    }

    /// Reads the text form (any labelling; nodes off every input → output path are pruned, as NAS-Bench-101 does).
    func parseCell(_ text: String) throws -> DeclaredArch {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let rows = object["adjacency"] as? [[Int]], let names = object["ops"] as? [String]
        else {
            throw NASLibError("\"\(text)\": {\"adjacency\": [[...]], \"ops\": [\"input\", ..., \"output\"]} expected")
        }
        let n = rows.count
        guard n >= 2, rows.allSatisfy({ $0.count == n }), names.count == n else {
            throw NASLibError("\"\(text)\": a square adjacency of at least 2 nodes and an op per node expected")
        }
        guard names.first == "input", names.last == "output" else {
            throw NASLibError("\"\(text)\": the first op is input and the last output")
        }
        var adjacency = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n where rows[i][j] != 0 {
                guard rows[i][j] == 1 && j > i else {
                    throw NASLibError(
                        "\"\(text)\": the adjacency is 0 or 1 and strictly upper-triangular (at [\(i)][\(j)])")
                }
                adjacency[i][j] = true
            }
        }
        var opCodes: [Int] = []
        for name in names.dropFirst().dropLast() {
            guard let o = ops.firstIndex(of: name) else {
                throw NASLibError("unknown op \"\(name)\" in \"\(text)\" (the space's: \(ops.joined(separator: ", ")))")
            }
            opCodes.append(o)
        }
        let m = adjacency.map { $0.map { UInt8($0 ? 1 : 0) } }
        let forward = CellGraph.reachable(from: 0, m, backward: false)
        let backward = CellGraph.reachable(from: n - 1, m, backward: true)
        guard forward[n - 1] else { throw NASLibError("\"\(text)\": the output is not reachable from the input") }
        let keep = (0..<n).filter { forward[$0] && backward[$0] }
        let c = LabelledCell(
            n: keep.count, adjacency: keep.map { i in keep.map { adjacency[i][$0] } },
            ops: keep.dropFirst().dropLast().map { opCodes[$0 - 1] })
        let (maxNodes, maxEdges) = nodeLimits
        guard c.n <= maxNodes else { throw NASLibError("\"\(text)\": \(c.n) nodes, more than max_nodes = \(maxNodes)") }
        guard c.edges <= maxEdges else {
            throw NASLibError("\"\(text)\": \(c.edges) edges, more than max_edges = \(maxEdges)")
        }
        return DeclaredArch(self, canonicalCodes: canonical(c).codes)
    }

    /// NAS-Bench-101's encoding generalised: nodes padded to `maxNodes` before the output, a global node 0 pointing
    /// at every node, self-loops; features the ops, input, output, global (padding nodes have none). The NB101 ops
    /// give NB101's encoding exactly (tested).
    func cellGraph(_ c: LabelledCell) -> CellGraph {
        let (size, _) = nodeLimits
        let f = ops.count + 3
        var m = c.adjacency.map { $0.map { UInt8($0 ? 1 : 0) } }
        var labels: [Int?] = [ops.count] + c.ops.map { Optional($0) } + [ops.count + 1]
        while labels.count < size {
            labels.insert(nil, at: labels.count - 1)
            for r in 0..<m.count { m[r].insert(0, at: m[r].count - 1) }
            m.insert([UInt8](repeating: 0, count: m[0].count), at: m.count - 1)
        }
        return Self.withGlobal(m, labels.map { $0.map { [$0] } ?? [] }, features: f)
    }
}
