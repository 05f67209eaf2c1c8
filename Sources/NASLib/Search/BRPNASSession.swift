/// What BRP-NAS needs from a predictor over models of any space: retrain on models with their normalised
/// accuracies (the weights carry over between calls), and rank candidates best first.
public struct SessionRanker<Model> {
    public let retrain: ([Model], [Double], TrainingOptions, Int, (EpochRecord) throws -> Void) throws -> Void
    public let rank: ([Model]) -> [Model]
    /// Fewer models with an accuracy than this (a pair predictor needs a pair) and retraining is skipped: the
    /// predictor keeps its weights until there is something to learn from.
    public let minimumModels: Int

    public init(
        retrain: @escaping ([Model], [Double], TrainingOptions, Int, (EpochRecord) throws -> Void) throws -> Void,
        rank: @escaping ([Model]) -> [Model], minimumModels: Int = 1
    ) {
        self.retrain = retrain
        self.rank = rank
        self.minimumModels = minimumModels
    }
}

extension SessionRanker where Model == NB201Arch {
    /// An NB201 predictor (binary relation or regression GCN).
    public init(_ p: IterativeRanker) {
        self.init(
            retrain: { archs, targets, options, seed, observe in
                try p.retrain(archs, targets: targets, options: options, seed: seed, observe: observe)
            }, rank: p.rank, minimumModels: p is PairPredictor ? 2 : 1)
    }
}

extension SessionRanker where Model: GraphEncodable {
    /// A binary relation predictor over any graph-encoded space (DARTS, NAS-Bench-101).
    public init(_ p: PairPredictor) {
        self.init(
            retrain: { models, targets, options, seed, observe in
                try p.train(
                    graphs: models.map(\.cellGraph), targets: targets, options: options, seed: seed, observe: observe)
            }, rank: { models in p.rank(graphs: models.map(\.cellGraph)).map { models[$0] } }, minimumModels: 2)
    }
}

/// BRP-NAS (Algorithm 1) driven step by step, for evaluations that are not table lookups: `ask` proposes models to
/// evaluate, `tell` records each one's accuracy (or `fail` that its evaluation failed), and when every model of an
/// iteration has been answered the predictor is retrained and the next iteration's models are chosen. After the
/// predictor budget K, the rest of the budget M goes down the final ranking.
///
/// Driven with the benchmark's accuracies and given the benchmark's range for normalisation, it proposes exactly
/// the models of `BRPNAS.run` in the same order (tested; `run` is this loop); with `normalizeBy: nil` the
/// regression targets are normalised by the accuracies told so far, which is all a real search knows.
///
/// A failed evaluation counts against the budget M (its cost was spent) and is left out of the predictor's
/// training set. The state depends only on the seed and on the results per model, not on the order in which they
/// are told, so a search replayed from a journal of results reaches exactly the same state.
public final class BRPNASSession<Model: Hashable> {
    public let options: BRPNAS.Options
    public let seed: Int
    let ranker: SessionRanker<Model>
    let base: TrainingOptions
    let candidates: [Model]
    let normalizer: (low: Double, high: Double)?
    let observe: (Int, EpochRecord) throws -> Void
    /// How candidates are preferred, given the predictor's accuracy ranking (nil: that ranking). A multi-objective
    /// search puts the predicted non-dominated candidates first (`Pareto.preferenceOrder` over rank and costs).
    let reorder: (([Model]) -> [Model])?
    /// Models the final phase passes over without training them (Algorithm 1: those truly over the latency limit,
    /// checked before training); nil: the final phase trains the top M − K untrained candidates as they come.
    let skip: ((Model) -> Bool)?
    /// The final-phase models passed over by `skip`, in ranking order; they use none of the budget and are never
    /// replaced (Algorithm 1 trains the feasible ones among the top M − K), so the search trains M − skipped.count.
    public private(set) var skipped: [Model] = []
    var rng: SeededRandom
    /// The iteration whose models are being evaluated (iterations: the predictor phase is over).
    public private(set) var iteration = 0
    /// Proposed, not yet asked; asked, not yet told.
    var queue: [Model] = []
    var outstanding: Set<Model> = []
    /// Every model proposed, in proposal order (what the predictor trains on, as in `run`).
    public private(set) var order: [Model] = []
    var told: [Model: Double] = [:]
    var failed: Set<Model> = []
    /// The predictor's ranking of the candidates after its last retraining (nil before).
    public private(set) var finalRanking: [Model]?
    /// The results in the order they were told (accuracy nil: the evaluation failed).
    public private(set) var history: [(arch: Model, accuracy: Double?)] = []

    public init(
        options: BRPNAS.Options, ranker: SessionRanker<Model>, base: TrainingOptions, candidates: [Model],
        seed: Int, normalizeBy: (low: Double, high: Double)?,
        observe: @escaping (Int, EpochRecord) throws -> Void = { _, _ in }, reorder: (([Model]) -> [Model])? = nil,
        skip: ((Model) -> Bool)? = nil
    ) throws {
        let o = options
        guard o.K >= o.iterations, o.iterations >= 1, o.M >= o.K else {
            throw NASLibError(
                "BRP-NAS needs M ≥ K ≥ iterations ≥ 1 (M = \(o.M), K = \(o.K), iterations = \(o.iterations))")
        }
        guard candidates.count >= o.M else {
            throw NASLibError("only \(candidates.count) candidate models, fewer than the budget M = \(o.M)")
        }
        guard Set(candidates).count == candidates.count else {
            throw NASLibError("the candidate models are not distinct")
        }
        self.options = options
        self.ranker = ranker
        self.base = base
        self.candidates = candidates
        self.seed = seed
        self.normalizer = normalizeBy
        self.observe = observe
        self.reorder = reorder
        self.skip = skip
        rng = SeededRandom(seed: seed).derived(0)
        propose(rng.sample(candidates, count(0)))
    }

    /// Models in iteration i (the last one takes the remainder of K).
    func count(_ i: Int) -> Int {
        let per = options.K / options.iterations
        return i == options.iterations - 1 ? options.K - per * (options.iterations - 1) : per
    }

    func propose(_ archs: [Model]) {
        queue += archs
        order += archs
    }

    /// Whether all M models have been answered (or, in the final phase, passed over by `skip`).
    public var finished: Bool { history.count + skipped.count >= options.M }

    /// Up to n models to evaluate next. Fewer (or none) while the current iteration waits for results: the
    /// predictor needs them all before it can choose again.
    public func ask(_ n: Int) -> [Model] {
        let k = min(max(0, n), queue.count)
        let out = Array(queue.prefix(k))
        queue.removeFirst(k)
        outstanding.formUnion(out)
        return out
    }

    /// Records a model's accuracy; the last result of an iteration retrains the predictor and proposes the next
    /// models.
    public func tell(_ a: Model, _ accuracy: Double) throws {
        guard accuracy.isFinite else { throw NASLibError("the accuracy of \(a) is not a number") }
        try answer(a, accuracy)
    }

    /// Records that a model's evaluation failed: it uses its share of the budget and is not trained on.
    public func fail(_ a: Model) throws { try answer(a, nil) }

    func answer(_ a: Model, _ accuracy: Double?) throws {
        guard outstanding.remove(a) != nil else {
            throw NASLibError(told[a] != nil || failed.contains(a) ? "\(a) was told already" : "\(a) was not asked for")
        }
        if let v = accuracy { told[a] = v } else { failed.insert(a) }
        history.append((a, accuracy))
        if iteration < options.iterations, queue.isEmpty, outstanding.isEmpty { try advance() }
    }

    /// Retrains on every model told so far (in proposal order) and proposes the next iteration's models, or, after
    /// the last iteration, the rest of the budget in the final ranking's order.
    func advance() throws {
        let i = iteration
        var opts = base
        opts.epochs = max(1, options.epochs * (i + 1) / options.iterations)
        opts.batch = max(2, options.batch * (i + 1) / options.iterations)
        let known = order.filter { told[$0] != nil }
        // Too few results (failed evaluations, or one model per iteration for a pair predictor): nothing to learn
        // from yet, the predictor keeps its weights.
        if known.count >= ranker.minimumModels {
            let values = known.map { told[$0]! }
            let (low, high) = normalizer ?? (values.min()!, values.max()!)
            let targets = values.map { ($0 - low) / max(high - low, 1e-12) }
            try ranker.retrain(known, targets, opts, SeededRandom.subseed(seed, 10 + i)) { try observe(i, $0) }
        }
        iteration += 1
        let trained = Set(order)
        let ranking = { () -> [Model] in
            let r = self.ranker.rank(self.candidates)
            return self.reorder?(r) ?? r
        }
        if iteration < options.iterations {
            let search = BRPNAS(options: options)
            propose(search.select(count(iteration), ranking: ranking(), iteration: iteration, trained: trained, &rng))
        } else {
            let final = ranking()
            finalRanking = final
            let top = final.filter { !trained.contains($0) }.prefix(options.M - order.count)
            skipped = skip.map { s in top.filter(s) } ?? []
            propose(skip.map { s in top.filter { !s($0) } } ?? Array(top))
        }
    }

    /// Where the search is, for progress lines and displays.
    public var stage: String {
        iteration < options.iterations ? "iteration \(iteration + 1)/\(options.iterations)" : "down the final ranking"
    }

    /// The best accuracy told so far and its model (ties: the one proposed first).
    public var best: (arch: Model, accuracy: Double)? {
        var out: (arch: Model, accuracy: Double)? = nil
        for a in order { if let v = told[a], v > (out?.accuracy ?? -.infinity) { out = (a, v) } }
        return out
    }
}

extension BRPNASSession where Model == NB201Arch {
    /// An NB201 session normalised like a benchmark signal (or, nil, by the accuracies told).
    public convenience init(
        options: BRPNAS.Options, predictor: IterativeRanker, base: TrainingOptions, candidates: [NB201Arch],
        seed: Int, normalizeBy signal: AccuracySignal?,
        observe: @escaping (Int, EpochRecord) throws -> Void = { _, _ in },
        reorder: (([NB201Arch]) -> [NB201Arch])? = nil, skip: ((NB201Arch) -> Bool)? = nil
    ) throws {
        try self.init(
            options: options, ranker: SessionRanker(predictor), base: base, candidates: candidates, seed: seed,
            normalizeBy: signal.map { ($0.low, $0.high) }, observe: observe, reorder: reorder, skip: skip)
    }
}
