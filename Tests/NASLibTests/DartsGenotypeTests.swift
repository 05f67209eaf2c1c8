import NASLib
import Testing

/// The DARTS space: the DARTS code's printed genotype form both ways, bad genotypes rejected with the reason, random
/// genotypes and mutations always valid, and the GCN graph encoding against eagle's own on DARTS-V2.
@Suite struct DartsGenotypeTests {
    /// DARTS-V2 from the DARTS paper (its genotypes.py), as the DARTS code prints it.
    static let dartsV2 =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])"

    @Test func printsAndParsesTheDartsForm() throws {
        let g = try DartsGenotype(string: Self.dartsV2)
        #expect(g.description == Self.dartsV2)
        #expect(g.normal[7] == DartsGenotype.Edge(.dilConv3x3, 2) && g.reduce[0] == DartsGenotype.Edge(.maxPool3x3, 0))
        let ranged = Self.dartsV2.replacingOccurrences(
            of: "normal_concat=[2, 3, 4, 5]", with: "normal_concat=range(2, 6)")
        #expect(try DartsGenotype(string: ranged) == g)
    }

    @Test(arguments: [
        ("('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)", "has 3 edges"),
        ("('none', 0)", "unknown op 'none' (a derived DARTS genotype has no none edges)"),
        ("('conv_7x7', 0)", "unknown op 'conv_7x7'"),
    ])
    func badCellsAreRejected(cell: String, message: String) {
        let text = Self.dartsV2.replacingOccurrences(
            of:
                "('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)",
            with: cell)
        #expect { _ = try DartsGenotype(string: text) } throws: {
            ($0 as? NASLibError)?.message.contains(message) == true
        }
    }

    @Test func inputsMustBeEarlierAndDistinct() {
        var edges = (0..<8).map { DartsGenotype.Edge(.sepConv3x3, $0 % 2) }
        #expect(throws: Never.self) { try DartsGenotype(normal: edges, reduce: edges) }
        edges[1] = DartsGenotype.Edge(.sepConv3x3, 2)  // node 2 cannot read itself
        #expect { _ = try DartsGenotype(normal: edges, reduce: edges) } throws: {
            ($0 as? NASLibError)?.message.contains("node 2 reads node 2; it can read nodes 0...1") == true
        }
        edges[1] = DartsGenotype.Edge(.sepConv3x3, 0)
        #expect { _ = try DartsGenotype(normal: edges, reduce: edges) } throws: {
            ($0 as? NASLibError)?.message.contains("reads node 0 twice") == true
        }
    }

    /// Random genotypes and their mutations are valid, print and parse back, and a mutation changes one edge.
    @Test func randomAndMutatedGenotypesAreValid() throws {
        var rng = SeededRandom(seed: 7)
        var seen = Set<DartsGenotype>()
        for _ in 0..<500 {
            let g = DartsGenotype.random(&rng)
            #expect(try DartsGenotype(string: g.description) == g)
            let m = g.mutated(&rng)
            let changed = zip(g.normal + g.reduce, m.normal + m.reduce).filter { $0 != $1 }.count
            #expect(changed == 1)
            seen.insert(g)
        }
        #expect(seen.count == 500)
    }

    /// eagle's `get_matrix_and_ops` + `get_adjacency_and_features` on DARTS-V2, run offline with networkx: the edges
    /// other than self-loops and the global node's, and each node's feature index (-1: none, a pruned skip).
    @Test func graphEncodingMatchesEagle() throws {
        let g = try DartsGenotype(string: Self.dartsV2).graph
        #expect(g.nodes == 31)
        var edges: [[Int]] = []
        for a in 1..<g.nodes { for b in 0..<g.nodes where a != b && g.adjacency[a][b] == 1 { edges.append([a, b]) } }
        #expect(
            edges == [
                [1, 3], [1, 6], [1, 11], [1, 14], [2, 4], [2, 7], [2, 9], [3, 5], [4, 5], [5, 13], [5, 15], [6, 8],
                [7, 8], [8, 15], [9, 11], [11, 15], [13, 14], [14, 15], [16, 18], [16, 24], [17, 19], [17, 22],
                [17, 28], [18, 20], [19, 20], [20, 23], [20, 26], [20, 29], [20, 30], [22, 23], [23, 30],
                [24, 26], [26, 30], [28, 29], [29, 30],
            ])
        #expect(
            g.features.map { $0.firstIndex(of: 1) ?? -1 } == [
                9, 7, 7, 2, 2, 6, 2, 2, 6, 2, -1, 6, -1, 4, 6, 8, 7, 7, 0, 0,
                6, -1, 0, 6, 0, -1, 6, -1, 0, 6, 8,
            ])
        #expect(g.adjacency[0].allSatisfy { $0 == 1 } && (0..<g.nodes).allSatisfy { g.adjacency[$0][$0] == 1 })
    }
}
