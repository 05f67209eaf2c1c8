/// A cell as the GCN predictors see it (seed S1.1): an adjacency matrix with a global node at
/// index 0 and self-loops, and one-hot node features
/// (conv1x1 / conv3x3 / pool, input, output, global; NB101: conv3x3 / conv1x1 / maxpool, ...).
///
/// Row = source, column = destination, as eagle builds it; the GCN multiplies A · (H W), so a
/// node aggregates over itself and its successors, and the global node over every node.
public struct CellGraph: Equatable, Sendable {
    /// Number of nodes including the global node (9 for NB201, 8 for NB101).
    public let nodes: Int
    /// nodes × nodes, row-major, 0 or 1.
    public let adjacency: [UInt8]
    /// nodes × featureCount, row-major, one-hot (all zeros for detached nodes).
    public let features: [UInt8]
    /// Feature columns (6 for NB201 and NB101, 10 for DARTS).
    public let featureCount: Int

    public init(nodes: Int, adjacency: [UInt8], features: [UInt8], featureCount: Int = 6) {
        precondition(adjacency.count == nodes * nodes, "adjacency must be \(nodes)×\(nodes)")
        precondition(features.count == nodes * featureCount, "features must be \(nodes)×\(featureCount)")
        self.nodes = nodes
        self.adjacency = adjacency
        self.features = features
        self.featureCount = featureCount
    }

    public func edge(_ from: Int, _ to: Int) -> Bool { adjacency[from * nodes + to] != 0 }

    public var adjacencyRows: [[Int]] {
        (0..<nodes).map { i in (0..<nodes).map { Int(adjacency[i * nodes + $0]) } }
    }

    public var featureRows: [[Int]] {
        (0..<nodes).map { i in (0..<featureCount).map { Int(features[i * featureCount + $0]) } }
    }
}

/// A model of a search space that the GCN predictors can read.
public protocol GraphEncodable: Hashable {
    var cellGraph: CellGraph { get }
}

extension NB201Arch: GraphEncodable {
    public var cellGraph: CellGraph { graph }
}

extension NB201Arch {
    /// The eagle graph encoding (`get_matrix_and_ops` with pruning and kept dimensions, then
    /// `get_adjacency_and_features`), which is the NB201 declaration's edge-cell encoding (`DeclaredSpace.graph`):
    /// 1. op-as-node form: input, the 6 ops (node k+1 is edge k of the vector), output;
    /// 2. in vector order, a `none` node loses all its edges; a `skip` node connects each of its
    ///    predecessors to each of its successors and then loses those edges;
    /// 3. nodes not on an input→output path are detached (rows and columns zeroed);
    /// 4. a global node 0 points at every node, and every node gets a self-loop;
    /// 5. features: conv1x1, conv3x3, avgpool, input, output, global; input and output keep
    ///    their features even when detached (as in eagle), detached ops have none.
    /// Computed once for all 15,625 models and looked up.
    public var graph: CellGraph { NB201Arch.graphs[code] }

    static let graphs: [CellGraph] = (0..<NB201Arch.count).map {
        DeclaredSpace.nb201.graph(DeclaredSpace.nb201.arch(index: $0))
    }
}

extension CellGraph {
    /// Nodes reachable from `start` along edges (or against them when `backward`).
    static func reachable(from start: Int, _ m: [[UInt8]], backward: Bool) -> [Bool] {
        let n = m.count
        var seen = [Bool](repeating: false, count: n)
        var stack = [start]
        seen[start] = true
        while let v = stack.popLast() {
            for w in 0..<n where !seen[w] && (backward ? m[w][v] : m[v][w]) != 0 {
                seen[w] = true
                stack.append(w)
            }
        }
        return seen
    }
}
