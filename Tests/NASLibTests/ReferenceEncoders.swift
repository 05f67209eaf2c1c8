@testable import NASLib

// The encoders NB201Arch, NB101Cell and DartsGenotype had before their encodings became the built-in declarations'
// (DeclaredSpace.nb201, .nb101, .darts): eagle's steps written out for each space alone. Kept as references that the
// declarations' general encoders must match model for model (DeclaredSpaceTests).

extension NB201Arch {
    var referenceGraph: CellGraph {
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

extension NB101Cell {
    var referenceGraph: CellGraph {
        var m = adjacency
        var labels: [Op?] = ops
        while labels.count < 7 {
            labels.insert(nil, at: labels.count - 1)
            for r in 0..<m.count { m[r].insert(0, at: m[r].count - 1) }
            m.insert([Int](repeating: 0, count: m[0].count), at: m.count - 1)
        }
        var adjacency = [UInt8](repeating: 0, count: 64)
        for j in 1..<8 { adjacency[j] = 1 }
        for i in 0..<7 { for j in 0..<7 { adjacency[(i + 1) * 8 + j + 1] = UInt8(m[i][j]) } }
        for i in 0..<8 { adjacency[i * 8 + i] = 1 }
        var features = [UInt8](repeating: 0, count: 48)
        features[5] = 1
        for (v, label) in labels.enumerated() {
            guard let op = label else { continue }
            let column: Int
            switch op {
            case .conv3x3: column = 0
            case .conv1x1: column = 1
            case .maxpool: column = 2
            case .input: column = 3
            case .output: column = 4
            }
            features[(v + 1) * 6 + column] = 1
        }
        return CellGraph(nodes: 8, adjacency: adjacency, features: features)
    }
}

extension DartsGenotype {
    var referenceGraph: (nodes: Int, adjacency: [[UInt8]], features: [[UInt8]]) {
        // eagle's labels: skip 1, the pools and convs 2...7 in Op order minus skip, addition 8, input 9, output 10.
        func label(_ op: Op) -> Int {
            switch op {
            case .skipConnect: return 1
            case .maxPool3x3: return 2
            case .avgPool3x3: return 3
            case .sepConv3x3: return 4
            case .sepConv5x5: return 5
            case .dilConv3x3: return 6
            case .dilConv5x5: return 7
            }
        }
        var labels: [Int?] = []
        var edges = Set<[Int]>()
        for edgesOfCell in [normal, reduce] {
            let shift = labels.count
            labels += [9, 9]
            var outputOf: [Int: Int] = [0: shift, 1: shift + 1]
            for node in 0..<Self.intermediateNodes {
                var ops: [Int] = []
                for e in edgesOfCell[(2 * node)..<(2 * node + 2)] {
                    labels.append(label(e.op))
                    edges.insert([outputOf[e.input]!, labels.count - 1])
                    ops.append(labels.count - 1)
                }
                labels.append(8)
                for o in ops { edges.insert([o, labels.count - 1]) }
                outputOf[node + 2] = labels.count - 1
            }
            labels.append(10)
            for k in Self.concat { edges.insert([outputOf[k]!, labels.count - 1]) }
        }
        // Pruning, in node order: a skip node's predecessors connect to its successors, and it loses its edges.
        for n in labels.indices where labels[n] == 1 {
            let preds = edges.filter { $0[1] == n }.map { $0[0] }
            let succs = edges.filter { $0[0] == n }.map { $0[1] }
            for p in preds { for s in succs { edges.insert([p, s]) } }
            edges = edges.filter { $0[0] != n && $0[1] != n }
            labels[n] = nil
        }
        let count = labels.count + 1
        var adjacency = [[UInt8]](repeating: [UInt8](repeating: 0, count: count), count: count)
        for e in edges { adjacency[e[0] + 1][e[1] + 1] = 1 }
        for i in 1..<count { adjacency[0][i] = 1 }
        for i in 0..<count { adjacency[i][i] = 1 }
        var features = [[UInt8]](repeating: [UInt8](repeating: 0, count: 10), count: count)
        features[0][9] = 1
        for (i, l) in labels.enumerated() { if let l { features[i + 1][l - 2] = 1 } }
        return (count, adjacency, features)
    }
}
