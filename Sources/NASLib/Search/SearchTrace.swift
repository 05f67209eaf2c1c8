/// What a search needs to know about the world: the accuracy it reports, and (for a
/// latency-constrained search) the true latency and the limit.
public struct SearchProblem: Sendable {
    /// The reported accuracy (%, e.g. CIFAR-100 test, mean over seeds).
    public let report: MetricTable
    /// The device's measured latency (seconds), when a limit applies.
    public let latency: MetricTable?
    public let limit: Double?

    public init(report: MetricTable, latency: MetricTable? = nil, limit: Double? = nil) {
        self.report = report
        self.latency = latency
        self.limit = limit
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
    }

    public let seed: Int
    public private(set) var steps: [Step] = []
    /// Extra measurements of the run (e.g. the final ranking's Spearman ρ).
    public var extras: [String: Double] = [:]

    public init(seed: Int) { self.seed = seed }

    public mutating func train(_ a: NB201Arch, _ problem: SearchProblem) {
        steps.append(Step(arch: a, accuracy: problem.report[a] ?? .nan, latency: problem.latency?[a], feasible: problem.feasible(a)))
    }

    /// Best feasible reported accuracy after each number of trained models (nil before the
    /// first feasible one).
    public var curve: [Double?] {
        var best: Double? = nil
        return steps.map { s in
            if s.feasible, !s.accuracy.isNaN { best = max(best ?? -.infinity, s.accuracy) }
            return best
        }
    }

    public var best: Step? {
        steps.filter { $0.feasible && !$0.accuracy.isNaN }.max { $0.accuracy < $1.accuracy || ($0.accuracy == $1.accuracy && $0.arch > $1.arch) }
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
