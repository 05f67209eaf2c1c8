import Foundation

/// Accuracy as a training signal: a table, linearly normalised to [0, 1] over its models
/// (eagle trained on a normalised accuracy file).
public struct AccuracySignal: Sendable {
    public let table: MetricTable
    public let low: Double
    public let high: Double

    public init(_ table: MetricTable) {
        self.table = table
        let v = table.values.filter { !$0.isNaN }
        low = v.min() ?? 0
        high = v.max() ?? 1
    }

    /// A signal normalised by a given range (another signal's: an ask/tell search reproducing a benchmark run).
    public init(_ table: MetricTable, low: Double, high: Double) {
        self.table = table
        self.low = low
        self.high = high
    }

    public func normalized(_ a: NB201Arch) -> Double { (table[a]! - low) / max(high - low, 1e-12) }
    public var models: [NB201Arch] { table.measured }
}

/// How a predictor ranks models, best first, and how good that ranking is.
public protocol ModelRanker: AnyObject {
    /// The given models, best first.
    func rank(_ archs: [NB201Arch]) -> [NB201Arch]
}

/// A predictor a search retrains as it learns more models (the weights carry over).
public protocol IterativeRanker: ModelRanker {
    /// Trains (further) on these models; `targets` are their accuracies normalised to [0, 1].
    func retrain(
        _ archs: [NB201Arch], targets: [Double], options: TrainingOptions, seed: Int,
        observe: (EpochRecord) throws -> Void) throws
}

/// A regression GCN retrained on the models a search has trained (validated on them, as eagle
/// does when training iteratively), optionally started from another GCN's body.
// Sendable, unchecked: trained and queried by one search loop at a time; parallel parts only read it.
public final class RegressionRanker: IterativeRanker, @unchecked Sendable {
    public let model: AnyGCN
    public init(config: GCNConfig, precision: AnyGCN.Precision, seed: Int, initFrom: AnyGCN?) throws {
        model = AnyGCN(precision: precision, config: config, seed: seed)
        if let source = initFrom, !model.copyBody(from: source) {
            throw NASLibError("cannot transfer: the source predictor's GCN has another shape (layers/hidden)")
        }
    }

    public func retrain(
        _ archs: [NB201Arch], targets t: [Double], options: TrainingOptions, seed: Int,
        observe: (EpochRecord) throws -> Void
    ) throws {
        let g = archs.map(\.graph)
        _ = try model.train(
            train: g, trainTargets: t, valid: g, validTargets: t, options: options, seed: seed, observe: observe)
    }

    public func rank(_ archs: [NB201Arch]) -> [NB201Arch] {
        let s = model.predict(EvaluationPlan.of(archs, layers: model.config.layers))
        return archs.indices.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && archs[$0] < archs[$1]) }.map { archs[$0] }
    }
}

/// Quality of a ranking against the truth (Figure 3 middle): Spearman ρ and Kendall τ-b of the
/// ranks, and precision of the top-k (the share of the predicted top k that is in the true top k).
public struct RankingQuality: Sendable, Equatable {
    public let spearman: Double
    public let kendall: Double
    public let precision: [Int: Double]
    public let n: Int

    public init(ranked: [NB201Arch], truth: MetricTable, ks: [Int] = [10, 50, 100]) {
        let count = ranked.count
        n = count
        // Predicted score: position from the end (higher is better).
        let predicted = ranked.indices.map { Double(count - $0) }
        let actual = ranked.map { truth[$0]! }
        spearman = Statistics.spearman(predicted, actual)
        kendall = Statistics.kendallTauB(predicted, actual)
        let trueOrder = ranked.sorted { truth[$0]! > truth[$1]! || (truth[$0]! == truth[$1]! && $0 < $1) }
        var p: [Int: Double] = [:]
        for k in ks where k <= count {
            let top = Set(trueOrder.prefix(k))
            p[k] = Double(ranked.prefix(k).filter(top.contains).count) / Double(k)
        }
        precision = p
    }
}

/// A standard GCN accuracy predictor (regression on normalised accuracy, Table S3), optionally
/// initialised from another predictor's body (transfer, Figure S4).
// Sendable, unchecked: immutable once trained; predictions read the weights only.
public final class AccuracyRegressor: ModelRanker, @unchecked Sendable {
    public let model: AnyGCN
    public let trainArchs: [NB201Arch]
    public let history: [EpochRecord]

    init(model: AnyGCN, train: [NB201Arch], history: [EpochRecord]) {
        self.model = model
        trainArchs = train
        self.history = history
    }

    /// Trains on `train` (validated on `valid`, or on the training set itself when empty).
    public static func train(
        _ signal: AccuracySignal, train: [NB201Arch], valid: [NB201Arch], config: GCNConfig,
        options: TrainingOptions, precision: AnyGCN.Precision, seed: Int, initFrom: AnyGCN? = nil,
        observe: (EpochRecord) throws -> Void = { _ in }
    ) throws -> AccuracyRegressor {
        let model = AnyGCN(precision: precision, config: config, seed: SeededRandom.subseed(seed, 1))
        if let source = initFrom, !model.copyBody(from: source) {
            throw NASLibError("cannot transfer: the source predictor's GCN has another shape (layers/hidden)")
        }
        let v = valid.isEmpty ? train : valid
        let history = try model.train(
            train: train.map(\.graph), trainTargets: train.map(signal.normalized), valid: v.map(\.graph),
            validTargets: v.map(signal.normalized), options: options,
            seed: SeededRandom.subseed(seed, 2),
            actual: { signal.low + $0 * (signal.high - signal.low) }, observe: observe)
        return AccuracyRegressor(model: model, train: train, history: history)
    }

    public func rank(_ archs: [NB201Arch]) -> [NB201Arch] {
        let s = model.predict(EvaluationPlan.of(archs, layers: model.config.layers))
        return archs.indices.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && archs[$0] < archs[$1]) }.map { archs[$0] }
    }
}

/// The binary relation predictor (SPEC §5): a shared GCN embeds two models, a linear layer on
/// the concatenated global-node embeddings gives their relation; models are ranked with it.
// Sendable, unchecked: trained and queried by one search loop at a time; parallel parts only read it.
public final class PairPredictor: IterativeRanker, @unchecked Sendable {
    public struct Spec: Sendable, Equatable, Codable {
        public var config = GCNConfig(dropout: 0.2)
        public var options = TrainingOptions.accuracyDefaults(models: 100)
        public var mode = PairwiseTrainer<Float>.Mode.fast
        public var loss = GCN<Float>.PairLoss.pairwise
        public var order = PairRanking.Order.wins
        public var precision = AnyGCN.Precision.float32
        public init() {}
    }

    public let spec: Spec
    public let model: AnyGCN
    public private(set) var trainArchs: [NB201Arch] = []
    public private(set) var history: [EpochRecord] = []

    public init(spec: Spec, seed: Int) {
        self.spec = spec
        model = AnyGCN(
            precision: spec.precision, config: spec.config, head: spec.loss == .pairwise ? .pairwise : .oneway,
            seed: seed)
    }

    /// Trains (further) on these models with these options; the weights carry over between calls.
    public func train(
        _ archs: [NB201Arch], _ signal: AccuracySignal, options: TrainingOptions, seed: Int,
        observe: (EpochRecord) throws -> Void = { _ in }
    ) throws {
        try retrain(archs, targets: archs.map(signal.normalized), options: options, seed: seed, observe: observe)
    }

    public func retrain(
        _ archs: [NB201Arch], targets: [Double], options: TrainingOptions, seed: Int,
        observe: (EpochRecord) throws -> Void
    ) throws {
        try train(graphs: archs.map(\.graph), targets: targets, options: options, seed: seed, observe: observe)
        trainArchs = archs
    }

    /// Trains (further) on graph-encoded models of any space (the GCN's `features` must match the encoding's).
    public func train(
        graphs: [CellGraph], targets: [Double], options: TrainingOptions, seed: Int,
        observe: (EpochRecord) throws -> Void = { _ in }
    ) throws {
        try checkEncoding(graphs)
        history += try model.trainPairs(
            models: graphs, accuracies: targets, options: options,
            mode: spec.mode, loss: spec.loss, seed: seed, observe: observe)
    }

    /// Indices of graph-encoded models, best first (the predictor's ranking order).
    public func rank(graphs: [CellGraph]) -> [Int] {
        let (f, g, c) = model.pairScores(EvaluationPlan(graphs, layers: model.config.layers))
        return PairRanking.rank(first: f, second: g, bias: c, order: spec.order)
    }

    func checkEncoding(_ graphs: [CellGraph]) throws {
        guard let g = graphs.first(where: { $0.featureCount != model.config.features }) else { return }
        throw NASLibError(
            "the predictor reads \(model.config.features) node features, the models have \(g.featureCount)")
    }

    public func rank(_ archs: [NB201Arch]) -> [NB201Arch] { rank(archs, order: spec.order) }

    /// The predicted probability that `a` is better than `b`: the softmax's first output for the
    /// pairwise head (sigmoid of logit0 − logit1), the sigmoid output for the one-way heads.
    public func probability(_ a: NB201Arch, betterThan b: NB201Arch) -> Double {
        let (f, g, c) = model.pairScores(EvaluationPlan([a.graph, b.graph], layers: model.config.layers))
        return 1 / (1 + exp(-(f[0] + g[1] + c)))
    }

    /// Ranks with another way of turning the relation into an order than the one trained for.
    public func rank(_ archs: [NB201Arch], order: PairRanking.Order) -> [NB201Arch] {
        let (f, g, c) = model.pairScores(EvaluationPlan.of(archs, layers: model.config.layers))
        return PairRanking.rank(first: f, second: g, bias: c, order: order).map { archs[$0] }
    }
}
