import Foundation

/// What a GCN latency predictor was trained from: everything needed to train it again.
public struct GCNPredictorSpec: Sendable, Equatable, Codable {
    /// The device table's stable name.
    public var device: String
    /// Training and validation models (the rest of the device's models are the test set).
    public var n = 900
    public var valid = 100
    public var seed = 1
    public var config = GCNConfig()
    public var options = TrainingOptions()
    /// float32 by default: as accurate as eagle's float64 on Table S2's setting and twice as fast
    /// (docs/reproducing.md, "Precision").
    public var precision = AnyGCN.Precision.float32

    public init(device: String) { self.device = device }
}

/// A GCN that predicts a device's latency (seconds) from the cell graph (SPEC §3).
// Sendable, unchecked: immutable once trained; predictions read the weights only.
public final class LatencyPredictor: @unchecked Sendable {
    public let spec: GCNPredictorSpec
    public let model: AnyGCN
    public let trainArchs: [NB201Arch]
    public let validArchs: [NB201Arch]
    public let testArchs: [NB201Arch]
    public let history: [EpochRecord]
    /// Wall-clock seconds the training took.
    public let trainingSeconds: Double
    private var allPredictions: [Double]?
    private let lock = NSLock()

    init(
        spec: GCNPredictorSpec, model: AnyGCN, train: [NB201Arch], valid: [NB201Arch], test: [NB201Arch],
        history: [EpochRecord], seconds: Double
    ) {
        self.spec = spec
        self.model = model
        trainArchs = train
        validArchs = valid
        testArchs = test
        self.history = history
        trainingSeconds = seconds
    }

    /// The random split: the device's measured models in code order, permuted by the seed.
    public static func split(_ table: MetricTable, n: Int, valid: Int, seed: Int) throws -> (
        [NB201Arch], [NB201Arch], [NB201Arch]
    ) {
        let models = table.measured
        guard n >= 1, valid >= 0, n + valid <= models.count else {
            throw NASLibError(
                "n + valid = \(n + valid) exceeds the \(models.count) models measured on \(table.name) (n ≥ 1)")
        }
        var rng = SeededRandom(seed: seed).derived(0)
        let order = rng.permutation(models.count).map { models[$0] }
        return (Array(order[..<n]), Array(order[n..<(n + valid)]), Array(order[(n + valid)...]))
    }

    /// Trains a predictor on a device table. `observe` sees every epoch and may throw to stop.
    public static func train(
        _ table: MetricTable, spec: GCNPredictorSpec,
        observe: (EpochRecord) throws -> Void = { _ in }
    ) throws -> LatencyPredictor {
        let (train, valid, test) = try split(table, n: spec.n, valid: spec.valid, seed: spec.seed)
        let model = AnyGCN(precision: spec.precision, config: spec.config, seed: SeededRandom.subseed(spec.seed, 1))
        let start = DispatchTime.now().uptimeNanoseconds
        let history = try model.train(
            train: train.map(\.graph), trainTargets: train.map { table[$0]! }, valid: valid.map(\.graph),
            validTargets: valid.map { table[$0]! }, options: spec.options,
            seed: SeededRandom.subseed(spec.seed, 2), observe: observe)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return LatencyPredictor(
            spec: spec, model: model, train: train, valid: valid, test: test, history: history, seconds: seconds)
    }

    /// Predicted latency (seconds) of every NB201 arch, by code (computed once).
    public func predictAll() -> [Double] {
        lock.lock()
        defer { lock.unlock() }
        if let p = allPredictions { return p }
        let p = model.predict(EvaluationPlan.nb201(layers: spec.config.layers))
        allPredictions = p
        return p
    }

    /// Predicts every model without the cached predictions (for timing; the space's plan is kept).
    public static func predictAllFresh(_ p: LatencyPredictor) -> [Double] {
        p.model.predict(EvaluationPlan.nb201(layers: p.spec.config.layers))
    }

    public func predict(_ archs: [NB201Arch]) -> [Double] {
        let all = predictAll()
        return archs.map { all[$0.code] }
    }

    /// How a trained predictor fits its own validation models (nil with fewer than 10 of them): the rank correlation
    /// of its predictions with the measured latencies, and its mean absolute error beside that of the constant
    /// predictor that answers the training models' median latency. A predictor that ranks them poorly, or errs more
    /// than that constant, has failed (docs/predictors.md, "Small trainings").
    public struct ValidationFit: Sendable, Equatable {
        public let count: Int
        public let spearman: Double
        /// Mean absolute error (seconds) of the predictor on the validation models.
        public let mae: Double
        /// Mean absolute error (seconds) of predicting the training models' median latency for every one of them.
        public let constantMAE: Double

        public init(count: Int, spearman: Double, mae: Double, constantMAE: Double) {
            self.count = count
            self.spearman = spearman
            self.mae = mae
            self.constantMAE = constantMAE
        }
    }

    public func validationFit(_ table: MetricTable) -> ValidationFit? {
        guard validArchs.count >= 10, !trainArchs.isEmpty else { return nil }
        let predicted = model.predict(EvaluationPlan(validArchs.map(\.graph), layers: spec.config.layers))
        let truth = validArchs.map { table[$0]! }
        let median = LatencyStatistic.percentile(trainArchs.map { table[$0]! }, 50)
        func mae(_ p: [Double]) -> Double { zip(p, truth).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(truth.count) }
        return ValidationFit(
            count: truth.count, spearman: Statistics.spearman(predicted, truth), mae: mae(predicted),
            constantMAE: mae(Array(repeating: median, count: truth.count)))
    }

    /// Accuracy on the held-out test models.
    public func testMetrics(_ table: MetricTable, rule: PredictionMetrics.Rule = .eagle) -> PredictionMetrics {
        PredictionMetrics(predicted: predict(testArchs), truth: testArchs.map { table[$0]! }, rule: rule)
    }
}
