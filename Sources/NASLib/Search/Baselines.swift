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

    /// Random search: each op drawn uniformly (repeats allowed), rejected if not allowed.
    public static func random(_ space: Space, _ fitness: Fitness, _ problem: SearchProblem, budget: Int, seed: Int) -> SearchTrace {
        var rng = SeededRandom(seed: seed)
        var trace = SearchTrace(seed: seed)
        while trace.steps.count < budget {
            let a = NB201Arch(ops: (0..<6).map { _ in NB201Op(rawValue: rng.int(below: 5))! })
            guard space.contains(a) else { continue }
            _ = fitness.observe(a, &rng)
            trace.train(a, problem)
        }
        return trace
    }

    /// Aging (regularized) evolution: a population of `population` models; each cycle samples
    /// `sample` of them, mutates one op of the fittest, trains the child, and drops the oldest.
    /// With `cached`, a model is never trained twice (a repeat reuses its first result).
    public static func evolution(_ space: Space, _ fitness: Fitness, _ problem: SearchProblem, budget: Int, population: Int,
                                 sample: Int, cached: Bool, seed: Int) -> SearchTrace {
        var rng = SeededRandom(seed: seed)
        var trace = SearchTrace(seed: seed)
        var seen: [Int: Double] = [:]
        var pop: [(arch: NB201Arch, fit: Double)] = []
        func train(_ a: NB201Arch) -> Double? {
            if cached, let f = seen[a.code] { return f }
            guard trace.steps.count < budget else { return nil }
            let f = fitness.observe(a, &rng)
            seen[a.code] = f
            trace.train(a, problem)
            return f
        }
        var stalls = 0
        while pop.count < population && trace.steps.count < budget && stalls < 100_000 {
            let a = space.candidates[rng.int(below: space.candidates.count)]
            if cached && seen[a.code] != nil {
                stalls += 1
                continue
            }
            guard let f = train(a) else { break }
            pop.append((a, f))
        }
        stalls = 0
        while trace.steps.count < budget && stalls < 100_000 && !pop.isEmpty {
            let picks = rng.sample(Array(pop.indices), min(sample, pop.count))
            let parent = picks.map { pop[$0] }.max { $0.fit < $1.fit || ($0.fit == $1.fit && $0.arch > $1.arch) }!
            var child = mutate(parent.arch, &rng)
            var tries = 0
            while !space.contains(child) && tries < 1000 {
                child = mutate(parent.arch, &rng)
                tries += 1
            }
            guard space.contains(child) else {
                stalls += 1
                continue
            }
            let before = trace.steps.count
            guard let f = train(child) else { break }
            stalls = trace.steps.count == before ? stalls + 1 : 0
            pop.append((child, f))
            pop.removeFirst()
        }
        return trace
    }

    /// One op of one edge changed to a different op, uniformly.
    static func mutate(_ a: NB201Arch, _ rng: inout SeededRandom) -> NB201Arch {
        var ops = a.ops
        let e = rng.int(below: 6)
        let others = NB201Op.allCases.filter { $0 != ops[e] }
        ops[e] = others[rng.int(below: others.count)]
        return NB201Arch(ops: ops)
    }

    /// REINFORCE with a single-cell LSTM controller and a moving-average baseline b:
    /// after each trained model with reward R (observed accuracy / 100),
    /// θ ← θ + Adam step on (R − b)·∇ Σ log π(a_t); b ← β·b + (1 − β)·R.
    public static func reinforce(_ space: Space, _ fitness: Fitness, _ problem: SearchProblem, budget: Int, learningRate: Double,
                                 hidden: Int, baselineDecay: Double, seed: Int) -> SearchTrace {
        var rng = SeededRandom(seed: seed)
        var controller = LSTMController(hidden: hidden, seed: SeededRandom.subseed(seed, 1))
        var adam = AdamState(count: controller.count)
        var trace = SearchTrace(seed: seed)
        var baseline: Double? = nil
        var rejections = 0
        while trace.steps.count < budget && rejections < 100_000 {
            let tape = controller.forward(&rng)
            let a = NB201Arch(ops: tape.actions.map { NB201Op(rawValue: $0)! })
            guard space.contains(a) else {
                rejections += 1
                continue
            }
            let reward = fitness.observe(a, &rng) / 100
            trace.train(a, problem)
            let b = baseline ?? reward
            let advantage = reward - b
            let g = controller.gradLogProb(tape)
            // Ascend: the loss is −advantage·log π.
            adam.step(&controller.params, g.map { -advantage * $0 }, learningRate: learningRate)
            baseline = baselineDecay * b + (1 - baselineDecay) * reward
        }
        return trace
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
        let c1 = 1 - pow(0.9, Double(t)), c2 = 1 - pow(0.999, Double(t))
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
