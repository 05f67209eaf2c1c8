import Foundation

/// A search space declared by its user (docs/spaces.md): the kind of cell or skeleton and its choices. Every model of
/// it is a `DeclaredArch`, a list of choice codes in canonical form; the space derives the rest: how many models it
/// has, uniform sampling, one-step mutation, a text form that parses back, and the graph the GCN predictors read.
///
/// Four kinds:
/// - `edges`: a cell of `nodes` nodes (node 0 the input, the last the output) with an op on every edge i → j
///   (i < j), edges in NAS-Bench-201's order (by destination, then source). Every op assignment is its own model
///   (the canonical form is the assignment itself, as NAS-Bench-201 counts its 15,625).
/// - `inputs`: `nodes` intermediate nodes, each reading `inputs` distinct earlier nodes (the cell's `cellInputs`
///   inputs or intermediate nodes before it) through an op each, summed; the cell outputs the concatenation of the
///   intermediate nodes; one such cell per name in `cells`. A node's reads are a set: canonically sorted by input.
/// - `nodes`: a node-labelled DAG with size limits (NAS-Bench-101-like; DeclaredSpace+Nodes.swift).
/// - `choices`: `blocks` blocks in a chain, each choosing one value per named key.
public final class DeclaredSpace: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case edges(nodes: Int)
        case inputs(nodes: Int, inputs: Int, cellInputs: Int, cells: [String])
        case nodes(maxNodes: Int, maxEdges: Int)
        case choices(keys: [String], values: [[String]], blocks: Int)
    }

    public let kind: Kind
    /// The ops of a cell space (empty for a choice space).
    public let ops: [String]
    /// The radix of every code position of a model (a `nodes` space's positions have none: zeros).
    let radix: [Int]
    /// A small `nodes` space's models, canonical codes in order (nil for the other kinds and large spaces).
    let cells: [[Int]]?

    init(kind: Kind, ops: [String], codeCount: Int, cells: [[Int]]?) {
        self.kind = kind
        self.ops = ops
        radix = [Int](repeating: 0, count: codeCount)
        self.cells = cells
    }

    /// Op names that remove an edge or pass its input through, for the graph encoding of an `edges` cell.
    public static let removingOps: Set<String> = ["none", "zero"]
    public static let passingOps: Set<String> = ["skip_connect", "skip", "identity"]

    public init(edges nodes: Int, ops: [String]) throws {
        guard nodes >= 2 else {
            throw NASLibError("a cell needs at least 2 nodes (an input and an output), got \(nodes)")
        }
        guard nodes <= 12 else {
            throw NASLibError("an edge cell of more than 12 nodes is not supported, got \(nodes)")
        }
        try Self.checkNames(ops, "op")
        kind = .edges(nodes: nodes)
        self.ops = ops
        radix = [Int](repeating: ops.count, count: nodes * (nodes - 1) / 2)
        cells = nil
    }

    public init(inputs nodes: Int, inputs k: Int, cellInputs: Int, ops: [String], cells: [String]) throws {
        guard nodes >= 1 && nodes <= 16 else { throw NASLibError("nodes must be between 1 and 16, got \(nodes)") }
        guard cellInputs >= 1 && cellInputs <= 4 else {
            throw NASLibError("cell_inputs must be between 1 and 4, got \(cellInputs)")
        }
        guard k >= 1 && k <= cellInputs else {
            throw NASLibError(
                "inputs must be between 1 and cell_inputs (\(cellInputs)): the first node reads \(k) distinct nodes of the cell's \(cellInputs) inputs"
            )
        }
        try Self.checkNames(ops, "op")
        try Self.checkNames(cells, "cell")
        kind = .inputs(nodes: nodes, inputs: k, cellInputs: cellInputs, cells: cells)
        self.ops = ops
        // Per cell, per node, per read: the input, then the op.
        var r: [Int] = []
        for _ in cells { for n in 0..<nodes { for _ in 0..<k { r += [cellInputs + n, ops.count] } } }
        radix = r
        self.cells = nil
    }

    public init(choices: [(key: String, values: [String])], blocks: Int) throws {
        guard !choices.isEmpty else { throw NASLibError("a choice space needs at least one key") }
        guard blocks >= 1 && blocks <= 64 else { throw NASLibError("blocks must be between 1 and 64, got \(blocks)") }
        try Self.checkNames(choices.map(\.key), "key")
        for (key, values) in choices {
            guard !values.isEmpty else { throw NASLibError("the key \(key) has no values to choose from") }
            try Self.checkNames(values, "value of \(key)")
        }
        kind = .choices(keys: choices.map(\.key), values: choices.map(\.values), blocks: blocks)
        ops = []
        radix = Array([[Int]](repeating: choices.map(\.values.count), count: blocks).joined())
        cells = nil
    }

    /// Names must be distinct and free of the text form's separators.
    public static func checkNames(_ names: [String], _ what: String) throws {
        guard !names.isEmpty else { throw NASLibError("the \(what) list is empty") }
        var seen: Set<String> = []
        for n in names {
            guard !n.isEmpty else { throw NASLibError("an empty \(what) name") }
            guard n.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
                throw NASLibError("the \(what) \"\(n)\" has a character other than letters, digits, _ - and .")
            }
            guard seen.insert(n).inserted else { throw NASLibError("the \(what) \"\(n)\" is listed twice") }
        }
    }

    // MARK: Identity

    /// The declaration as text: equal declarations, equal text (journal headers and cache keys hold it).
    public var description: String {
        func list(_ xs: [String]) -> String { "[" + xs.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        switch kind {
        case .edges(let nodes):
            return "space(cell: \"edges\", nodes: \(nodes), ops: \(list(ops)))"
        case .inputs(let nodes, let k, let cellInputs, let cells):
            return
                "space(cell: \"inputs\", nodes: \(nodes), inputs: \(k), cell_inputs: \(cellInputs), ops: \(list(ops)), cells: \(list(cells)))"
        case .nodes(let maxNodes, let maxEdges):
            return "space(cell: \"nodes\", max_nodes: \(maxNodes), max_edges: \(maxEdges), ops: \(list(ops)))"
        case .choices(let keys, let values, let blocks):
            let pairs = zip(keys, values).map { "\($0): \(list($1))" }.joined(separator: ", ")
            return "space(choices: {\(pairs)}, blocks: \(blocks))"
        }
    }

    public static func == (a: DeclaredSpace, b: DeclaredSpace) -> Bool { a === b || a.kind == b.kind && a.ops == b.ops }
    public func hash(into h: inout Hasher) {
        h.combine(kind)
        h.combine(ops)
    }

    // MARK: Counting and enumeration

    /// The number of models, or nil when it exceeds Int.max (or, for a `nodes` space, is not enumerated).
    public var count: Int? {
        if case .nodes = kind { return cells?.count }
        var n = 1
        for f in unitSizes {
            let (p, o) = n.multipliedReportingOverflow(by: f)
            if o { return nil }
            n = p
        }
        return n
    }

    /// The count as a floating-point number (for spaces too large for an integer; NaN for an uncounted `nodes`
    /// space).
    public var approximateCount: Double {
        if case .nodes = kind { return cells.map { Double($0.count) } ?? .nan }
        return unitSizes.reduce(1.0) { $0 * Double($1) }
    }

    /// The independent units a model is a product of: an edge or a block key (its radix), or a node of an `inputs`
    /// cell (its set of reads: C(predecessors, k) · ops^k).
    var unitSizes: [Int] {
        guard case .inputs(let nodes, let k, let cellInputs, let cells) = kind else { return radix }
        var out: [Int] = []
        for _ in cells {
            for n in 0..<nodes {
                out.append(Self.binomial(cellInputs + n, k) * (0..<k).reduce(1) { p, _ in p * ops.count })
            }
        }
        return out
    }

    static func binomial(_ n: Int, _ k: Int) -> Int {
        guard k >= 0 && k <= n else { return 0 }
        var r = 1
        for i in 0..<k { r = r * (n - i) / (i + 1) }
        return r
    }

    /// The model at `index` of the space's enumeration order (the first unit varies fastest).
    public func arch(index: Int) -> DeclaredArch {
        precondition(index >= 0 && count.map { index < $0 } ?? true, "index \(index) out of the space")
        if let cells { return DeclaredArch(self, canonicalCodes: cells[index]) }
        var rest = index
        var codes: [Int] = []
        let sizes = unitSizes
        guard case .inputs(_, let k, let cellInputs, _) = kind else {
            for r in sizes {
                codes.append(rest % r)
                rest /= r
            }
            return DeclaredArch(self, codes)
        }
        for (u, size) in sizes.enumerated() {
            var i = rest % size
            rest /= size
            let preds = cellInputs + u % nodeCount
            var opCodes: [Int] = []
            for _ in 0..<k {
                opCodes.append(i % ops.count)
                i /= ops.count
            }
            let subset = Self.unrankSubset(i, n: preds, k: k)
            for (input, op) in zip(subset, opCodes) { codes += [input, op] }
        }
        return DeclaredArch(self, codes)
    }

    var nodeCount: Int {
        if case .inputs(let nodes, _, _, _) = kind { return nodes }
        return 0
    }

    /// The `rank`-th k-subset of 0..<n in colexicographic order, ascending.
    static func unrankSubset(_ rank: Int, n: Int, k: Int) -> [Int] {
        var rank = rank
        var out: [Int] = []
        for j in stride(from: k, through: 1, by: -1) {
            var c = j - 1
            while c + 1 < n && binomial(c + 1, j) <= rank { c += 1 }
            out.append(c)
            rank -= binomial(c, j)
        }
        return out.reversed()
    }

    // MARK: Sampling and mutation

    /// A uniformly random model (uniform over canonical models).
    public func random(_ rng: inout SeededRandom) -> DeclaredArch {
        if case .nodes = kind { return randomCell(&rng) }
        guard case .inputs(let nodes, let k, let cellInputs, let cells) = kind else {
            return DeclaredArch(self, radix.map { rng.int(below: $0) })
        }
        var codes: [Int] = []
        for _ in cells {
            for n in 0..<nodes {
                let reads = rng.sample(Array(0..<(cellInputs + n)), k)
                for i in reads { codes += [i, rng.int(below: ops.count)] }
            }
        }
        return DeclaredArch(self, codes)
    }

    /// One mutation: a uniformly chosen edge's op, or block key's value, becomes another one; in an `inputs` cell a
    /// uniformly chosen read changes its op or (half the time, when another node is free to read) its input.
    /// nil when the model has no neighbour (a single op and value everywhere).
    public func mutated(_ a: DeclaredArch, _ rng: inout SeededRandom) -> DeclaredArch? {
        if case .nodes = kind { return mutatedCell(a, &rng) }
        var codes = a.codes
        guard case .inputs(let nodes, let k, let cellInputs, _) = kind else {
            let positions = radix.indices.filter { radix[$0] > 1 }
            guard !positions.isEmpty else { return nil }
            let p = positions[rng.int(below: positions.count)]
            let v = rng.int(below: radix[p] - 1)
            codes[p] = v >= codes[p] ? v + 1 : v
            return DeclaredArch(self, codes)
        }
        let reads = codes.count / 2
        let r = rng.int(below: reads)
        let node = (r / k) % nodes
        let first = (r / k) * k
        let used = Set((first..<(first + k)).map { codes[2 * $0] })
        let free = (0..<(cellInputs + node)).filter { !used.contains($0) }
        let changeInput = ops.count < 2 || (!free.isEmpty && rng.int(below: 2) == 1)
        if changeInput {
            guard !free.isEmpty else { return nil }
            codes[2 * r] = free[rng.int(below: free.count)]
        } else {
            let v = rng.int(below: ops.count - 1)
            codes[2 * r + 1] = v >= codes[2 * r + 1] ? v + 1 : v
        }
        return DeclaredArch(self, codes)
    }

    // MARK: Text form

    /// The text form (`{arch}` hands it to evaluators): edges `|op~0|+|op~0|op~1|+...` (NAS-Bench-201's format),
    /// inputs `normal=op~0,op~1|op~0,op~2;reduce=...`, choices `key=value,key=value|key=value,...` (a block per `|`).
    public func text(_ a: DeclaredArch) -> String {
        let c = a.codes
        switch kind {
        case .edges(let nodes):
            var e = 0
            var groups: [String] = []
            for j in 1..<nodes {
                groups.append(
                    "|"
                        + (0..<j).map { i in
                            defer { e += 1 }
                            return "\(ops[c[e]])~\(i)|"
                        }.joined())
            }
            return groups.joined(separator: "+")
        case .inputs(let nodes, let k, _, let cells):
            var p = 0
            return cells.map { name in
                name + "="
                    + (0..<nodes).map { _ in
                        (0..<k).map { _ in
                            defer { p += 2 }
                            return "\(ops[c[p + 1]])~\(c[p])"
                        }.joined(separator: ",")
                    }.joined(separator: "|")
            }.joined(separator: ";")
        case .nodes:
            return cellText(a)
        case .choices(let keys, let values, let blocks):
            return (0..<blocks).map { b in
                keys.indices.map { "\(keys[$0])=\(values[$0][c[b * keys.count + $0]])" }.joined(separator: ",")
            }.joined(separator: "|")
        }
    }

    /// Parses the text form back; errors name what is wrong and where.
    public func parse(_ s: String) throws -> DeclaredArch {
        let text = s.trimmingCharacters(in: .whitespaces)
        func index(_ name: Substring, in names: [String], _ what: String) throws -> Int {
            guard let i = names.firstIndex(of: String(name)) else {
                throw NASLibError(
                    "unknown \(what) \"\(name)\" in \"\(text)\" (the space's: \(names.joined(separator: ", ")))")
            }
            return i
        }
        switch kind {
        case .edges(let nodes):
            let groups = text.split(separator: "+", omittingEmptySubsequences: false)
            guard groups.count == nodes - 1 else {
                throw NASLibError("\"\(text)\": \(nodes - 1) groups separated by + expected, got \(groups.count)")
            }
            var codes: [Int] = []
            for (g, group) in groups.enumerated() {
                let j = g + 1
                guard group.hasPrefix("|") && group.hasSuffix("|") && group.count >= 2 else {
                    throw NASLibError("\"\(text)\": group \(j) is not of the form |op~0|op~1|")
                }
                let items = group.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                guard items.count == j else {
                    throw NASLibError("\"\(text)\": node \(j) has \(j) incoming edges, got \(items.count)")
                }
                for (i, item) in items.enumerated() {
                    let parts = item.split(separator: "~", omittingEmptySubsequences: false)
                    guard parts.count == 2, Int(parts[1]) == i else {
                        throw NASLibError("\"\(text)\": edge \(i)→\(j) must read op~\(i), got \"\(item)\"")
                    }
                    codes.append(try index(parts[0], in: ops, "op"))
                }
            }
            return DeclaredArch(self, codes)
        case .inputs(let nodes, let k, let cellInputs, let cells):
            let parts = text.split(separator: ";", omittingEmptySubsequences: false)
            guard parts.count == cells.count else {
                throw NASLibError("\"\(text)\": \(cells.count) cells separated by ; expected, got \(parts.count)")
            }
            var codes: [Int] = []
            for (name, part) in zip(cells, parts) {
                guard part.hasPrefix(name + "=") else { throw NASLibError("\"\(text)\": the cell \(name)= expected") }
                let nodeTexts = part.dropFirst(name.count + 1).split(separator: "|", omittingEmptySubsequences: false)
                guard nodeTexts.count == nodes else {
                    throw NASLibError("\"\(text)\": the \(name) cell has \(nodes) nodes, got \(nodeTexts.count)")
                }
                for (n, nodeText) in nodeTexts.enumerated() {
                    let reads = nodeText.split(separator: ",", omittingEmptySubsequences: false)
                    guard reads.count == k else {
                        throw NASLibError(
                            "\"\(text)\": node \(n) of the \(name) cell reads \(k) inputs, got \(reads.count)")
                    }
                    var seen: Set<Int> = []
                    for r in reads {
                        let p = r.split(separator: "~", omittingEmptySubsequences: false)
                        guard p.count == 2, let input = Int(p[1]) else {
                            throw NASLibError("\"\(text)\": a read is op~input, got \"\(r)\"")
                        }
                        guard input >= 0 && input < cellInputs + n else {
                            throw NASLibError(
                                "\"\(text)\": node \(n) of the \(name) cell can read 0...\(cellInputs + n - 1), got \(input)"
                            )
                        }
                        guard seen.insert(input).inserted else {
                            throw NASLibError("\"\(text)\": node \(n) of the \(name) cell reads \(input) twice")
                        }
                        codes += [input, try index(p[0], in: ops, "op")]
                    }
                }
            }
            return DeclaredArch(self, codes)
        case .nodes:
            return try parseCell(text)
        case .choices(let keys, let values, let blocks):
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == blocks else {
                throw NASLibError("\"\(text)\": \(blocks) blocks separated by | expected, got \(parts.count)")
            }
            var codes: [Int] = []
            for (b, part) in parts.enumerated() {
                let pairs = part.split(separator: ",", omittingEmptySubsequences: false)
                guard pairs.count == keys.count else {
                    throw NASLibError(
                        "\"\(text)\": block \(b + 1) has \(keys.count) key=value pairs, got \(pairs.count)")
                }
                for (i, pair) in pairs.enumerated() {
                    let kv = pair.split(separator: "=", omittingEmptySubsequences: false)
                    guard kv.count == 2, kv[0] == keys[i] else {
                        throw NASLibError(
                            "\"\(text)\": block \(b + 1) must give \(keys[i])=value next, got \"\(pair)\"")
                    }
                    codes.append(try index(kv[1], in: values[i], "value of \(keys[i])"))
                }
            }
            return DeclaredArch(self, codes)
        }
    }

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

/// A model of a declared space: its choice codes in canonical form (an `inputs` cell's reads sorted by input).
public struct DeclaredArch: Hashable, Sendable, CustomStringConvertible, GraphEncodable {
    public let space: DeclaredSpace
    public let codes: [Int]

    public init(_ space: DeclaredSpace, _ codes: [Int]) {
        precondition(codes.count == space.radix.count, "a model of this space has \(space.radix.count) codes")
        self.space = space
        if case .nodes = space.kind {
            self.codes = space.canonical(space.cell(codes)).codes
            return
        }
        guard case .inputs(_, let k, _, _) = space.kind, k > 1 else {
            self.codes = codes
            return
        }
        var canonical: [Int] = []
        for node in stride(from: 0, to: codes.count, by: 2 * k) {
            let reads = (0..<k).map { (codes[node + 2 * $0], codes[node + 2 * $0 + 1]) }.sorted { $0.0 < $1.0 }
            for (i, op) in reads { canonical += [i, op] }
        }
        self.codes = canonical
    }

    /// Codes already in canonical form.
    init(_ space: DeclaredSpace, canonicalCodes: [Int]) {
        self.space = space
        codes = canonicalCodes
    }

    public static func == (a: DeclaredArch, b: DeclaredArch) -> Bool { a.codes == b.codes && a.space == b.space }
    public func hash(into h: inout Hasher) { h.combine(codes) }

    public var description: String { space.text(self) }
    public var cellGraph: CellGraph { space.graph(self) }
}
