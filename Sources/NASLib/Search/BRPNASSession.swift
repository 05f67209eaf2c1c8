/// BRP-NAS (Algorithm 1) driven step by step, for evaluations that are not table lookups: `ask` proposes models to
/// evaluate, `tell` records each one's accuracy, and when every model of an iteration has been told the predictor is
/// retrained and the next iteration's models are chosen. After the predictor budget K, the rest of the budget M goes
/// down the final ranking.
///
/// Driven with the benchmark's accuracies and given the benchmark's signal for normalisation, it proposes exactly
/// the models of `BRPNAS.run` in the same order (tested); with `normalizeBy: nil` the regression targets are
/// normalised by the accuracies told so far, which is all a real search knows.
public final class BRPNASSession {
    public let options: BRPNAS.Options
    public let seed: Int
    let predictor: IterativeRanker
    let base: TrainingOptions
    let candidates: [NB201Arch]
    let normalizer: AccuracySignal?
    let observe: (Int, EpochRecord) throws -> Void
    var rng: SeededRandom
    /// The iteration whose models are being evaluated (iterations: the predictor phase is over).
    public private(set) var iteration = 0
    /// Proposed, not yet asked; asked, not yet told.
    var queue: [NB201Arch] = []
    var outstanding: Set<NB201Arch> = []
    /// Every model proposed, in proposal order (what the predictor trains on, as in `run`).
    var order: [NB201Arch] = []
    var told: [NB201Arch: Double] = [:]
    /// The predictor's ranking of the candidates after its last retraining (nil before).
    public private(set) var finalRanking: [NB201Arch]?
    /// The results in the order they were told.
    public private(set) var history: [(arch: NB201Arch, accuracy: Double)] = []

    public init(options: BRPNAS.Options, predictor: IterativeRanker, base: TrainingOptions, candidates: [NB201Arch],
                seed: Int, normalizeBy: AccuracySignal?, observe: @escaping (Int, EpochRecord) throws -> Void = { _, _ in }) throws {
        let o = options
        guard o.K >= o.iterations, o.iterations >= 1, o.M >= o.K else {
            throw NASLibError("BRP-NAS needs M ≥ K ≥ iterations ≥ 1 (M = \(o.M), K = \(o.K), iterations = \(o.iterations))")
        }
        guard candidates.count >= o.M else {
            throw NASLibError("only \(candidates.count) candidate models, fewer than the budget M = \(o.M)")
        }
        self.options = options
        self.predictor = predictor
        self.base = base
        self.candidates = candidates
        self.seed = seed
        self.normalizer = normalizeBy
        self.observe = observe
        rng = SeededRandom(seed: seed).derived(0)
        propose(rng.sample(candidates, count(0)))
    }

    /// Models in iteration i (the last one takes the remainder of K).
    func count(_ i: Int) -> Int {
        let per = options.K / options.iterations
        return i == options.iterations - 1 ? options.K - per * (options.iterations - 1) : per
    }

    func propose(_ archs: [NB201Arch]) {
        queue += archs
        order += archs
    }

    /// Whether all M models have been told.
    public var finished: Bool { history.count >= options.M }

    /// Up to n models to evaluate next. Fewer (or none) while the current iteration waits for results: the
    /// predictor needs them all before it can choose again.
    public func ask(_ n: Int) -> [NB201Arch] {
        let k = min(max(0, n), queue.count)
        let out = Array(queue.prefix(k))
        queue.removeFirst(k)
        outstanding.formUnion(out)
        return out
    }

    /// Records a model's accuracy; the last result of an iteration retrains the predictor and proposes the next
    /// models.
    public func tell(_ a: NB201Arch, _ accuracy: Double) throws {
        guard outstanding.remove(a) != nil else {
            throw NASLibError(told[a] != nil ? "\(a) was told already" : "\(a) was not asked for")
        }
        guard accuracy.isFinite else { throw NASLibError("the accuracy of \(a) is not a number") }
        told[a] = accuracy
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
        try predictor.retrain(order, signal(), options: opts, seed: SeededRandom.subseed(seed, 10 + i)) { try observe(i, $0) }
        iteration += 1
        let trained = Set(order)
        if iteration < options.iterations {
            let search = BRPNAS(options: options)
            propose(search.select(count(iteration), ranking: predictor.rank(candidates), iteration: iteration, trained: trained, &rng))
        } else {
            let final = predictor.rank(candidates)
            finalRanking = final
            propose(Array(final.filter { !trained.contains($0) }.prefix(options.M - order.count)))
        }
    }

    /// What the predictor learns from: the benchmark's signal (its normalisation), or the accuracies told so far.
    func signal() -> AccuracySignal {
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for (a, v) in told { values[a.code] = v }
        let table = MetricTable(name: "told", values: values)
        guard let n = normalizer else { return AccuracySignal(table) }
        return AccuracySignal(table, low: n.low, high: n.high)
    }
}
