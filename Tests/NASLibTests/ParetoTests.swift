import Testing

@testable import NASLib

@Suite struct ParetoTests {
    /// Points on a small integer grid, so that ties and duplicates occur.
    func grid(_ n: Int, _ d: Int, seed: Int, side: Int = 6) -> [[Double]] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { _ in (0..<d).map { _ in Double(rng.int(below: side)) } }
    }

    @Test func dominance() {
        #expect(Pareto.dominates([1, 2], [1, 3]))
        #expect(Pareto.dominates([0, 0, 0], [1, 1, 1]))
        #expect(!Pareto.dominates([1, 2], [1, 2]))  // equal points do not dominate
        #expect(!Pareto.dominates([1, 3], [2, 2]))
        #expect(!Pareto.dominates([2, 2], [1, 3]))
    }

    @Test func frontByHandWithDuplicatesAndTies() {
        let p: [[Double]] = [[1, 5], [2, 3], [2, 3], [3, 3], [4, 1], [5, 1], [1, 6]]
        #expect(Pareto.front(p) == [0, 1, 2, 4])
        #expect(Pareto.sortFronts(p) == [[0, 1, 2, 4], [3, 5, 6]])
        // Three objectives take the pairwise path.
        let q: [[Double]] = [[1, 1, 1], [1, 1, 1], [0, 2, 2], [2, 2, 0], [2, 2, 2]]
        #expect(Pareto.front(q) == [0, 1, 2, 3])
        #expect(Pareto.sortFronts(q) == [[0, 1, 2, 3], [4]])
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func fastTwoObjectiveSortEqualsPairwise(seed: Int) {
        let p = grid(40 * seed, 2, seed: seed)
        #expect(Pareto.sortFronts2(p) == Pareto.sortFrontsPairwise(p))
        let brute = p.indices.filter { i in !p.indices.contains { Pareto.dominates(p[$0], p[i]) } }
        #expect(Pareto.front(p) == brute)
        #expect(Pareto.ranks(p).enumerated().filter { $0.element == 0 }.map(\.offset) == brute)
    }

    @Test func crowdingByHand() {
        let p: [[Double]] = [[1, 5], [2, 3], [4, 1], [9, 9]]
        // Objective 0: (2 − ... ) neighbours 1 and 4 over range 3; objective 1: neighbours 1 and 5 over range 4.
        let d = Pareto.crowding(p, [0, 1, 2])
        #expect(d[0] == .infinity && d[2] == .infinity)
        #expect(abs(d[1] - (3.0 / 3 + 4.0 / 4)) < 1e-12)
        #expect(Pareto.crowding(p, [0, 1]) == [.infinity, .infinity])
        // No range in an objective adds nothing for it.
        let flat: [[Double]] = [[1, 2], [2, 2], [3, 2], [5, 2]]
        let f = Pareto.crowding(flat, [0, 1, 2, 3])
        #expect(abs(f[1] - 2.0 / 4) < 1e-12 && abs(f[2] - 3.0 / 4) < 1e-12)
        #expect(Pareto.preferenceOrder(p) == [0, 2, 1, 3])
    }

    @Test func hypervolumeByHand() {
        let p: [[Double]] = [[1, 5], [2, 3], [4, 1]]
        // Strips: (6−1)·(6−5) + (6−2)·(5−3) + (6−4)·(3−1) = 5 + 8 + 4.
        #expect(Pareto.hypervolume(p, reference: [6, 6]) == 17)
        #expect(Pareto.hypervolume(p + [[2, 3], [3, 4]], reference: [6, 6]) == 17)  // a duplicate and a dominated point
        #expect(Pareto.hypervolume([[6, 0], [0, 6], [7, 7]], reference: [6, 6]) == 0)  // on or beyond the reference
        #expect(Pareto.hypervolume([], reference: [1, 1]) == 0)
        // A unit cube, and two boxes (3·3·2 and 2·2·3) overlapping in a 2·2·2 cube: 18 + 12 − 8.
        #expect(Pareto.hypervolume([[0, 0, 0]], reference: [1, 1, 1]) == 1)
        #expect(Pareto.hypervolume([[0, 0, 1], [1, 1, 0]], reference: [3, 3, 3]) == 22)
    }

    /// Integer points: the volume is the number of unit cells some point's box covers.
    func cells(_ p: [[Double]], _ r: [Double]) -> Double {
        let d = r.count
        var count = 0
        var cell = [Int](repeating: 0, count: d)
        func visit(_ k: Int) {
            if k == d {
                if p.contains(where: { q in (0..<d).allSatisfy { q[$0] <= Double(cell[$0]) } }) { count += 1 }
                return
            }
            for v in 0..<Int(r[k]) {
                cell[k] = v
                visit(k + 1)
            }
        }
        visit(0)
        return Double(count)
    }

    @Test(arguments: [(2, 1), (2, 2), (3, 3), (3, 4), (4, 5)])
    func hypervolumeEqualsCellCount(d: Int, seed: Int) {
        let p = grid(12, d, seed: seed)
        let r = [Double](repeating: 6, count: d)
        #expect(Pareto.hypervolume(p, reference: r) == cells(p, r))
    }

    @Test func exactFrontOfTheSyntheticWorld() throws {
        let pool = Array(NB201Arch.all.prefix(1500))
        let problem = try ParetoProblem(
            accuracy: SyntheticWorld.accuracy, costs: [SyntheticWorld.latency], models: pool)
        let acc = SyntheticWorld.accuracy
        let lat = SyntheticWorld.latency
        let brute = pool.filter { a in
            !pool.contains { b in acc[b]! >= acc[a]! && lat[b]! <= lat[a]! && (acc[b]! > acc[a]! || lat[b]! < lat[a]!) }
        }
        #expect(Set(problem.front) == Set(brute))
        #expect(problem.front.map { lat[$0]! } == problem.front.map { lat[$0]! }.sorted())
        #expect(problem.reference == [-pool.map { acc[$0]! }.min()!, pool.map { lat[$0]! }.max()!])
        // The front reaches ratio 1; a curve never falls; a dominated model changes nothing.
        let curve = problem.ratioCurve(problem.front.reversed())
        #expect(abs(curve.last! - 1) < 1e-12)
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0 <= $1 })
        let some = Array(pool.prefix(200))
        #expect(abs(problem.ratioCurve(some).last! - problem.hypervolume(of: some) / problem.hypervolume) < 1e-12)
    }

    @Test func multiObjectiveEvolutionIsDeterministicAndUsesCosts() throws {
        let space = Baselines.Space(NB201Arch.all)
        func run(_ seed: Int) throws -> [NB201Arch] {
            let s = EvolutionSession(space, budget: 60, population: 10, sample: 4, cached: true, seed: seed) { a, _ in
                [SyntheticWorld.latency[a]!]
            }
            while !s.finished {
                let a = s.ask(1)[0]
                try s.tell(a, SyntheticWorld.accuracy[a]!)
            }
            #expect(s.seen.values.allSatisfy { $0.count == 2 })
            return s.history.map(\.arch)
        }
        #expect(try run(3) == run(3))
        // The single-objective evolution with the same seed proposes differently once the tournament decides.
        let single = EvolutionSession(space, budget: 60, population: 10, sample: 4, cached: true, seed: 3)
        while !single.finished {
            let a = single.ask(1)[0]
            try single.tell(a, SyntheticWorld.accuracy[a]!)
        }
        #expect(try run(3) != single.history.map(\.arch))
        #expect(try Array(run(3).prefix(10)) == Array(single.history.map(\.arch).prefix(10)))
    }
}
