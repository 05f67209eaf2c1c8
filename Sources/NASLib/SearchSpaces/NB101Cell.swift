/// A NAS-Bench-101 cell: a DAG of at most 7 nodes (input, up to 5 ops, output) with at most
/// 9 edges, given by an upper-triangular adjacency matrix and one op per node.
public struct NB101Cell: Hashable, Sendable {
    public enum Op: String, CaseIterable, Sendable {
        case input
        case conv3x3 = "conv3x3-bn-relu"
        case conv1x1 = "conv1x1-bn-relu"
        case maxpool = "maxpool3x3"
        case output

        /// Accepts NAS-Bench-101's names and the short ones (`conv3x3`, `conv1x1`, `maxpool`).
        public init?(name: String) {
            switch name {
            case "input": self = .input
            case "output": self = .output
            case "conv3x3-bn-relu", "conv3x3": self = .conv3x3
            case "conv1x1-bn-relu", "conv1x1": self = .conv1x1
            case "maxpool3x3", "maxpool": self = .maxpool
            default: return nil
            }
        }
    }

    public static let maxNodes = 7
    public static let maxEdges = 9

    /// The cell after pruning: n × n, row = source.
    public let adjacency: [[Int]]
    public let ops: [Op]

    /// Checks a cell and prunes the nodes that are not on an input→output path (as
    /// NAS-Bench-101 does). Errors say which rule the cell breaks.
    /// `limitAfterPruning`: count the edges of the pruned cell against the limit (NAS-Bench-101's `is_valid`, for
    /// unpruned search specs) instead of the cell as given.
    public init(adjacency: [[Int]], ops: [Op], limitAfterPruning: Bool = false) throws {
        let n = adjacency.count
        guard n >= 2 && n <= NB101Cell.maxNodes else {
            throw NASLibError("an NB101 cell has 2 to 7 nodes, got \(n)")
        }
        guard adjacency.allSatisfy({ $0.count == n }) else {
            throw NASLibError("the NB101 adjacency must be square (\(n)×\(n))")
        }
        guard ops.count == n else {
            throw NASLibError("an NB101 cell with \(n) nodes needs \(n) ops, got \(ops.count)")
        }
        guard ops.first == .input, ops.last == .output else {
            throw NASLibError("an NB101 cell's first op must be input and its last output")
        }
        if let bad = ops.dropFirst().dropLast().first(where: { $0 == .input || $0 == .output }) {
            throw NASLibError("'\(bad.rawValue)' may only be the first or last op of an NB101 cell")
        }
        var edges = 0
        for i in 0..<n {
            for j in 0..<n {
                let v = adjacency[i][j]
                guard v == 0 || v == 1 else {
                    throw NASLibError("NB101 adjacency entries are 0 or 1, got \(v) at [\(i)][\(j)]")
                }
                if v == 1 {
                    guard j > i else {
                        throw NASLibError(
                            "the NB101 adjacency must be strictly upper-triangular (a DAG): edge \(i)→\(j)")
                    }
                    edges += 1
                }
            }
        }
        guard limitAfterPruning || edges <= NB101Cell.maxEdges else {
            throw NASLibError("an NB101 cell has at most 9 edges, got \(edges)")
        }
        let m = adjacency.map { $0.map(UInt8.init) }
        let forward = CellGraph.reachable(from: 0, m, backward: false)
        let backward = CellGraph.reachable(from: n - 1, m, backward: true)
        guard forward[n - 1] else { throw NASLibError("the NB101 cell's output is not reachable from its input") }
        let keep = (0..<n).filter { forward[$0] && backward[$0] }
        self.adjacency = keep.map { i in keep.map { adjacency[i][$0] } }
        self.ops = keep.map { ops[$0] }
        let kept = self.adjacency.reduce(0) { $0 + $1.reduce(0, +) }
        guard kept <= NB101Cell.maxEdges else {
            throw NASLibError("an NB101 cell has at most 9 edges, got \(kept) after pruning")
        }
    }

    /// The 8-node encoding (seed S1.1), the NB101 declaration's (`DeclaredSpace.nb101`): nodes padded to 7 before
    /// the output (as eagle pads), a global node 0 pointing at all 7, self-loops; features conv3x3, conv1x1, maxpool,
    /// input, output, global (padding nodes have none).
    public var graph: CellGraph {
        let space = DeclaredSpace.nb101
        return space.cellGraph(
            DeclaredSpace.LabelledCell(
                n: adjacency.count, adjacency: adjacency.map { $0.map { $0 != 0 } },
                ops: ops.dropFirst().dropLast().map { op in space.ops.firstIndex(of: op.rawValue)! }))
    }
}

extension NB101Cell: GraphEncodable, CustomStringConvertible {
    public var cellGraph: CellGraph { graph }

    /// The cell as one line of the NB101 JSON-lines format without metrics (what `{arch}` becomes for an NB101
    /// search): `{"adjacency": [[0,1,...],...], "ops": ["input", "conv3x3-bn-relu", ..., "output"]}`.
    public var description: String {
        let rows = adjacency.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",")
        return "{\"adjacency\": [\(rows)], \"ops\": [" + ops.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]}"
    }
}
