import Foundation
import Testing

@testable import NASLib

/// Declared search spaces (docs/spaces.md): the NAS-Bench-201 cell declared as an edge cell is NB201 exactly (text,
/// order, graph encoding); every kind's text form parses back; sampling is uniform over the canonical models;
/// enumeration lists each model once; mutation changes one choice.
@Suite struct DeclaredSpaceTests {
    static let nb201Ops = NB201Op.allCases.map(\.name)
    static let edges5 = try! DeclaredSpace(
        edges: 5, ops: ["none", "skip_connect", "conv_1x1", "conv_3x3", "conv_5x5", "avg_pool_3x3"])
    static let darts = try! DeclaredSpace(
        inputs: 4, inputs: 2, cellInputs: 2,
        ops: [
            "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5", "max_pool_3x3", "avg_pool_3x3",
            "skip_connect",
        ],
        cells: ["normal", "reduce"])
    static let blocks6 = try! DeclaredSpace(
        choices: [
            ("width", ["16", "24", "32", "48"]), ("kernel", ["3", "5", "7"]), ("expand", ["1", "3", "6"]),
            ("depth", ["1", "2", "3", "4"]),
        ], blocks: 6)

    @Test func nb201DeclaredAsAnEdgeCellIsNB201Exactly() throws {
        let s = try DeclaredSpace(edges: 4, ops: Self.nb201Ops)
        #expect(s.count == NB201Arch.count)
        #expect(s.featureNames == ["nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3", "input", "output", "global"])
        for code in 0..<NB201Arch.count {
            let a = s.arch(index: code)
            let b = NB201Arch(code: code)
            #expect(a.codes == b.vector)
            #expect(s.text(a) == b.string)
            #expect(a.cellGraph == b.referenceGraph, "graph of \(b.string)")
            #expect(b.graph == b.referenceGraph)
            if code % 997 == 0 { #expect(try s.parse(b.string) == a) }
        }
    }

    static let nb101 = try! DeclaredSpace(
        nodes: 7, maxEdges: 9, ops: ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"])

    @Test(arguments: [edges5, darts, blocks6, nb101])
    func textFormRoundTrips(_ s: DeclaredSpace) throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<1000 {
            let a = s.random(&rng)
            let text = s.text(a)
            let back = try s.parse(text)
            #expect(back == a && back.codes == a.codes, "\(text)")
            #expect(s.text(back) == text)
            let g = a.cellGraph
            #expect(g.featureCount == s.featureNames.count)
        }
    }

    @Test(arguments: [edges5, darts, blocks6])
    func mutationChangesOneChoice(_ s: DeclaredSpace) throws {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<300 {
            let a = s.random(&rng)
            let m = try #require(s.mutated(a, &rng))
            #expect(m != a)
            // One code (edges, choices) or one read's op or input (inputs cells: a read's input may re-sort the node).
            let differing = zip(a.codes, m.codes).filter { $0 != $1 }.count
            if case .inputs = s.kind {
                #expect(differing >= 1 && differing <= 4)
            } else {
                #expect(differing == 1)
            }
            #expect(try s.parse(s.text(m)) == m)
        }
    }

    /// Small spaces of each kind: enumeration lists `count` distinct canonical models, and uniform draws hit each about
    /// equally (χ² well under its 0.999 quantile for the degrees of freedom).
    @Test func enumerationAndUniformSampling() throws {
        let spaces = [
            try DeclaredSpace(edges: 3, ops: ["a", "b", "c"]),  // 27
            try DeclaredSpace(inputs: 2, inputs: 2, cellInputs: 2, ops: ["x", "y"], cells: ["c"]),  // 4 · 12 = 48
            try DeclaredSpace(choices: [("w", ["1", "2"]), ("k", ["3", "5", "7"])], blocks: 2),  // 36
        ]
        for (s, expected) in zip(spaces, [27, 48, 36]) {
            #expect(s.count == expected)
            let all = (0..<expected).map { s.arch(index: $0) }
            #expect(Set(all).count == expected, "\(s): enumeration repeats a model")
            for a in all { #expect(try s.parse(s.text(a)) == a) }
            var rng = SeededRandom(seed: 11)
            var hits: [DeclaredArch: Int] = [:]
            let draws = 400 * expected
            for _ in 0..<draws { hits[s.random(&rng), default: 0] += 1 }
            #expect(Set(hits.keys) == Set(all), "\(s): a draw outside the enumeration, or a model never drawn")
            let e = Double(draws) / Double(expected)
            let chi2 = hits.values.reduce(0.0) { $0 + (Double($1) - e) * (Double($1) - e) / e }
            // 0.999 quantile of χ² with 26 / 47 / 35 degrees of freedom: 54.1 / 82.7 / 66.6.
            #expect(chi2 < [54.1, 82.7, 66.6][spaces.firstIndex { $0 === s }!], "\(s): χ² \(chi2)")
        }
    }

    /// NB101's cell declared as a nodes cell: the encoding of any labelled cell is NB101's; every labelling of a cell
    /// (its intermediate nodes reordered, the order kept topological) parses to one model.
    @Test func nb101DeclaredAsANodesCellIsNB101Exactly() throws {
        let s = Self.nb101
        var rng = SeededRandom(seed: 5)
        var checked = 0
        while checked < 300 {
            guard let cell = NB101Spec.random(&rng).cell else { continue }
            checked += 1
            let labelled = DeclaredSpace.LabelledCell(
                n: cell.adjacency.count, adjacency: cell.adjacency.map { $0.map { $0 != 0 } },
                ops: cell.ops.dropFirst().dropLast().map { op in s.ops.firstIndex(of: op.rawValue)! })
            #expect(s.cellGraph(labelled) == cell.referenceGraph, "\(cell)")
            #expect(cell.graph == cell.referenceGraph)
            let a = try s.parse(cell.description)
            #expect(a.codes == s.canonical(labelled).codes)
            // Reverse the order of the intermediate nodes where that keeps the cell upper-triangular.
            let n = labelled.n
            let reversed = [0] + (1..<(n - 1)).reversed() + [n - 1]
            let upper = (0..<n).allSatisfy { i in
                (0..<n).allSatisfy { j in
                    !labelled.adjacency[i][j] || reversed.firstIndex(of: i)! < reversed.firstIndex(of: j)!
                }
            }
            if upper {
                var r = DeclaredSpace.LabelledCell(
                    n: n, adjacency: [[Bool]](repeating: [Bool](repeating: false, count: n), count: n), ops: [])
                for i in 0..<n {
                    for j in 0..<n where labelled.adjacency[reversed[i]][reversed[j]] { r.adjacency[i][j] = true }
                }
                r.ops = (1..<(n - 1)).map { labelled.ops[reversed[$0] - 1] }
                #expect(DeclaredArch(s, s.codes(r)) == a)
            }
        }
    }

    /// DARTS's cells declared as an inputs cell: the encoding of any genotype (its reads in the genotype's order) is
    /// eagle's DARTS encoding as DartsGenotype wrote it before it was the declaration's.
    @Test func dartsDeclaredAsAnInputsCellIsDartsExactly() throws {
        #expect(DeclaredSpace.darts.featureNames.count == 10)
        var rng = SeededRandom(seed: 8)
        for _ in 0..<500 {
            let g = DartsGenotype.random(&rng)
            let r = g.referenceGraph
            let c = g.cellGraph
            #expect(
                c.nodes == r.nodes && c.adjacency == r.adjacency.flatMap { $0 }
                    && c.features == r.features.flatMap { $0 })
            let declared = try DeclaredSpace.darts.parse(
                zip(["normal", "reduce"], [g.normal, g.reduce]).map { name, edges in
                    name + "="
                        + stride(from: 0, to: edges.count, by: 2).map { i in
                            "\(edges[i].op.rawValue)~\(edges[i].input),\(edges[i + 1].op.rawValue)~\(edges[i + 1].input)"
                        }.joined(separator: "|")
                }.joined(separator: ";"))
            // The declared model is canonical (reads sorted): the same graph up to the order of a node's op nodes.
            #expect(declared.cellGraph.nodes == c.nodes)
        }
    }

    /// A small nodes space: its enumeration has one model per isomorphism class (checked against a pairwise
    /// isomorphism test over every relabelling, upper-triangular or not), and sampling is uniform over the classes.
    @Test func nodesCellsEnumerateClassesAndSampleUniformly() throws {
        let s = try DeclaredSpace(nodes: 4, maxEdges: 5, ops: ["a", "b"])
        let models = (0..<s.count!).map { s.arch(index: $0) }
        // Independent count: every labelled model, grouped by brute-force isomorphism.
        func isomorphic(_ x: DeclaredSpace.LabelledCell, _ y: DeclaredSpace.LabelledCell) -> Bool {
            guard x.n == y.n && x.edges == y.edges else { return false }
            for order in DeclaredSpace.orders[x.n - 2] {
                let map = [0] + order + [x.n - 1]  // x's node map[k] is y's node k
                if (1..<(x.n - 1)).allSatisfy({ x.ops[map[$0] - 1] == y.ops[$0 - 1] })
                    && (0..<x.n).allSatisfy({ i in
                        (0..<x.n).allSatisfy { j in x.adjacency[map[i]][map[j]] == y.adjacency[i][j] }
                    })
                {
                    return true
                }
            }
            return false
        }
        var classes: [DeclaredSpace.LabelledCell] = []
        for n in 2...4 {
            let pairs = DeclaredSpace.pairs(n)
            for mask in 0..<(1 << pairs.count) {
                var adjacency = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
                for (k, (i, j)) in pairs.enumerated() where mask & (1 << k) != 0 { adjacency[i][j] = true }
                for o in 0..<(1 << (n - 2)) {
                    let c = DeclaredSpace.LabelledCell(
                        n: n, adjacency: adjacency, ops: (0..<(n - 2)).map { (o >> $0) & 1 })
                    if s.isModel(c) && !classes.contains(where: { isomorphic($0, c) }) { classes.append(c) }
                }
            }
        }
        #expect(models.count == classes.count)
        #expect(Set(models).count == models.count)
        var rng = SeededRandom(seed: 2)
        var hits: [DeclaredArch: Int] = [:]
        let draws = 300 * models.count
        for _ in 0..<draws { hits[s.random(&rng), default: 0] += 1 }
        #expect(Set(hits.keys) == Set(models))
        let e = Double(draws) / Double(models.count)
        let chi2 = hits.values.reduce(0.0) { $0 + (Double($1) - e) * (Double($1) - e) / e }
        // Wilson–Hilferty approximation of χ²'s 0.999 quantile for models.count − 1 degrees of freedom.
        let k = Double(models.count - 1)
        let q = k * pow(1 - 2 / (9 * k) + 3.09 * (2 / (9 * k)).squareRoot(), 3)
        #expect(chi2 < q, "χ² \(chi2) over \(models.count) models, 0.999 quantile \(q)")
        var mrng = SeededRandom(seed: 9)
        for a in models.prefix(50) {
            if let m = s.mutated(a, &mrng) {
                #expect(m != a && s.isModel(s.cell(m.codes)))
            }
        }
    }

    @Test func inputsCellsAreCanonical() throws {
        let s = Self.darts
        let a = try s.parse(
            "normal=sep_conv_3x3~1,skip_connect~0|sep_conv_3x3~0,sep_conv_3x3~2|sep_conv_3x3~0,sep_conv_3x3~1|sep_conv_3x3~0,sep_conv_3x3~1;reduce=max_pool_3x3~0,max_pool_3x3~1|max_pool_3x3~0,max_pool_3x3~1|max_pool_3x3~0,max_pool_3x3~1|max_pool_3x3~0,max_pool_3x3~1"
        )
        #expect(s.text(a).hasPrefix("normal=skip_connect~0,sep_conv_3x3~1|"))
        #expect(s.count == (1 * 49) * (3 * 49) * (6 * 49) * (10 * 49) * (1 * 49) * (3 * 49) * (6 * 49) * (10 * 49))
    }

    @Test func badDeclarationsAndTextsAreErrors() throws {
        #expect(throws: NASLibError.self) { try DeclaredSpace(edges: 1, ops: ["a"]) }
        #expect(throws: NASLibError.self) { try DeclaredSpace(edges: 4, ops: []) }
        #expect(throws: NASLibError.self) { try DeclaredSpace(edges: 4, ops: ["a", "a"]) }
        #expect(throws: NASLibError.self) { try DeclaredSpace(edges: 4, ops: ["a|b"]) }
        #expect(throws: NASLibError.self) {
            try DeclaredSpace(inputs: 4, inputs: 3, cellInputs: 2, ops: ["a"], cells: ["c"])
        }
        #expect(throws: NASLibError.self) { try DeclaredSpace(choices: [("w", [])], blocks: 2) }
        #expect(throws: NASLibError.self) { try DeclaredSpace(choices: [("w", ["1"])], blocks: 0) }
        for bad in [
            "", "|conv_3x3~0|", "|conv_3x3~1|+|none~0|none~1|",
            "|conv_7x7~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|none~1|none~2|none~3|",
        ] {
            #expect(throws: NASLibError.self, "\(bad)") { try Self.edges5.parse(bad) }
        }
        #expect(throws: NASLibError.self) { try Self.blocks6.parse("width=16,kernel=3,expand=1,depth=1") }
        #expect(throws: NASLibError.self) {
            try Self.darts.parse(
                "normal=sep_conv_3x3~0,sep_conv_3x3~0|x~0,x~1|x~0,x~1|x~0,x~1;reduce=x~0,x~1|x~0,x~1|x~0,x~1|x~0,x~1")
        }
    }
}
