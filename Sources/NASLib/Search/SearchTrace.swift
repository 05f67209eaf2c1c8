/// What a search needs to know about the world: the accuracy it reports, and (for a
/// latency-constrained search) the true latency and the limit.
public struct SearchProblem: Sendable {
    /// The reported accuracy (%, e.g. CIFAR-100 test, mean over seeds).
    public let report: MetricTable
    /// The device's measured latency (seconds), when a limit applies.
    public let latency: MetricTable?
    public let limit: Double?
    /// How the result after k trained models is chosen. nil: the best reported accuracy among them (the
    /// NAS-Bench convention, and the paper's "best test accuracy" plots). A table (e.g. validation accuracy): the
    /// model with the highest value in it is the one the search picks, and its reported accuracy is the result,
    /// so the reported (test) accuracy never influences what is picked.
    public let selection: MetricTable?

    public init(report: MetricTable, latency: MetricTable? = nil, limit: Double? = nil, selection: MetricTable? = nil) {
        self.report = report
        self.latency = latency
        self.limit = limit
        self.selection = selection
    }

    /// Whether a model truly meets the limit (always, without one; never when unmeasured).
    public func feasible(_ a: NB201Arch) -> Bool {
        guard let l = limit else { return true }
        guard let t = latency?[a] else { return false }
        return t <= l
    }

    /// The best reported accuracy over the truly feasible models (the global optimum).
    public var optimum: Double? { feasibleModels.compactMap { report[$0] }.max() }

    public var feasibleModels: [NB201Arch] { report.measured.filter(feasible) }
}

/// The models a search trained, in order, and what it found.
public struct SearchTrace: Sendable {
    public struct Step: Sendable, Equatable {
        public let arch: NB201Arch
        /// Reported accuracy (%).
        public let accuracy: Double
        /// True latency (seconds), when known.
        public let latency: Double?
        public let feasible: Bool
        /// The value the pick is made on (see `SearchProblem.selection`), nil when picks go by reported accuracy.
        public var selectedBy: Double? = nil
    }

    public let seed: Int
    public private(set) var steps: [Step] = []
    /// Extra measurements of the run (e.g. the final ranking's Spearman ρ).
    public var extras: [String: Double] = [:]

    public init(seed: Int) { self.seed = seed }

    public mutating func train(_ a: NB201Arch, _ problem: SearchProblem) {
        var step = Step(
            arch: a, accuracy: problem.report[a] ?? .nan, latency: problem.latency?[a], feasible: problem.feasible(a))
        if let sel = problem.selection { step.selectedBy = sel[a] ?? .nan }
        steps.append(step)
    }

    /// The pick among steps: the highest reported accuracy, or (with a selection table) the highest selection
    /// value; ties go to the smaller arch code. Only feasible steps with both values count.
    static func better(_ x: Step, than y: Step) -> Bool {
        let kx = x.selectedBy ?? x.accuracy
        let ky = y.selectedBy ?? y.accuracy
        return kx > ky || (kx == ky && x.arch < y.arch)
    }

    static func counts(_ s: Step) -> Bool { s.feasible && !s.accuracy.isNaN && !(s.selectedBy?.isNaN ?? false) }

    /// The reported accuracy of the pick after each number of trained models (nil before the first feasible one).
    public var curve: [Double?] {
        var pick: Step? = nil
        return steps.map { s in
            if SearchTrace.counts(s), pick.map({ SearchTrace.better(s, than: $0) }) ?? true { pick = s }
            return pick?.accuracy
        }
    }

    public var best: Step? {
        steps.filter(SearchTrace.counts).reduce(nil) { b, s in b.map { SearchTrace.better(s, than: $0) ? s : $0 } ?? s }
    }

    /// 1 + the number of feasible models strictly better than the best found.
    public func rank(in problem: SearchProblem) -> Int? {
        guard let b = best else { return nil }
        return 1 + problem.feasibleModels.filter { (problem.report[$0] ?? -.infinity) > b.accuracy }.count
    }

    /// Trained models until the optimum was found (nil if never).
    public func modelsToOptimum(_ problem: SearchProblem) -> Int? {
        guard let opt = problem.optimum else { return nil }
        return curve.firstIndex { $0 == opt }.map { $0 + 1 }
    }
}
