import NASLib
import Testing

/// Hand-derived eagle encodings (rows = source; global node 0; self-loops).
@Suite struct CellGraphTests {
    /// A 9×9 matrix with the global row, self-loops and the given extra edges (9-node indices).
    static func adjacency(_ edges: [(Int, Int)]) -> [[Int]] {
        var m = [[Int]](repeating: [Int](repeating: 0, count: 9), count: 9)
        for j in 1..<9 { m[0][j] = 1 }
        for i in 0..<9 { m[i][i] = 1 }
        for (a, b) in edges { m[a][b] = 1 }
        return m
    }

    /// Features: global, input, output, plus op columns (0 conv1x1, 1 conv3x3, 2 avgpool) by row.
    static func features(_ ops: [Int: Int]) -> [[Int]] {
        var f = [[Int]](repeating: [Int](repeating: 0, count: 6), count: 9)
        f[0][5] = 1
        f[1][3] = 1
        f[8][4] = 1
        for (row, col) in ops { f[row][col] = 1 }
        return f
    }

    func check(_ vector: [Int], _ edges: [(Int, Int)], _ ops: [Int: Int]) throws {
        let g = try NB201Arch(vector: vector).graph
        #expect(g.adjacencyRows == Self.adjacency(edges), "adjacency of \(vector)")
        #expect(g.featureRows == Self.features(ops), "features of \(vector)")
    }

    @Test func allNone() throws { try check([0, 0, 0, 0, 0, 0], [], [:]) }

    /// Every skip folds into its neighbours: only input→output remains.
    @Test func allSkip() throws { try check([1, 1, 1, 1, 1, 1], [(1, 8)], [:]) }

    @Test func allConv3x3() throws {
        let edges = [(1, 2), (1, 3), (1, 5), (2, 4), (2, 6), (3, 7), (4, 7), (5, 8), (6, 8), (7, 8)]
        try check([3, 3, 3, 3, 3, 3], edges, [2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1])
    }

    /// No edge into the output: everything is detached; input and output keep their features (as eagle).
    @Test func disconnectedOutput() throws { try check([3, 3, 3, 0, 0, 0], [], [:]) }

    /// e01, e12, e23 skips with the rest none: a chain that collapses into input→output.
    @Test func skipChain() throws { try check([1, 0, 1, 0, 0, 1], [(1, 8)], [:]) }

    /// Index 0: e01 avgpool, e02 and e03 conv1x1, the rest skips that reroute to the output.
    @Test func indexZero() throws {
        try check([4, 2, 1, 2, 1, 1], [(1, 2), (1, 3), (1, 5), (2, 8), (3, 8), (5, 8)], [2: 2, 3: 0, 5: 0])
    }

    @Test func conv1x1ThroughADanglingBranch() throws {
        // e01 conv1x1 feeds only e12 and e13, which are none: node 1 dangles and is detached.
        try check([2, 3, 0, 0, 0, 3], [(1, 3), (3, 7), (7, 8)], [3: 1, 7: 1])
    }
}
