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
    /// `get_adjacency_and_features`):
    /// 1. op-as-node form: input, the 6 ops (node k+1 is edge k of the vector), output;
    /// 2. in vector order, a `none` node loses all its edges; a `skip` node connects each of its
    ///    predecessors to each of its successors and then loses those edges;
    /// 3. nodes not on an input→output path are detached (rows and columns zeroed);
    /// 4. a global node 0 points at every node, and every node gets a self-loop;
    /// 5. features: conv1x1, conv3x3, avgpool, input, output, global; input and output keep
    ///    their features even when detached (as in eagle), detached ops have none.
    public var graph: CellGraph {
        var m = [[UInt8]](repeating: [UInt8](repeating: 0, count: 8), count: 8)
        for (a, b) in [(0, 1), (0, 2), (0, 4), (1, 3), (1, 5), (2, 6), (3, 6), (4, 7), (5, 7), (6, 7)] { m[a][b] = 1 }
        var labels: [NB201Op?] = [nil, nil, nil, nil, nil, nil, nil, nil]
        for (k, op) in ops.enumerated() {
            let node = k + 1
            switch op {
            case .none:
                for other in 0..<8 {
                    m[other][node] = 0
                    m[node][other] = 0
                }
            case .skip:
                var removed: [Int] = []
                for other in 0..<8 where m[other][node] != 0 {
                    for next in 0..<8 where m[node][next] != 0 {
                        m[other][next] = 1
                        m[other][node] = 0
                        removed.append(next)
                    }
                }
                for next in removed { m[node][next] = 0 }
            case .conv1x1, .conv3x3, .avgpool:
                labels[node] = op
            }
        }
        let forward = CellGraph.reachable(from: 0, m, backward: false)
        let backward = CellGraph.reachable(from: 7, m, backward: true)
        for v in 0..<8 where !(forward[v] && backward[v]) {
            labels[v] = nil
            for other in 0..<8 {
                m[v][other] = 0
                m[other][v] = 0
            }
        }
        var adjacency = [UInt8](repeating: 0, count: 81)
        for j in 1..<9 { adjacency[j] = 1 }
        for i in 0..<8 { for j in 0..<8 { adjacency[(i + 1) * 9 + j + 1] = m[i][j] } }
        for i in 0..<9 { adjacency[i * 9 + i] = 1 }
        var features = [UInt8](repeating: 0, count: 54)
        features[0 * 6 + 5] = 1
        features[1 * 6 + 3] = 1
        features[8 * 6 + 4] = 1
        for (v, label) in labels.enumerated() {
            guard let op = label else { continue }
            features[(v + 1) * 6 + (op.rawValue - 2)] = 1
        }
        return CellGraph(nodes: 9, adjacency: adjacency, features: features)
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
