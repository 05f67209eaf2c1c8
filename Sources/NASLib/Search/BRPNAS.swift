import Foundation

/// BRP-NAS (Algorithm 1 of the supplement): train a binary relation predictor on few models
/// chosen iteratively, then train the models it ranks best. The same loop drives a standard GCN
/// accuracy predictor (`predictor`), for the ablations of Figure S6.
public struct BRPNAS: Sendable {
    public struct Options: Sendable, Equatable, Codable {
        /// Predictor budget (models trained to train the predictor).
        public var K = 100
        /// Share of each iteration's models taken from the top of the ranking (the rest random
        /// among the top |C| / 2^i).
        public var alpha = 0.5
        public var iterations = 5
        /// Total budget (trained models), M ≥ K.
        public var M = 100
        public var predictor = PairPredictor.Spec()
        /// Epochs and batch of the last iteration; iteration i (1-based) gets i/iterations of them
        /// (eagle: 250 epochs, batch 64 pairs for K = 100, so 50·i epochs, 12·i pairs).
        public var epochs = 250
        public var batch = 64
        public init() {}
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// One run. `candidates`: the models the latency predictor puts under the limit (or all);
    /// `signal`: the accuracy the predictor learns from. `observe` sees (iteration, epoch record). `skipOverLimit`:
    /// the final phase passes over the models truly over the problem's limit without training them (Algorithm 1).
    public func run(
        candidates: [NB201Arch], signal: AccuracySignal, problem: SearchProblem, seed: Int,
        observe: @escaping (Int, EpochRecord) throws -> Void = { _, _ in },
        reorder: (([NB201Arch]) -> [NB201Arch])? = nil, skipOverLimit: Bool = false
    ) throws -> SearchTrace {
        let predictor = PairPredictor(spec: options.predictor, seed: SeededRandom.subseed(seed, 1))
        return try run(
            predictor, options: options.predictor.options, candidates: candidates, signal: signal, problem: problem,
            seed: seed, observe: observe, reorder: reorder, skipOverLimit: skipOverLimit)
    }

    /// One run with any iteratively retrained predictor; `base` are its training options (their
    /// epochs and batch are scaled per iteration from `options.epochs` and `options.batch`). The ask/tell loop of
    /// `BRPNASSession` with the benchmark as the evaluator: every proposed model is looked up at once.
    public func run(
        _ predictor: IterativeRanker, options base: TrainingOptions, candidates: [NB201Arch], signal: AccuracySignal,
        problem: SearchProblem, seed: Int, observe: @escaping (Int, EpochRecord) throws -> Void = { _, _ in },
        reorder: (([NB201Arch]) -> [NB201Arch])? = nil, skipOverLimit: Bool = false
    ) throws -> SearchTrace {
        let skip: ((NB201Arch) -> Bool)? = skipOverLimit && problem.limit != nil ? { !problem.feasible($0) } : nil
        let session = try BRPNASSession(
            options: options, predictor: predictor, base: base, candidates: candidates, seed: seed,
            normalizeBy: signal, observe: observe, reorder: reorder, skip: skip)
        var trace = SearchTrace(seed: seed)
        while !session.finished {
            let asked = session.ask(options.M)
            guard !asked.isEmpty else {
                throw NASLibError("BRP-NAS proposed no model before its budget (internal error)")
            }
            for a in asked {
                trace.train(a, problem)
                try session.tell(a, signal.table[a]!)
            }
        }
        if skip != nil { trace.extras["skipped"] = Double(session.skipped.count) }
        if let final = session.finalRanking {
            trace.extras["spearman"] = RankingQuality(ranked: final, truth: signal.table, ks: []).spearman
        }
        return trace
    }

    /// Iteration i ≥ 1: alpha·count best by the ranking, the rest at random among the top
    /// |C| / 2^i not yet trained (topped up from the ranking if that pool runs out).
    func select<Model: Hashable>(
        _ count: Int, ranking: [Model], iteration i: Int, trained: Set<Model>,
        _ rng: inout SeededRandom
    ) -> [Model] {
        let best = min(count, Int((options.alpha * Double(count) + 1e-9).rounded(.down)))
        var picked: [Model] = []
        var taken = trained
        for a in ranking where picked.count < best && !taken.contains(a) {
            picked.append(a)
            taken.insert(a)
        }
        let top = max(1, ranking.count >> min(i, 62))
        let pool = ranking.prefix(top).filter { !taken.contains($0) }
        let random = rng.sample(pool, min(count - picked.count, pool.count))
        picked += random
        taken.formUnion(random)
        for a in ranking where picked.count < count && !taken.contains(a) {
            picked.append(a)
            taken.insert(a)
        }
        return picked
    }
}
