/// A DARTS architecture (Liu et al. 2019; the BRP-NAS supplement, S3.4): a normal and a reduction cell, each with
/// two input nodes (0: the cell before the previous one, 1: the previous cell) and four intermediate nodes 2...5;
/// intermediate node k takes two edges, each an operation applied to one of the nodes before it (two different
/// ones), and the cell outputs the concatenation of nodes 2...5.
///
/// Printed and parsed in the DARTS code's own form, `Genotype(normal=[('sep_conv_3x3', 0), ...],
/// normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])`, so a genotype goes straight into the
/// usual DARTS training scripts.
public struct DartsGenotype: Hashable, Sendable, CustomStringConvertible {
    /// The operations of a final DARTS genotype: DARTS's primitives without `none`, which a derived genotype never
    /// holds (eagle's random DARTS models draw from the same seven).
    public enum Op: String, CaseIterable, Sendable {
        case maxPool3x3 = "max_pool_3x3"
        case avgPool3x3 = "avg_pool_3x3"
        case skipConnect = "skip_connect"
        case sepConv3x3 = "sep_conv_3x3"
        case sepConv5x5 = "sep_conv_5x5"
        case dilConv3x3 = "dil_conv_3x3"
        case dilConv5x5 = "dil_conv_5x5"
    }

    /// One edge: an op and the node it reads.
    public struct Edge: Hashable, Sendable {
        public let op: Op
        public let input: Int

        public init(_ op: Op, _ input: Int) {
            self.op = op
            self.input = input
        }
    }

    public static let intermediateNodes = 4
    public static let concat = [2, 3, 4, 5]

    /// 8 edges per cell: node 2's two, then node 3's, ...
    public let normal: [Edge]
    public let reduce: [Edge]

    public init(normal: [Edge], reduce: [Edge]) throws {
        try Self.check(normal, "normal")
        try Self.check(reduce, "reduce")
        self.normal = normal
        self.reduce = reduce
    }

    static func check(_ cell: [Edge], _ name: String) throws {
        guard cell.count == 2 * intermediateNodes else {
            throw NASLibError(
                "the \(name) cell has \(cell.count) edges; a DARTS cell has 8 (two per intermediate node)")
        }
        for node in 0..<intermediateNodes {
            let (a, b) = (cell[2 * node], cell[2 * node + 1])
            for e in [a, b] where !(0..<(node + 2)).contains(e.input) {
                throw NASLibError(
                    "the \(name) cell's node \(node + 2) reads node \(e.input); it can read nodes 0...\(node + 1)")
            }
            guard a.input != b.input else {
                throw NASLibError(
                    "the \(name) cell's node \(node + 2) reads node \(a.input) twice; its two edges come from two different nodes"
                )
            }
        }
    }

    public var description: String {
        func cell(_ edges: [Edge]) -> String {
            "[" + edges.map { "('\($0.op.rawValue)', \($0.input))" }.joined(separator: ", ") + "]"
        }
        let concat = "[" + Self.concat.map(String.init).joined(separator: ", ") + "]"
        return
            "Genotype(normal=\(cell(normal)), normal_concat=\(concat), reduce=\(cell(reduce)), reduce_concat=\(concat))"
    }

    /// A random genotype as eagle draws one: every op uniform over the seven, each node's two inputs two different
    /// nodes before it, uniformly.
    public static func random(_ rng: inout SeededRandom) -> DartsGenotype {
        func cell() -> [Edge] {
            var edges: [Edge] = []
            for node in 0..<intermediateNodes {
                let inputs = rng.sample(Array(0..<(node + 2)), 2)
                for i in inputs { edges.append(Edge(Op.allCases[rng.int(below: Op.allCases.count)], i)) }
            }
            return edges
        }
        let n = cell()
        let r = cell()
        return try! DartsGenotype(normal: n, reduce: r)  // valid by construction
    }

    /// One mutation, as aging evolution uses it: in a uniformly chosen cell and edge, either the op becomes another
    /// op or the input becomes another node the edge may read (never the node its sibling edge reads); each half
    /// the time, falling back to an op change when no other input exists (node 2 reads 0 and 1).
    public func mutated(_ rng: inout SeededRandom) -> DartsGenotype {
        var cells = [normal, reduce]
        let c = rng.int(below: 2)
        let e = rng.int(below: 2 * Self.intermediateNodes)
        let node = e / 2
        let sibling = cells[c][e ^ 1].input
        let edge = cells[c][e]
        let inputs = (0..<(node + 2)).filter { $0 != edge.input && $0 != sibling }
        if rng.int(below: 2) == 0 || inputs.isEmpty {
            let ops = Op.allCases.filter { $0 != edge.op }
            cells[c][e] = Edge(ops[rng.int(below: ops.count)], edge.input)
        } else {
            cells[c][e] = Edge(edge.op, inputs[rng.int(below: inputs.count)])
        }
        return try! DartsGenotype(normal: cells[0], reduce: cells[1])  // valid by construction
    }
}

extension DartsGenotype {
    /// Parses the DARTS code's printed form (`normal_concat` may also read `range(2, 6)`); errors say what is wrong.
    public init(string: String) throws {
        func cell(_ key: String) throws -> [Edge] {
            guard let start = string.range(of: "\(key)=[") else { throw NASLibError("no \(key)=[...] in the genotype") }
            guard let end = string[start.upperBound...].firstIndex(of: "]") else {
                throw NASLibError("\(key)=[ is not closed")
            }
            let body = string[start.upperBound..<end]
            var edges: [Edge] = []
            for part in body.split(separator: ")") {
                let t = part.drop { $0 == "," || $0 == " " || $0 == "\n" }
                guard t.hasPrefix("(") else {
                    if t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                    throw NASLibError("\(key): expected ('op', input), found \(Printable.escaped(String(t)))")
                }
                let fields = t.dropFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard fields.count == 2, fields[0].count >= 2, let q = fields[0].first, q == "'" || q == "\"",
                    fields[0].last == q
                else {
                    throw NASLibError("\(key): expected ('op', input), found \(Printable.escaped(String(t)))")
                }
                let name = String(fields[0].dropFirst().dropLast())
                guard let op = Op(rawValue: name) else {
                    let hint = name == "none" ? " (a derived DARTS genotype has no none edges)" : ""
                    throw NASLibError(
                        "\(key): unknown op '\(name)'\(hint); DARTS ops: \(Op.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                guard let input = Int(fields[1]) else {
                    throw NASLibError("\(key): input \(Printable.escaped(fields[1])) is not a node number")
                }
                edges.append(Edge(op, input))
            }
            return edges
        }
        for key in ["normal_concat", "reduce_concat"] {
            guard let r = string.range(of: "\(key)=") else { continue }
            let rest = string[r.upperBound...].replacingOccurrences(of: " ", with: "")
            guard rest.hasPrefix("[2,3,4,5]") || rest.hasPrefix("range(2,6)") else {
                throw NASLibError("\(key): brpsh's DARTS cells concatenate nodes 2...5 (the DARTS code's concat)")
            }
        }
        try self.init(normal: try cell("normal"), reduce: try cell("reduce"))
    }

    /// The graph the GCN predictors see (eagle's `get_matrix_and_ops` with pruning, then
    /// `get_adjacency_and_features`), the DARTS declaration's (`DeclaredSpace.darts`, reads in the genotype's order):
    /// per cell, two input nodes, then per intermediate node a node per op and an addition node, then an output node
    /// (the normal cell's nodes first, then the reduction cell's, unconnected to each other); a skip-connect node
    /// passes its edges through (each predecessor to each successor) and is left detached and without features; a
    /// global node 0 points at every node; every node has a self-loop. Features are one-hot over max_pool_3x3,
    /// avg_pool_3x3, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5, addition, input, output, global (eagle's
    /// labels 2...11). Row = source, as for NB201.
    public var graph: (nodes: Int, adjacency: [[UInt8]], features: [[UInt8]]) {
        let g = cellGraph
        return (g.nodes, g.adjacencyRows.map { $0.map(UInt8.init) }, g.featureRows.map { $0.map(UInt8.init) })
    }
}

extension DartsGenotype: GraphEncodable {
    /// The graph encoding as the GCN predictors read it (31 nodes, 10 features).
    public var cellGraph: CellGraph {
        let space = DeclaredSpace.darts
        let codes = (normal + reduce).flatMap { [$0.input, space.ops.firstIndex(of: $0.op.rawValue)!] }
        return space.inputsGraph(codes)
    }
}
