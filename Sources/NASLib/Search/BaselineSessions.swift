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
    /// An evaluation's whole outcome (its accuracy and any metrics the evaluator reported, such as a measured
    /// latency): a multi-objective search reads its costs from it; every other search takes the accuracy (or, with
    /// none, the failure).
    func tell(_ a: Model, outcome: SearchJournal.Outcome) throws
    var finished: Bool { get }
    var history: [(arch: Model, accuracy: Double?)] { get }
}

extension AskTellSession {
    public func tell(_ a: Model, outcome: SearchJournal.Outcome) throws {
        if let v = outcome.accuracy { try tell(a, v) } else { try fail(a) }
    }
}

extension BRPNASSession: AskTellSession {}

/// Bookkeeping the baseline sessions share: the budget, what is outstanding, the answers.
public class BaselineSession<Model: Hashable> {
    public let budget: Int
    /// The search's random stream (also what a benchmark evaluator with per-seed accuracies draws from, so the
    /// one-call form consumes it exactly as before).
    var rng: SeededRandom
    var outstanding: [Model] = []
    public private(set) var history: [(arch: Model, accuracy: Double?)] = []
    /// The search cannot propose any more (every proposal rejected 100,000 times in a row).
    var exhausted = false

    init(budget: Int, seed: Int) {
        self.budget = budget
        rng = SeededRandom(seed: seed)
    }

    public var finished: Bool { history.count >= budget || exhausted }

    /// Removes `a` from the outstanding models (an error if it was not asked for) and records the answer.
    func answer(_ a: Model, _ accuracy: Double?) throws {
        guard let i = outstanding.firstIndex(of: a) else {
            throw NASLibError("\(a) was not asked for (or was told already)")
        }
        if let v = accuracy, !v.isFinite { throw NASLibError("the accuracy of \(a) is not a number") }
        outstanding.remove(at: i)
        history.append((a, accuracy))
    }

    /// How many more models may be proposed now.
    var room: Int { max(0, budget - history.count - outstanding.count) }
}

/// Random search: independent random models (repeats allowed); `draw` returns nil for a model the search may not
/// train (it is drawn again; 100,000 nils in a row end the search). Proposals do not depend on answers, so `ask(n)`
/// gives n at once.
public final class RandomSearchSession<Model: Hashable>: BaselineSession<Model>, AskTellSession {
    let draw: (inout SeededRandom) -> Model?
    var rejections = 0

    public init(budget: Int, seed: Int, draw: @escaping (inout SeededRandom) -> Model?) {
        self.draw = draw
        super.init(budget: budget, seed: seed)
    }

    public func ask(_ n: Int) -> [Model] {
        var out: [Model] = []
        while out.count < min(max(0, n), room) && !exhausted {
            if let a = draw(&rng) {
                out.append(a)
                rejections = 0
            } else {
                rejections += 1
                exhausted = rejections >= 100_000
            }
        }
        outstanding += out
        return out
    }

    public func tell(_ a: Model, _ accuracy: Double) throws { try answer(a, accuracy) }
    public func fail(_ a: Model) throws { try answer(a, nil) }
}

extension RandomSearchSession where Model == NB201Arch {
    /// NB201: each op drawn uniformly, rejected if not in the space.
    public convenience init(_ space: Baselines.Space, budget: Int, seed: Int) {
        self.init(budget: budget, seed: seed) { rng in
            let a = NB201Arch(ops: (0..<6).map { _ in NB201Op(rawValue: rng.int(below: 5))! })
            return space.contains(a) ? a : nil
        }
    }
}

/// Aging (regularized) evolution: a population of `population` models; each cycle samples `sample` of them,
/// mutates the fittest, trains the child, and drops the oldest. With `cached`, a model is never trained twice (a
/// repeat reuses its first result). One model at a time: each proposal depends on the last answer. A failed model
/// does not enter the population (and nothing ages). The space comes as `draw` (a random model for the initial
/// population, nil when none was found: a stall) and `mutate` (a child of a parent, nil when no allowed child was found); ties between equally fit
/// parents go to the one `first` puts first.
///
/// With `costs` the evolution is multi-objective in the NSGA-II manner (docs/search.md, "Accuracy and cost
/// together"): each told model's costs are read (from a table, a predictor or the evaluation's own metrics), and the
/// fittest of a tournament is the one on the best non-dominated front of the population (accuracy maximised, costs
/// minimised), then the one with the larger crowding distance in its front, then the tie-break above.
public final class EvolutionSession<Model: Hashable>: BaselineSession<Model>, AskTellSession {
    /// A model's costs when it is told (one per cost objective).
    public typealias Costs = (Model, SearchJournal.Outcome) throws -> [Double]
    let population: Int, sample: Int, cached: Bool
    let draw: (inout SeededRandom) -> Model?
    let mutate: (Model, inout SeededRandom) -> Model?
    let first: (Model, Model) -> Bool
    let costs: Costs?
    /// What each told model scored: its accuracy, then its costs.
    public private(set) var seen: [Model: [Double]] = [:]
    var pop: [(arch: Model, fit: [Double])] = []
    var stalls = 0
    var evolving = false

    public init(
        budget: Int, population: Int, sample: Int, cached: Bool, seed: Int,
        draw: @escaping (inout SeededRandom) -> Model?,
        mutate: @escaping (Model, inout SeededRandom) -> Model?, first: @escaping (Model, Model) -> Bool,
        costs: Costs? = nil
    ) {
        self.population = population
        self.sample = sample
        self.cached = cached
        self.draw = draw
        self.mutate = mutate
        self.first = first
        self.costs = costs
        super.init(budget: budget, seed: seed)
    }

    /// The tournament's winner among population indices `picks`.
    func fittest(_ picks: [Int]) -> (arch: Model, fit: [Double]) {
        guard costs != nil else {
            return picks.map { pop[$0] }.max {
                $0.fit[0] < $1.fit[0] || ($0.fit[0] == $1.fit[0] && first($0.arch, $1.arch))
            }!
        }
        let points = pop.map { [-$0.fit[0]] + $0.fit.dropFirst() }
        var rank = [Int](repeating: 0, count: pop.count)
        var crowd = [Double](repeating: 0, count: pop.count)
        for (k, f) in Pareto.sortFronts(points).enumerated() {
            for (i, d) in zip(f, Pareto.crowding(points, f)) {
                rank[i] = k
                crowd[i] = d
            }
        }
        let winner = picks.max { a, b in
            rank[a] != rank[b]
                ? rank[a] > rank[b] : crowd[a] != crowd[b] ? crowd[a] < crowd[b] : first(pop[a].arch, pop[b].arch)
        }!
        return pop[winner]
    }

    public func ask(_ n: Int) -> [Model] {
        guard n > 0, outstanding.isEmpty, !finished else { return [] }
        if !evolving {
            while pop.count < population && history.count < budget && stalls < 100_000 {
                guard let a = draw(&rng), !(cached && seen[a] != nil) else {
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
            let parent = fittest(picks)
            guard let child = mutate(parent.arch, &rng) else {
                stalls += 1
                continue
            }
            if cached, let f = seen[child] {
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

    public func tell(_ a: Model, _ accuracy: Double) throws {
        try tell(a, outcome: SearchJournal.Outcome(accuracy: accuracy))
    }

    public func tell(_ a: Model, outcome: SearchJournal.Outcome) throws {
        guard let accuracy = outcome.accuracy else { return try fail(a) }
        var fit = [accuracy]
        if let costs {
            let c = try costs(a, outcome)
            guard c.allSatisfy(\.isFinite) else { throw NASLibError("a cost of \(a) is not a number") }
            fit += c
        }
        try answer(a, accuracy)
        seen[a] = fit
        pop.append((a, fit))
        if evolving {
            stalls = 0
            pop.removeFirst()
        }
    }

    public func fail(_ a: Model) throws { try answer(a, nil) }
}

extension EvolutionSession where Model == NB201Arch {
    /// NB201: the initial population drawn from the space's models, one op of one edge mutated (retried up to 1000
    /// times until the child is in the space), ties to the smaller arch.
    public convenience init(
        _ space: Baselines.Space, budget: Int, population: Int, sample: Int, cached: Bool, seed: Int,
        costs: Costs? = nil
    ) {
        self.init(
            budget: budget, population: population, sample: sample, cached: cached, seed: seed,
            draw: { rng in space.candidates[rng.int(below: space.candidates.count)] },
            mutate: { parent, rng in
                var child = Baselines.mutate(parent, &rng)
                var tries = 0
                while !space.contains(child) && tries < 1000 {
                    child = Baselines.mutate(parent, &rng)
                    tries += 1
                }
                return space.contains(child) ? child : nil
            }, first: { $0 > $1 }, costs: costs)
    }
}

/// REINFORCE with a single-cell LSTM controller and a moving-average baseline b: after each trained model with
/// reward R (accuracy / 100), θ ← θ + Adam step on (R − b)·∇ Σ log π(a_t); b ← β·b + (1 − β)·R. One model at a
/// time; a failed model teaches the controller nothing.
public final class ReinforceSession: BaselineSession<NB201Arch>, AskTellSession {
    let space: Baselines.Space
    var controller: LSTMController
    var adam: AdamState
    let learningRate: Double, baselineDecay: Double
    var baseline: Double? = nil
    var rejections = 0
    var tape: LSTMController.Tape?

    public init(
        _ space: Baselines.Space, budget: Int, learningRate: Double, hidden: Int, baselineDecay: Double, seed: Int
    ) {
        controller = LSTMController(hidden: hidden, seed: SeededRandom.subseed(seed, 1))
        adam = AdamState(count: controller.count)
        self.learningRate = learningRate
        self.baselineDecay = baselineDecay
        self.space = space
        super.init(budget: budget, seed: seed)
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
