/// A NAS-Bench-201 cell: the ops on its 6 edges, in the order e01, e02, e12, e03, e13, e23
/// (node i -> node j), which is both the arch-string order and the LatBench/eagle vector order.
///
/// The canonical identity is `code`, the base-5 number with e01 as the lowest digit
/// (0..<15625). The official NB201 index is a different order that only the benchmark files
/// define; `NB201Space` maps between the two.
public struct NB201Arch: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let edgeCount = 6
    public static let count = 15625
    /// (from, to) node pairs of the edges, in vector order.
    public static let edges: [(Int, Int)] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]
    /// Where each edge of the vector order sits in the NASLib tuple order (e01, e02, e03, e12, e13, e23).
    static let naslibPosition = [0, 1, 3, 2, 4, 5]

    public let code: Int

    public init(code: Int) {
        precondition(code >= 0 && code < NB201Arch.count, "NB201 arch code \(code) out of 0..<15625")
        self.code = code
    }

    public init(ops: [NB201Op]) {
        precondition(ops.count == 6, "an NB201 arch has 6 ops, got \(ops.count)")
        var c = 0
        for op in ops.reversed() { c = c * 5 + op.rawValue }
        self.code = c
    }

    public var ops: [NB201Op] {
        var c = code
        return (0..<6).map { _ in
            defer { c /= 5 }
            return NB201Op(rawValue: c % 5)!
        }
    }

    public func op(_ edge: Int) -> NB201Op {
        var c = code
        for _ in 0..<edge { c /= 5 }
        return NB201Op(rawValue: c % 5)!
    }

    /// The LatBench/eagle vector: op codes 0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avgpool.
    public var vector: [Int] { ops.map(\.rawValue) }

    public init(vector: [Int]) throws {
        guard vector.count == 6 else {
            throw NASLibError("an NB201 LatBench vector has 6 op codes, got \(vector.count)")
        }
        var ops: [NB201Op] = []
        for (i, v) in vector.enumerated() {
            guard let op = NB201Op(rawValue: v) else {
                throw NASLibError(
                    "LatBench op code \(v) at position \(i) is not 0...4 (none, skip, conv1x1, conv3x3, avgpool)")
            }
            ops.append(op)
        }
        self.init(ops: ops)
    }

    /// The NASLib tuple: edges (e01, e02, e03, e12, e13, e23), codes 0 skip, 1 none, 2 conv3x3,
    /// 3 conv1x1, 4 avgpool.
    public var naslib: [Int] {
        var t = [Int](repeating: 0, count: 6)
        for (i, op) in ops.enumerated() { t[NB201Arch.naslibPosition[i]] = op.naslibCode }
        return t
    }

    public init(naslib: [Int]) throws {
        guard naslib.count == 6 else { throw NASLibError("a NASLib NB201 tuple has 6 op codes, got \(naslib.count)") }
        var ops: [NB201Op] = []
        for i in 0..<6 {
            let v = naslib[NB201Arch.naslibPosition[i]]
            guard let op = NB201Op(naslibCode: v) else {
                throw NASLibError("NASLib op code \(v) is not 0...4 (skip, none, conv3x3, conv1x1, avgpool)")
            }
            ops.append(op)
        }
        self.init(ops: ops)
    }

    /// `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
    public var string: String {
        let o = ops.map(\.name)
        return "|\(o[0])~0|+|\(o[1])~0|\(o[2])~1|+|\(o[3])~0|\(o[4])~1|\(o[5])~2|"
    }

    public var description: String { string }

    /// Parses an arch string; every node's inputs must be listed in order (`~0`, `~1`, ...).
    public init(string: String) throws {
        let nodes = string.split(separator: "+", omittingEmptySubsequences: false)
        guard nodes.count == 3 else {
            throw NASLibError(
                "an NB201 arch string has 3 nodes separated by '+', got \(nodes.count): \(Printable.escaped(string))")
        }
        var ops: [NB201Op] = []
        for (n, node) in nodes.enumerated() {
            guard node.hasPrefix("|"), node.hasSuffix("|"), node.count >= 2 else {
                throw NASLibError(
                    "node \(n + 1) of the arch string must be written |op~i|...|, got '\(Printable.escaped(String(node)))'"
                )
            }
            let items = node.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
            guard items.count == n + 1 else {
                throw NASLibError(
                    "node \(n + 1) of the arch string has \(n + 1) inputs, got \(items.count) in '\(Printable.escaped(String(node)))'"
                )
            }
            for (i, item) in items.enumerated() {
                let parts = item.split(separator: "~", omittingEmptySubsequences: false)
                guard parts.count == 2, Int(parts[1]) == i else {
                    throw NASLibError("edge '\(Printable.escaped(String(item)))' of node \(n + 1) must be op~\(i)")
                }
                guard let op = NB201Op(name: String(parts[0])) else {
                    let names = NB201Op.allCases.map(\.name).joined(separator: ", ")
                    throw NASLibError("unknown NB201 op '\(Printable.escaped(String(parts[0])))' (ops: \(names))")
                }
                ops.append(op)
            }
        }
        self.init(ops: ops)
    }

    /// Whether the output node is reachable from the input through non-`none` edges
    /// (LatBench measured exactly these 15284 archs).
    public var connected: Bool {
        var reach = [true, false, false, false]
        for (e, (a, b)) in NB201Arch.edges.enumerated() where op(e) != .none && reach[a] {
            reach[b] = true
        }
        return reach[3]
    }

    /// NAS-Bench-201's isomorphism key (its `to_unique_str(consider_zero=True)`): archs with
    /// the same key compute the same function. 6466 classes over the 15625 archs.
    public var uniqueString: String {
        var nodes = ["0"]
        var e = 0
        for j in 1...3 {
            var parts: [String] = []
            for i in 0..<j {
                let op = self.op(e)
                e += 1
                switch op {
                case .none: parts.append("#")
                case _ where nodes[i] == "#": parts.append("#")
                case .skip: parts.append(nodes[i])
                default: parts.append("(\(nodes[i]))@\(op.name)")
                }
            }
            nodes.append(parts.sorted().joined(separator: "+"))
        }
        return nodes[3]
    }

    /// All archs that differ in exactly one edge's op (6 × 4 = 24), in code order.
    public var neighbors: [NB201Arch] {
        var out: [NB201Arch] = []
        var place = 1
        for e in 0..<6 {
            let current = op(e).rawValue
            for v in 0..<5 where v != current {
                out.append(NB201Arch(code: code + (v - current) * place))
            }
            place *= 5
        }
        return out.sorted()
    }

    public static func < (a: NB201Arch, b: NB201Arch) -> Bool { a.code < b.code }

    /// Every arch, in code order.
    public static var all: [NB201Arch] { (0..<count).map(NB201Arch.init(code:)) }

    /// A uniformly random arch.
    public static func random(_ rng: inout SeededRandom) -> NB201Arch { NB201Arch(code: rng.int(below: count)) }
}
