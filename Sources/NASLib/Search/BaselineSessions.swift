/// A search driven step by step: `ask` proposes models, `tell` (or `fail`) answers them. BRP-NAS and the three
/// baselines are all sessions; their one-call forms (`BRPNAS.run`, `Baselines.random/evolution/reinforce`) are
/// the loop with the benchmark as evaluator.
public protocol AskTellSession: AnyObject {
    associatedtype Model: Hashable
    /// Up to n models to evaluate now (fewer, or none, while the search waits for answers).
    func ask(_ n: Int) -> [Model]
    func tell(_ a: Model, _ accuracy: Double) throws
    /// The evaluation of `a` failed: it uses its share of the budget and teaches the search nothing.
    func fail(_ a: Model) throws
    var finished: Bool { get }
    var history: [(arch: Model, accuracy: Double?)] { get }
}

extension BRPNASSession: AskTellSession {}

/// Bookkeeping the baseline sessions share: the budget, what is outstanding, the answers.
public class BaselineSession {
    public let budget: Int
    let space: Baselines.Space
    /// The search's random stream (also what a benchmark evaluator with per-seed accuracies draws from, so the
    /// one-call form consumes it exactly as before).
    var rng: SeededRandom
    var outstanding: [NB201Arch] = []
    public private(set) var history: [(arch: NB201Arch, accuracy: Double?)] = []
    /// The search cannot propose any more (every proposal rejected 100,000 times in a row).
    var exhausted = false

    init(_ space: Space, budget: Int, seed: Int) {
        self.space = space
        self.budget = budget
        rng = SeededRandom(seed: seed)
    }
    public typealias Space = Baselines.Space

    public var finished: Bool { history.count >= budget || exhausted }

    /// Removes `a` from the outstanding models (an error if it was not asked for) and records the answer.
    func answer(_ a: NB201Arch, _ accuracy: Double?) throws {
        guard let i = outstanding.firstIndex(of: a) else { throw NASLibError("\(a) was not asked for (or was told already)") }
        if let v = accuracy, !v.isFinite { throw NASLibError("the accuracy of \(a) is not a number") }
        outstanding.remove(at: i)
        history.append((a, accuracy))
    }

    /// How many more models may be proposed now.
    var room: Int { max(0, budget - history.count - outstanding.count) }
}

/// Random search: each op drawn uniformly (repeats allowed), rejected if not allowed. Proposals do not depend on
/// answers, so `ask(n)` gives n at once.
public final class RandomSearchSession: BaselineSession, AskTellSession {
    public override init(_ space: Baselines.Space, budget: Int, seed: Int) { super.init(space, budget: budget, seed: seed) }

    public func ask(_ n: Int) -> [NB201Arch] {
        var out: [NB201Arch] = []
        while out.count < min(max(0, n), room) {
            let a = NB201Arch(ops: (0..<6).map { _ in NB201Op(rawValue: rng.int(below: 5))! })
            if space.contains(a) { out.append(a) }
        }
        outstanding += out
        return out
    }

    public func tell(_ a: NB201Arch, _ accuracy: Double) throws { try answer(a, accuracy) }
    public func fail(_ a: NB201Arch) throws { try answer(a, nil) }
}

/// Aging (regularized) evolution: a population of `population` models; each cycle samples `sample` of them,
/// mutates one op of the fittest, trains the child, and drops the oldest. With `cached`, a model is never trained
/// twice (a repeat reuses its first result). One model at a time: each proposal depends on the last answer. A
/// failed model does not enter the population (and nothing ages).
public final class EvolutionSession: BaselineSession, AskTellSession {
    let population: Int, sample: Int, cached: Bool
    var seen: [Int: Double] = [:]
    var pop: [(arch: NB201Arch, fit: Double)] = []
    var stalls = 0
    var evolving = false

    public init(_ space: Baselines.Space, budget: Int, population: Int, sample: Int, cached: Bool, seed: Int) {
        self.population = population
        self.sample = sample
        self.cached = cached
        super.init(space, budget: budget, seed: seed)
    }

    public func ask(_ n: Int) -> [NB201Arch] {
        guard n > 0, outstanding.isEmpty, !finished else { return [] }
        if !evolving {
            while pop.count < population && history.count < budget && stalls < 100_000 {
                let a = space.candidates[rng.int(below: space.candidates.count)]
                if cached && seen[a.code] != nil {
                    stalls += 1
                    continue
                }
                outstanding = [a]
                return [a]
            }
            evolving = true
            stalls = 0
        }
        while history.count < budget && stalls < 100_000 && !pop.isEmpty {
            let picks = rng.sample(Array(pop.indices), min(sample, pop.count))
            let parent = picks.map { pop[$0] }.max { $0.fit < $1.fit || ($0.fit == $1.fit && $0.arch > $1.arch) }!
            var child = Baselines.mutate(parent.arch, &rng)
            var tries = 0
            while !space.contains(child) && tries < 1000 {
                child = Baselines.mutate(parent.arch, &rng)
                tries += 1
            }
            guard space.contains(child) else {
                stalls += 1
                continue
            }
            if cached, let f = seen[child.code] {
                // Not trained again: the child joins with its first result, and the search has made no progress.
                stalls += 1
                pop.append((child, f))
                pop.removeFirst()
                continue
            }
            outstanding = [child]
            return [child]
        }
        exhausted = true
        return []
    }

    public func tell(_ a: NB201Arch, _ accuracy: Double) throws {
        try answer(a, accuracy)
        seen[a.code] = accuracy
        pop.append((a, accuracy))
        if evolving {
            stalls = 0
            pop.removeFirst()
        }
    }

    public func fail(_ a: NB201Arch) throws { try answer(a, nil) }
}

/// REINFORCE with a single-cell LSTM controller and a moving-average baseline b: after each trained model with
/// reward R (accuracy / 100), θ ← θ + Adam step on (R − b)·∇ Σ log π(a_t); b ← β·b + (1 − β)·R. One model at a
/// time; a failed model teaches the controller nothing.
public final class ReinforceSession: BaselineSession, AskTellSession {
    var controller: LSTMController
    var adam: AdamState
    let learningRate: Double, baselineDecay: Double
    var baseline: Double? = nil
    var rejections = 0
    var tape: LSTMController.Tape?

    public init(_ space: Baselines.Space, budget: Int, learningRate: Double, hidden: Int, baselineDecay: Double, seed: Int) {
        controller = LSTMController(hidden: hidden, seed: SeededRandom.subseed(seed, 1))
        adam = AdamState(count: controller.count)
        self.learningRate = learningRate
        self.baselineDecay = baselineDecay
        super.init(space, budget: budget, seed: seed)
    }

    public func ask(_ n: Int) -> [NB201Arch] {
        guard n > 0, outstanding.isEmpty, !finished else { return [] }
        while rejections < 100_000 {
            let t = controller.forward(&rng)
            let a = NB201Arch(ops: t.actions.map { NB201Op(rawValue: $0)! })
            guard space.contains(a) else {
                rejections += 1
                continue
            }
            tape = t
            outstanding = [a]
            return [a]
        }
        exhausted = true
        return []
    }

    public func tell(_ a: NB201Arch, _ accuracy: Double) throws {
        try answer(a, accuracy)
        let reward = accuracy / 100
        let b = baseline ?? reward
        let advantage = reward - b
        let g = controller.gradLogProb(tape!)
        // Ascend: the loss is −advantage·log π.
        adam.step(&controller.params, g.map { -advantage * $0 }, learningRate: learningRate)
        baseline = baselineDecay * b + (1 - baselineDecay) * reward
        tape = nil
    }

    public func fail(_ a: NB201Arch) throws {
        try answer(a, nil)
        tape = nil
    }
}
