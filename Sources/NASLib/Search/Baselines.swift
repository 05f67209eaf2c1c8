/// The NAS baselines of the supplement (S3.1), on the same problem and budget as BRP-NAS.
/// Each one observes the `fitness` table when it "trains" a model (a lookup) and reports the
/// problem's accuracy. With a latency predictor, only models it puts under the limit are trained
/// (others are rejected before training); a trained model over the true limit never counts as best.
public enum Baselines {
    /// Which models may be trained: all of `fitness`'s, filtered by the latency predictor.
    public struct Space: Sendable {
        public let candidates: [NB201Arch]
        let allowed: Set<Int>
        public init(_ candidates: [NB201Arch]) {
            self.candidates = candidates
            allowed = Set(candidates.map(\.code))
        }
        public func contains(_ a: NB201Arch) -> Bool { allowed.contains(a.code) }
    }

    /// Draws a model's observed accuracy: the table's value, or a random training seed's value
    /// when per-seed accuracies are given.
    public struct Fitness: Sendable {
        public let table: MetricTable
        public let perSeed: [Int: [Double]]?
        public init(_ table: MetricTable, perSeed: [Int: [Double]]? = nil) {
            self.table = table
            self.perSeed = perSeed
        }
        func observe(_ a: NB201Arch, _ rng: inout SeededRandom) -> Double {
            if let seeds = perSeed?[a.code], !seeds.isEmpty { return seeds[rng.int(below: seeds.count)] }
            return table[a] ?? -.infinity
        }
    }

    /// The one-call form of a baseline session: ask one model at a time, look its accuracy up (drawing a training
    /// seed from the search's own random stream when per-seed accuracies are given, as it always has), tell it.
    static func drive<S: BaselineSession<NB201Arch> & AskTellSession>(
        _ session: S, _ fitness: Fitness, _ problem: SearchProblem,
        seed: Int
    ) -> SearchTrace where S.Model == NB201Arch {
        var trace = SearchTrace(seed: seed)
        while !session.finished {
            guard let a = session.ask(1).first else { break }
            let f = fitness.observe(a, &session.rng)
            trace.train(a, problem)
            do { try session.tell(a, f) } catch {
                preconditionFailure("a baseline rejected its own proposal: \(error)")
            }
        }
        return trace
    }

    /// Random search (`RandomSearchSession`) with the benchmark as evaluator.
    public static func random(_ space: Space, _ fitness: Fitness, _ problem: SearchProblem, budget: Int, seed: Int)
        -> SearchTrace
    {
        drive(RandomSearchSession(space, budget: budget, seed: seed), fitness, problem, seed: seed)
    }

    /// Aging evolution (`EvolutionSession`) with the benchmark as evaluator.
    public static func evolution(
        _ space: Space, _ fitness: Fitness, _ problem: SearchProblem, budget: Int, population: Int,
        sample: Int, cached: Bool, seed: Int, costs: EvolutionSession<NB201Arch>.Costs? = nil
    ) -> SearchTrace {
        drive(
            EvolutionSession(
                space, budget: budget, population: population, sample: sample, cached: cached, seed: seed, costs: costs),
            fitness, problem, seed: seed)
    }

    /// One op of one edge changed to a different op, uniformly.
    static func mutate(_ a: NB201Arch, _ rng: inout SeededRandom) -> NB201Arch {
        var ops = a.ops
        let e = rng.int(below: 6)
        let others = NB201Op.allCases.filter { $0 != ops[e] }
        ops[e] = others[rng.int(below: others.count)]
        return NB201Arch(ops: ops)
    }

    /// REINFORCE (`ReinforceSession`) with the benchmark as evaluator.
    public static func reinforce(
        _ space: Space, _ fitness: Fitness, _ problem: SearchProblem, budget: Int, learningRate: Double,
        hidden: Int, baselineDecay: Double, seed: Int
    ) -> SearchTrace {
        drive(
            ReinforceSession(
                space, budget: budget, learningRate: learningRate, hidden: hidden, baselineDecay: baselineDecay,
                seed: seed),
            fitness, problem, seed: seed)
    }
}

/// Plain Adam (β1 0.9, β2 0.999, ε 1e-8) for small parameter vectors.
struct AdamState: Sendable {
    var m: [Double]
    var v: [Double]
    var t = 0
    init(count: Int) {
        m = [Double](repeating: 0, count: count)
        v = m
    }
    mutating func step(_ p: inout [Double], _ g: [Double], learningRate lr: Double) {
        t += 1
        let c1 = 1 - pow(0.9, Double(t))
        let c2 = 1 - pow(0.999, Double(t))
        for i in p.indices {
            m[i] = 0.9 * m[i] + 0.1 * g[i]
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
            p[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
