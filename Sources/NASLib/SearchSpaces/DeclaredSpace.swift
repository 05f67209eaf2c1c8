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
