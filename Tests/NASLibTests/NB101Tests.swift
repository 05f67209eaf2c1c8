import NASLib
import Testing

@Suite struct NB101Tests {
    let ops: [NB101Cell.Op] = [.input, .conv3x3, .maxpool, .conv1x1, .output]

    @Test func prunesNodesOffThePath() throws {
        // Node 2 (maxpool) has no way to the output: it is pruned.
        let m = [[0, 1, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 0]]
        let c = try NB101Cell(adjacency: m, ops: ops)
        #expect(c.ops == [.input, .conv3x3, .conv1x1, .output])
        #expect(c.adjacency == [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]])
    }

    @Test func encodingPadsBeforeTheOutput() throws {
        let c = try NB101Cell(adjacency: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv3x3, .output])
        let g = c.graph
        #expect(g.nodes == 8)
        var a = [[Int]](repeating: [Int](repeating: 0, count: 8), count: 8)
        for j in 1..<8 { a[0][j] = 1 }
        for i in 0..<8 { a[i][i] = 1 }
        a[1][2] = 1  // input -> conv
        a[2][7] = 1  // conv -> output (moved to the last slot by padding)
        #expect(g.adjacencyRows == a)
        #expect(g.featureRows[0] == [0, 0, 0, 0, 0, 1])
        #expect(g.featureRows[1] == [0, 0, 0, 1, 0, 0])
        #expect(g.featureRows[2] == [1, 0, 0, 0, 0, 0])
        #expect(g.featureRows[3] == [0, 0, 0, 0, 0, 0])
        #expect(g.featureRows[7] == [0, 0, 0, 0, 1, 0])
    }

    /// Metrics of exactly 0 or 1 are numbers (on Linux `is Bool` holds for them); JSON booleans are refused.
    @Test func metricsOfZeroAndOneAreNumbers() throws {
        let d = try NB101Dataset.parse(
            #"{"adjacency": [[0,1],[0,0]], "ops": ["input", "output"], "metrics": {"epochs": 1, "loss": 0}}"#,
            name: "m.jsonl")
        #expect(d.models[0].metrics == ["epochs": 1, "loss": 0])
        #expect(throws: NASLibError.self) {
            _ = try NB101Dataset.parse(
                #"{"adjacency": [[0,1],[0,0]], "ops": ["input", "output"], "metrics": {"ok": true}}"#, name: "b.jsonl")
        }
    }

    @Test func invalidCells() {
        #expect(throws: NASLibError.self) { try NB101Cell(adjacency: [[0, 1], [1, 0]], ops: [.input, .output]) }
        #expect(throws: NASLibError.self) { try NB101Cell(adjacency: [[0, 0], [0, 0]], ops: [.input, .output]) }
        #expect(throws: NASLibError.self) { try NB101Cell(adjacency: [[0, 1], [0, 0]], ops: [.conv1x1, .output]) }
        let eight = [[Int]](repeating: [Int](repeating: 0, count: 8), count: 8)
        #expect(throws: NASLibError.self) {
            try NB101Cell(adjacency: eight, ops: [NB101Cell.Op](repeating: .conv3x3, count: 8))
        }
        // 10 edges among 7 nodes.
        var dense = [[Int]](repeating: [Int](repeating: 0, count: 7), count: 7)
        var n = 0
        for i in 0..<7 {
            for j in (i + 1)..<7 where n < 10 {
                dense[i][j] = 1
                n += 1
            }
        }
        #expect(throws: NASLibError.self) {
            try NB101Cell(adjacency: dense, ops: [.input, .conv3x3, .conv3x3, .conv3x3, .conv3x3, .conv3x3, .output])
        }
    }

    @Test func jsonLinesFormat() throws {
        let text = """
            # two hand-made cells
            {"adjacency": [[0,1,0],[0,0,1],[0,0,0]], "ops": ["input", "conv3x3", "output"], "metrics": {"accuracy": 91.5}}

            {"adjacency": [[0,1],[0,0]], "ops": ["input", "output"], "metrics": {"latency_ms": 1.25}}
            """
        let d = try NB101Dataset.parse(text, name: "cells.jsonl")
        #expect(d.models.count == 2)
        #expect(d.models[0].metrics["accuracy"] == 91.5)
        #expect(d.models[0].line == 2)
        #expect(d.models[1].cell.ops == [.input, .output])
        do {
            _ = try NB101Dataset.parse(
                "{\"adjacency\": [[0,1],[0,0]], \"ops\": [\"input\", \"conv5x5\"]}", name: "bad.jsonl")
            Issue.record("expected an error")
        } catch let e as NASLibError {
            #expect(e.message.hasPrefix("bad.jsonl:1: unknown NB101 op 'conv5x5'"))
        }
        #expect(throws: NASLibError.self) { try NB101Dataset.parse("{\"ops\": []}", name: "x") }
        #expect(throws: NASLibError.self) { try NB101Dataset.parse("not json", name: "x") }
    }
}

/// NAS-Bench-101 specs for searches: random and mutated specs are valid (the pruned cell exists, ≤ 7 nodes, ≤ 9
/// edges), the same seed gives the same specs, and the limit applies after pruning as NAS-Bench-101's is_valid.
@Suite struct NB101SpecTests {
    @Test func randomAndMutatedSpecsAreValid() throws {
        func draw(_ seed: Int) -> [NB101Spec] {
            var rng = SeededRandom(seed: seed)
            return (0..<1000).flatMap { _ in
                let s = NB101Spec.random(&rng)
                return [s, s.mutated(&rng)]
            }
        }
        let specs = draw(3)
        #expect(specs == draw(3))
        var changed = 0
        for pair in stride(from: 0, to: specs.count, by: 2) {
            let (s, m) = (specs[pair], specs[pair + 1])
            for spec in [s, m] {
                let cell = try #require(spec.cell)
                #expect(cell.ops.count <= 7 && cell.adjacency.joined().reduce(0, +) <= 9)
            }
            if m != s { changed += 1 }
        }
        #expect(changed > 600)  // a mutation may redraw nothing (each flip has probability 1/7 or 1/5)
    }

    @Test func edgeLimitAppliesAfterPruningForSpecs() throws {
        // 10 edges, of which the 2 into and out of the dangling node 5 are pruned (it reaches no output).
        var m = [[Int]](repeating: [Int](repeating: 0, count: 7), count: 7)
        for (a, b) in [(0, 1), (0, 2), (0, 3), (0, 4), (1, 6), (2, 6), (3, 6), (4, 6), (0, 5), (1, 5)] { m[a][b] = 1 }
        let ops: [NB101Cell.Op] = [.input, .conv3x3, .conv1x1, .maxpool, .conv3x3, .conv1x1, .output]
        #expect(throws: NASLibError.self) { try NB101Cell(adjacency: m, ops: ops) }
        let pruned = try NB101Cell(adjacency: m, ops: ops, limitAfterPruning: true)
        #expect(pruned.ops.count == 6 && pruned.adjacency.joined().reduce(0, +) == 8)
    }
}
