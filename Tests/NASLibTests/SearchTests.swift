import Foundation
import Testing

@testable import NASLib

/// A synthetic, learnable world for the searches (no benchmark files needed): accuracy is a sum
/// of per-op contributions per edge plus a small code-dependent term that breaks ties; latency
/// grows with the convolutions.
enum SyntheticWorld {
    static let opValue: [NB201Op: Double] = [.none: 0, .skip: 1.5, .conv1x1: 2.5, .conv3x3: 4, .avgpool: 1]
    static let opCost: [NB201Op: Double] = [.none: 0, .skip: 0.1, .conv1x1: 0.5, .conv3x3: 1.5, .avgpool: 0.3]

    static let accuracy = MetricTable(
        name: "synthetic-accuracy",
        values: NB201Arch.all.map { a in
            50 + a.ops.enumerated().reduce(0) { $0 + opValue[$1.element]! * Double($1.offset + 1) / 3 } + Double(
                a.code % 97) / 1000
        })
    static let latency = MetricTable(
        name: "synthetic-latency",
        values: NB201Arch.all.map { a in
            (1 + a.ops.reduce(0) { $0 + opCost[$1]! }) / 1000
        })
}

@Suite struct PairRankingTests {
    /// Brute force: i's wins over all j ≠ i in both argument orders.
    func bruteForceWins(_ f: [Double], _ g: [Double], _ c: Double) -> [Int] {
        let n = f.count
        let wins = (0..<n).map { i in
            (0..<n).filter { $0 != i }.reduce(0) { w, j in
                w + (f[i] + g[j] + c > 0 ? 1 : 0) + (f[j] + g[i] + c < 0 ? 1 : 0)
            }
        }
        return (0..<n).sorted { wins[$0] > wins[$1] || (wins[$0] == wins[$1] && $0 < $1) }
    }

    @Test(arguments: [1, 2, 7, 40, 200])
    func winsMatchesTheQuadraticCount(n: Int) {
        var rng = SeededRandom(seed: n)
        // Values from a small grid, so that exact ties (and ties with the bias) occur.
        let f = (0..<n).map { _ in Double(rng.int(below: 9)) / 4 - 1 }
        let g = (0..<n).map { _ in Double(rng.int(below: 9)) / 4 - 1 }
        for c in [0.0, 0.25, -0.5] {
            #expect(PairRanking.rank(first: f, second: g, bias: c, order: .wins) == bruteForceWins(f, g, c))
        }
    }

    @Test func aTransitiveRelationGivesTheTrueOrderBothWays() {
        let s: [Double] = [0.3, -1, 2, 0.5, 1.7, -0.2]
        let truth = s.indices.sorted { s[$0] > s[$1] }
        for order in PairRanking.Order.allCases {
            #expect(PairRanking.rank(first: s, second: s.map { -$0 }, bias: 0, order: order) == truth)
        }
    }

    @Test func tiesKeepTheGivenOrder() {
        let s = [Double](repeating: 0, count: 9)
        for order in PairRanking.Order.allCases {
            #expect(PairRanking.rank(first: s, second: s, bias: 0, order: order) == Array(0..<9))
        }
    }

    @Test func rankingQualityOfPerfectAndReversedRankings() {
        let models = Array(NB201Arch.all.prefix(500))
        // Distinct values (ties would lower ρ below 1 even for a perfect ranking).
        let truth = MetricTable(name: "t", values: NB201Arch.all.map { sin(Double($0.code)) })
        let best = models.sorted { truth[$0]! > truth[$1]! }
        let q = RankingQuality(ranked: best, truth: truth, ks: [10, 50])
        #expect(abs(q.spearman - 1) < 1e-12 && abs(q.kendall - 1) < 1e-12)
        #expect(q.precision[10] == 1 && q.precision[50] == 1 && q.n == 500)
        let r = RankingQuality(ranked: best.reversed(), truth: truth, ks: [10, 1000])
        #expect(abs(r.spearman + 1) < 1e-12 && r.precision[10] == 0 && r.precision[1000] == nil)
    }
}

@Suite struct BaselineTests {
    let fitness = Baselines.Fitness(SyntheticWorld.accuracy)
    static let problem = SearchProblem(report: SyntheticWorld.accuracy, latency: SyntheticWorld.latency, limit: 0.004)
    /// Candidates: what a (here perfect) latency predictor puts under the limit.
    static let space = Baselines.Space(NB201Arch.all.filter(problem.feasible))
    var problem: SearchProblem { Self.problem }
    var space: Baselines.Space { Self.space }

    func checkTrace(_ t: SearchTrace, budget: Int) {
        #expect(t.steps.count == budget)
        #expect(t.steps.allSatisfy { space.contains($0.arch) && $0.feasible })
        let curve = t.curve.compactMap { $0 }
        #expect(curve.count == budget && zip(curve, curve.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(curve.last == t.steps.map(\.accuracy).max() && t.best?.accuracy == curve.last)
    }

    @Test func randomSearch() {
        let a = Baselines.random(space, fitness, problem, budget: 150, seed: 4)
        checkTrace(a, budget: 150)
        #expect(a.steps == Baselines.random(space, fitness, problem, budget: 150, seed: 4).steps)
        #expect(a.steps != Baselines.random(space, fitness, problem, budget: 150, seed: 5).steps)
    }

    @Test func agingEvolutionImprovesOnRandomAndCachingNeverRetrains() {
        let budget = 300
        var evolved = 0.0
        var random = 0.0
        for seed in 1...5 {
            let e = Baselines.evolution(
                space, fitness, problem, budget: budget, population: 20, sample: 5, cached: false, seed: seed)
            checkTrace(e, budget: budget)
            evolved += e.best!.accuracy
            random += Baselines.random(space, fitness, problem, budget: budget, seed: seed).best!.accuracy
            let c = Baselines.evolution(
                space, fitness, problem, budget: budget, population: 20, sample: 5, cached: true, seed: seed)
            checkTrace(c, budget: budget)
            #expect(Set(c.steps.map(\.arch)).count == budget)
        }
        #expect(evolved > random)
        let once = Baselines.evolution(
            space, fitness, problem, budget: 100, population: 20, sample: 5, cached: false, seed: 9)
        #expect(
            once.steps
                == Baselines.evolution(
                    space, fitness, problem, budget: 100, population: 20, sample: 5, cached: false, seed: 9
                ).steps)
    }

    @Test func mutationChangesExactlyOneOp() {
        var rng = SeededRandom(seed: 2)
        for code in stride(from: 0, to: NB201Arch.count, by: 311) {
            let a = NB201Arch(code: code)
            let m = Baselines.mutate(a, &rng)
            #expect(zip(a.ops, m.ops).filter { $0 != $1 }.count == 1)
        }
    }

    @Test func reinforceLearnsTowardsBetterModels() {
        // At lr 0.001 the first 100 samples are close to uniform; by 500 the policy has
        // concentrated near the constrained optimum (67.55 in this world; random ≈ 62).
        let budget = 600
        let t = Baselines.reinforce(
            space, fitness, problem, budget: budget, learningRate: 0.001, hidden: 32, baselineDecay: 0.9, seed: 3)
        checkTrace(t, budget: budget)
        let acc = t.steps.map(\.accuracy)
        let first = acc.prefix(100).reduce(0, +) / 100
        let last = acc.suffix(100).reduce(0, +) / 100
        #expect(last > first + 3, "mean accuracy of the first 100 samples \(first), of the last 100 \(last)")
        let again = Baselines.reinforce(
            space, fitness, problem, budget: 100, learningRate: 0.001, hidden: 32, baselineDecay: 0.9, seed: 3)
        #expect(again.steps == Array(t.steps.prefix(100)))
    }

    @Test func perSeedFitnessDrawsFromTheGivenSeeds() {
        // The search sees a noisy accuracy, but reports the table's.
        let noisy = Baselines.Fitness(
            SyntheticWorld.accuracy,
            perSeed: Dictionary(
                uniqueKeysWithValues: NB201Arch.all.map {
                    ($0.code, [SyntheticWorld.accuracy[$0]! - 1, SyntheticWorld.accuracy[$0]! + 1])
                }))
        let t = Baselines.evolution(
            space, noisy, problem, budget: 60, population: 10, sample: 3, cached: false, seed: 1)
        #expect(t.steps.allSatisfy { $0.accuracy == SyntheticWorld.accuracy[$0.arch] })
    }

    @Test func infeasibleModelsNeverCountAsBest() {
        // A latency predictor that lets everything through: the trace trains over-limit models,
        // but its best is the best feasible one.
        let all = Baselines.Space(NB201Arch.all)
        let t = Baselines.random(all, fitness, problem, budget: 300, seed: 1)
        #expect(t.steps.contains { !$0.feasible })
        #expect(t.best == t.steps.filter(\.feasible).max { $0.accuracy < $1.accuracy })
        #expect(t.rank(in: problem)! >= 1)
    }
}

@Suite struct BRPNASTests {
    let signal = AccuracySignal(SyntheticWorld.accuracy)
    let problem = SearchProblem(report: SyntheticWorld.accuracy)

    func options(K: Int = 20, M: Int = 40) -> BRPNAS.Options {
        var o = BRPNAS.Options()
        o.K = K
        o.M = M
        o.iterations = 2
        o.epochs = 6
        o.batch = 16
        o.predictor.config = GCNConfig(layers: 2, hidden: 16, dropout: 0.2)
        return o
    }

    @Test func budgetsDeterminismAndNoRetraining() throws {
        let candidates = Array(NB201Arch.all.prefix(3000))
        let search = BRPNAS(options: options())
        var epochs: [Int: Int] = [:]
        let a = try search.run(candidates: candidates, signal: signal, problem: problem, seed: 7) { i, _ in
            epochs[i, default: 0] += 1
        }
        #expect(a.steps.count == 40)
        #expect(Set(a.steps.map(\.arch)).count == 40)
        #expect(a.steps.allSatisfy { candidates.contains($0.arch) })
        // Iteration i trains i/iterations of the epochs (at most; early stopping may cut it).
        #expect(epochs.keys.sorted() == [0, 1] && epochs[0]! <= 3 && epochs[1]! <= 6)
        #expect(a.extras["spearman"] != nil)
        let b = try search.run(candidates: candidates, signal: signal, problem: problem, seed: 7)
        #expect(a.steps == b.steps && a.extras == b.extras)
        let c = try search.run(candidates: candidates, signal: signal, problem: problem, seed: 8)
        #expect(a.steps != c.steps)
    }

    @Test func theLearnedRankingBeatsChance() throws {
        // After K = 40 models the predictor's ranking of all candidates correlates with the truth.
        var o = options(K: 40, M: 60)
        o.epochs = 40
        let t = try BRPNAS(options: o).run(candidates: NB201Arch.all, signal: signal, problem: problem, seed: 1)
        #expect(t.extras["spearman"]! > 0.5)
        // The models trained after the predictor's budget are its top picks: better than the random first ones.
        let firstRandom = t.steps.prefix(20).map(\.accuracy).reduce(0, +) / 20
        let picked = t.steps.suffix(20).map(\.accuracy).reduce(0, +) / 20
        #expect(picked > firstRandom)
    }

    /// Ask/tell with the benchmark's accuracies proposes exactly the models of `run`, in order, whatever the batch
    /// size asked for; telling what was not asked, or twice, is an error.
    @Test(arguments: [1, 3, 40])
    func askTellReproducesRun(batch: Int) throws {
        let candidates = Array(NB201Arch.all.prefix(3000))
        let o = options()
        let t = try BRPNAS(options: o).run(candidates: candidates, signal: signal, problem: problem, seed: 7)
        let s = try BRPNASSession(
            options: o, predictor: PairPredictor(spec: o.predictor, seed: SeededRandom.subseed(7, 1)),
            base: o.predictor.options, candidates: candidates, seed: 7, normalizeBy: signal)
        var proposed: [NB201Arch] = []
        while !s.finished {
            let asked = s.ask(batch)
            #expect(!asked.isEmpty)
            if asked.isEmpty { break }
            proposed += asked
            // results may come back in any order
            for a in asked.reversed() { try s.tell(a, SyntheticWorld.accuracy[a]!) }
        }
        #expect(proposed == t.steps.map(\.arch))
        #expect(s.history.count == 40 && s.ask(5).isEmpty)
        #expect(throws: NASLibError.self) { try s.tell(proposed[0], 50) }
        #expect(throws: NASLibError.self) { try s.tell(NB201Arch(code: 14000), 50) }
    }

    /// Normalised by what it was told (a real search), the session still completes its budget with distinct models.
    @Test func askTellWithoutTheBenchmarkNormalisation() throws {
        let o = options()
        let s = try BRPNASSession(
            options: o, predictor: PairPredictor(spec: o.predictor, seed: 1), base: o.predictor.options,
            candidates: Array(NB201Arch.all.prefix(500)), seed: 3, normalizeBy: nil)
        while !s.finished {
            let asked = s.ask(7)
            if asked.isEmpty { break }
            for a in asked { try s.tell(a, SyntheticWorld.accuracy[a]!) }
        }
        #expect(s.history.count == 40 && Set(s.history.map(\.arch)).count == 40)
    }

    /// The same session over the DARTS space (31-node graphs, 10 features): it learns a synthetic accuracy, a failed
    /// evaluation uses budget and is not trained on, and the state depends only on the results, not on the order
    /// they are told in (what a resumed search relies on).
    @Test func dartsSessionOnGraphs() throws {
        var rng = SeededRandom(seed: 5)
        var pool: [DartsGenotype] = []
        var seen = Set<DartsGenotype>()
        while pool.count < 300 {
            let g = DartsGenotype.random(&rng)
            if seen.insert(g).inserted { pool.append(g) }
        }
        // Synthetic accuracy: more separable convolutions are better.
        func accuracy(_ g: DartsGenotype) -> Double {
            let good: Set<DartsGenotype.Op> = [.sepConv3x3, .sepConv5x5]
            let edges: [DartsGenotype.Edge] = g.normal + g.reduce
            return Double(edges.filter { good.contains($0.op) }.count) + 50
        }
        var o = options()
        o.predictor.config = GCNConfig(features: 10, layers: 2, hidden: 16, dropout: 0.2)
        func drive(reversed: Bool, failing: DartsGenotype?) throws -> BRPNASSession<DartsGenotype> {
            let s = try BRPNASSession(
                options: o, ranker: SessionRanker(PairPredictor(spec: o.predictor, seed: 3)),
                base: o.predictor.options, candidates: pool, seed: 3, normalizeBy: nil)
            while !s.finished {
                let asked = s.ask(100)
                if asked.isEmpty { break }
                for g in reversed ? asked.reversed() : asked {
                    if g == failing { try s.fail(g) } else { try s.tell(g, accuracy(g)) }
                }
            }
            return s
        }
        let a = try drive(reversed: false, failing: nil)
        let b = try drive(reversed: true, failing: nil)
        let orderA: [DartsGenotype] = a.order
        let orderB: [DartsGenotype] = b.order
        #expect(orderA == orderB)
        #expect(Set(orderA).count == 40)
        let historyA: [DartsGenotype] = a.history.map(\.arch)
        let historyB: [DartsGenotype] = b.history.map(\.arch)
        #expect(historyA != historyB)
        #expect(a.best?.accuracy == a.history.compactMap(\.accuracy).max())
        let failing = a.order[3]
        let c = try drive(reversed: false, failing: failing)
        let failed: [DartsGenotype] = c.history.filter { $0.accuracy == nil }.map(\.arch)
        #expect(c.history.count == 40)
        #expect(failed == [failing])
        // The predictor phase picked better than random: the models after K beat the first random batch.
        let first: Double = orderA.prefix(10).map(accuracy).reduce(0, +) / 10
        let last: Double = orderA.suffix(20).map(accuracy).reduce(0, +) / 20
        #expect(last > first)
        // A predictor built for 6 features refuses the DARTS encoding.
        let wrong = try BRPNASSession(
            options: options(), ranker: SessionRanker(PairPredictor(spec: options().predictor, seed: 3)),
            base: o.predictor.options, candidates: pool, seed: 3, normalizeBy: nil)
        #expect(throws: NASLibError.self) { for g in wrong.ask(100) { try wrong.tell(g, accuracy(g)) } }
    }

    /// One model per iteration (K = iterations): a pair predictor has no pair to learn from in the first iteration and
    /// keeps its weights (this crashed with a precondition failure before).
    @Test func oneModelPerIterationDoesNotCrash() throws {
        var o = options(K: 5, M: 10)
        o.iterations = 5
        let t = try BRPNAS(options: o).run(
            candidates: Array(NB201Arch.all.prefix(500)), signal: signal, problem: problem, seed: 2)
        #expect(t.steps.count == 10 && Set(t.steps.map(\.arch)).count == 10)
    }

    /// Algorithm 1's final phase: models truly over the limit among the top M − K are passed over before training,
    /// use none of the budget and are not replaced; the predictor phase is the same with and without skipping.
    @Test func finalPhaseSkipsModelsOverTheLimit() throws {
        let limited = SearchProblem(report: SyntheticWorld.accuracy, latency: SyntheticWorld.latency, limit: 0.006)
        let candidates = Array(NB201Arch.all.prefix(3000))
        let search = BRPNAS(options: options(K: 20, M: 60))
        let trained = try search.run(candidates: candidates, signal: signal, problem: limited, seed: 4)
        let skipping = try search.run(
            candidates: candidates, signal: signal, problem: limited, seed: 4, skipOverLimit: true)
        #expect(trained.steps.count == 60 && trained.extras["skipped"] == nil)
        #expect(Array(skipping.steps.prefix(20)) == Array(trained.steps.prefix(20)))
        let final = trained.steps.dropFirst(20)
        let over = final.filter { !$0.feasible }.count
        // The synthetic accuracy rewards costly ops, so the top ranks reach over the limit.
        #expect(over > 0 && over < 40)
        #expect(skipping.steps.dropFirst(20).map(\.arch) == final.filter(\.feasible).map(\.arch))
        #expect(skipping.steps.count == 60 - over && skipping.extras["skipped"] == Double(over))
        #expect(skipping.best?.accuracy == trained.best?.accuracy)  // nothing feasible was lost
        // Without a limit there is nothing to skip.
        let free = try search.run(
            candidates: candidates, signal: signal, problem: problem, seed: 4, skipOverLimit: true)
        #expect(free.steps.count == 60 && free.extras["skipped"] == nil)
    }

    @Test func invalidBudgetsAreErrors() {
        #expect(throws: NASLibError.self) {
            try BRPNAS(options: options(K: 20, M: 10)).run(
                candidates: NB201Arch.all, signal: signal, problem: problem, seed: 1)
        }
        #expect(throws: NASLibError.self) {
            try BRPNAS(options: options()).run(
                candidates: Array(NB201Arch.all.prefix(30)), signal: signal, problem: problem, seed: 1)
        }
    }
}

/// Picking by a selection table (validation accuracy): the reported accuracy never influences the pick.
@Suite struct SelectionTests {
    @Test func pickFollowsTheSelectionTable() {
        var report = [Double](repeating: .nan, count: NB201Arch.count)
        var valid = [Double](repeating: .nan, count: NB201Arch.count)
        // Model 0: best test, worst validation; model 1: best validation; model 2: no validation accuracy.
        report[0] = 95
        valid[0] = 80
        report[1] = 90
        valid[1] = 85
        report[2] = 99
        report[3] = 91
        valid[3] = 85  // ties with model 1 on validation: the smaller code (1) is picked
        let byReport = SearchProblem(report: MetricTable(name: "test", values: report))
        let bySignal = SearchProblem(
            report: MetricTable(name: "test", values: report), selection: MetricTable(name: "valid", values: valid))
        var a = SearchTrace(seed: 1)
        var b = SearchTrace(seed: 1)
        for code in [0, 1, 2, 3] {
            a.train(NB201Arch(code: code), byReport)
            b.train(NB201Arch(code: code), bySignal)
        }
        #expect(a.curve == [95, 95, 99, 99])
        #expect(a.best?.arch.code == 2)
        #expect(b.curve == [95, 90, 90, 90])
        #expect(b.best?.arch.code == 1)
        #expect(b.modelsToOptimum(bySignal) == nil)  // the optimum (99) is trained but never picked
    }
}

/// The search journal: identity, resuming, and a resume on another OpenBLAS kernel named as such.
@Suite struct SearchJournalTests {
    static func scratch() -> String {
        let d = (NSTemporaryDirectory() as NSString).appendingPathComponent("journal-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Rewrites the header's `numerics` as if another machine had started the journal.
    static func pretendOtherKernel(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var h = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(h["numerics"] as? String == BLAS.numerics)
        h["numerics"] = "OpenBLAS 0.0 | OtherKernel"
        lines[0] = String(
            decoding: try JSONSerialization.data(withJSONObject: h, options: [.sortedKeys]), as: UTF8.self)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func anotherKernelResumesWhileProposalsAgreeAndIsNamedWhenTheyDiffer() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let header: [String: Any] = ["space": "nb201", "seed": 1]
        do {
            let j = try SearchJournal(directory: dir, header: header)
            try j.proposed(["a", "b"])
            try j.finished("a", .init(accuracy: 70))
        }
        try Self.pretendOtherKernel(dir + "/journal.jsonl")
        // The kernel is not the search's identity: the same proposals resume, with a's result.
        do {
            let j = try SearchJournal(directory: dir, header: header)
            #expect(j.recordedNumerics == "OpenBLAS 0.0 | OtherKernel")
            try j.proposed(["a", "b"])
            #expect(j.outcome("a")?.accuracy == 70 && j.outcome("b") == nil)
        }
        // A proposal that differs is explained by the kernels.
        let j = try SearchJournal(directory: dir, header: header)
        #expect {
            try j.proposed(["a", "c"])
        } throws: { e in
            "\(e)".contains("journal recorded b") && "\(e)".contains("OtherKernel") && "\(e)".contains(BLAS.numerics)
        }
        // Another search in the same directory is refused whatever the kernel.
        #expect {
            _ = try SearchJournal(directory: dir, header: ["space": "nb201", "seed": 2])
        } throws: { e in "\(e)".contains("holds another search (it differs in seed)") }
    }

    @Test func sameKernelMismatchSaysAnotherVersion() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { try SearchJournal(directory: dir, header: ["seed": 1]).proposed(["a"]) }
        let j = try SearchJournal(directory: dir, header: ["seed": 1])
        #expect(j.recordedNumerics == BLAS.numerics)
        #expect {
            try j.proposed(["z"])
        } throws: { e in "\(e)".contains("another version of the search") && !"\(e)".contains("OpenBLAS") }
    }
}
