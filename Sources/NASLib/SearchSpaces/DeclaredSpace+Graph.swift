/// Declared spaces' graph encodings (docs/formats.md, "Graph encodings"): what the GCN predictors read.
extension DeclaredSpace {
    // MARK: Graph encoding

    /// Feature columns of the graph encoding, in order (docs/formats.md).
    public var featureNames: [String] {
        switch kind {
        case .edges:
            return ops.filter { !Self.removingOps.contains($0) && !Self.passingOps.contains($0) }
                + ["input", "output", "global"]
        case .inputs:
            return ops.filter { !Self.passingOps.contains($0) } + ["sum", "input", "output", "global"]
        case .nodes:
            return ops + ["input", "output", "global"]
        case .choices(let keys, let values, _):
            return zip(keys, values).flatMap { key, vs in vs.map { "\(key)=\($0)" } } + ["input", "output", "global"]
        }
    }

    /// The graph the GCN predictors read: a global node 0 pointing at every node, self-loops, one-hot features.
    /// - edges: NAS-Bench-201's op-as-node encoding generalised (input, a node per edge, output; removing ops drop
    ///   their node, passing ops connect their predecessors to their successors; nodes off every input → output
    ///   path detached). The NAS-Bench-201 ops give NB201's encoding exactly (tested on all 15,625 models).
    /// - inputs: eagle's DARTS encoding generalised: per cell, a node per cell input, then per intermediate node a
    ///   node per read (its op) and a sum node, then an output node reading every sum node (cells side by side,
    ///   unconnected); passing ops connect their predecessors to their successors, in node order. The DARTS ops give
    ///   DARTS's encoding exactly (tested).
    /// - choices: input → block 1 → … → block n → output, each block's features one-hot per key.
    public func graph(_ a: DeclaredArch) -> CellGraph {
        let names = featureNames
        let f = names.count
        switch kind {
        case .edges(let nodes):
            var edges: [(Int, Int)] = []
            for j in 1..<nodes { for i in 0..<j { edges.append((i, j)) } }
            let n = edges.count + 2  // input, an op node per edge, output
            let out = n - 1
            var m = [[UInt8]](repeating: [UInt8](repeating: 0, count: n), count: n)
            for (k, (i, j)) in edges.enumerated() {
                if i == 0 { m[0][k + 1] = 1 }
                if j == nodes - 1 { m[k + 1][out] = 1 }
                for (k2, (i2, _)) in edges.enumerated() where i2 == j { m[k + 1][k2 + 1] = 1 }
            }
            var labels = [Int?](repeating: nil, count: n)
            for (k, code) in a.codes.enumerated() {
                let node = k + 1
                let op = ops[code]
                if Self.removingOps.contains(op) {
                    for other in 0..<n {
                        m[other][node] = 0
                        m[node][other] = 0
                    }
                } else if Self.passingOps.contains(op) {
                    Self.passThrough(&m, node)
                } else {
                    labels[node] = names.firstIndex(of: op)!
                }
            }
            let forward = CellGraph.reachable(from: 0, m, backward: false)
            let backward = CellGraph.reachable(from: out, m, backward: true)
            for v in 0..<n where !(forward[v] && backward[v]) {
                labels[v] = nil
                for other in 0..<n {
                    m[v][other] = 0
                    m[other][v] = 0
                }
            }
            labels[0] = f - 3
            labels[out] = f - 2
            return Self.withGlobal(m, labels.map { $0.map { [$0] } ?? [] }, features: f)
        case .inputs:
            return inputsGraph(a.codes)
        case .nodes:
            return cellGraph(cell(a.codes))
        case .choices(let keys, let values, let blocks):
            let n = blocks + 2
            var m = [[UInt8]](repeating: [UInt8](repeating: 0, count: n), count: n)
            var labels = [[Int]](repeating: [], count: n)
            let offsets = values.indices.map { i in values[..<i].reduce(0) { $0 + $1.count } }
            for v in 0..<(n - 1) { m[v][v + 1] = 1 }
            labels[0] = [f - 3]
            labels[n - 1] = [f - 2]
            for b in 0..<blocks {
                labels[b + 1] = keys.indices.map { offsets[$0] + a.codes[b * keys.count + $0] }
            }
            return Self.withGlobal(m, labels, features: f)
        }
    }

    /// A passing op's node: each predecessor connects to each successor, and the node loses those edges (eagle's
    /// pruning of skip connections, NB201 and DARTS alike).
    static func passThrough(_ m: inout [[UInt8]], _ node: Int) {
        let n = m.count
        var removed: [Int] = []
        for other in 0..<n where m[other][node] != 0 {
            for next in 0..<n where m[node][next] != 0 {
                m[other][next] = 1
                m[other][node] = 0
                removed.append(next)
            }
        }
        for next in removed { m[node][next] = 0 }
    }

    /// An `inputs` cell's encoding from its codes in any read order (DARTS genotypes keep the order they are given).
    func inputsGraph(_ codes: [Int]) -> CellGraph {
        guard case .inputs(let nodes, let k, let cellInputs, let cells) = kind else {
            preconditionFailure("not inputs")
        }
        let names = featureNames
        let f = names.count
        let perCell = cellInputs + nodes * (k + 1) + 1
        let n = perCell * cells.count
        var m = [[UInt8]](repeating: [UInt8](repeating: 0, count: n), count: n)
        var labels = [Int?](repeating: nil, count: n)
        var passing: [Int] = []
        var p = 0
        for c in cells.indices {
            let base = c * perCell
            let sum = { (node: Int) in base + cellInputs + node * (k + 1) + k }
            let output = base + perCell - 1
            for i in 0..<cellInputs { labels[base + i] = f - 3 }
            for node in 0..<nodes {
                labels[sum(node)] = f - 4
                m[sum(node)][output] = 1
                for r in 0..<k {
                    let opNode = base + cellInputs + node * (k + 1) + r
                    let input = codes[p]
                    let op = ops[codes[p + 1]]
                    if Self.passingOps.contains(op) {
                        passing.append(opNode)
                    } else {
                        labels[opNode] = names.firstIndex(of: op)!
                    }
                    m[input < cellInputs ? base + input : sum(input - cellInputs)][opNode] = 1
                    m[opNode][sum(node)] = 1
                    p += 2
                }
            }
            labels[output] = f - 2
        }
        for node in passing { Self.passThrough(&m, node) }
        return Self.withGlobal(m, labels.map { $0.map { [$0] } ?? [] }, features: f)
    }

    /// Adds the global node 0 (pointing at every node, feature `features − 1`) and self-loops to a cell's graph.
    static func withGlobal(_ m: [[UInt8]], _ labels: [[Int]], features f: Int) -> CellGraph {
        let n = m.count + 1
        var adjacency = [UInt8](repeating: 0, count: n * n)
        for j in 1..<n { adjacency[j] = 1 }
        for i in 0..<m.count { for j in 0..<m.count { adjacency[(i + 1) * n + j + 1] = m[i][j] } }
        for i in 0..<n { adjacency[i * n + i] = 1 }
        var features = [UInt8](repeating: 0, count: n * f)
        features[f - 1] = 1
        for (v, ls) in labels.enumerated() { for l in ls { features[(v + 1) * f + l] = 1 } }
        return CellGraph(nodes: n, adjacency: adjacency, features: features, featureCount: f)
    }
}
