/// A GCN in either precision.
// Sendable, unchecked: it only wraps a GCN, whose own conformance says why.
public enum AnyGCN: @unchecked Sendable {
    case float32(GCN<Float>)
    case float64(GCN<Double>)

    public enum Precision: String, Sendable, Codable, CaseIterable {
        case float32
        case float64
    }

    public init(precision: Precision, config: GCNConfig, head: GCNHead = .regression, seed: Int) {
        switch precision {
        case .float32: self = .float32(GCN<Float>(config: config, head: head, seed: seed))
        case .float64: self = .float64(GCN<Double>(config: config, head: head, seed: seed))
        }
    }

    public var precision: Precision {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    public var config: GCNConfig {
        switch self {
        case .float32(let g): return g.config
        case .float64(let g): return g.config
        }
    }

    public var parameterCount: Int {
        switch self {
        case .float32(let g): return g.store.count
        case .float64(let g): return g.store.count
        }
    }

    /// Trains a regression GCN (see `RegressionTrainer`).
    public func train(
        train: [CellGraph], trainTargets: [Double], valid: [CellGraph], validTargets: [Double],
        options: TrainingOptions, seed: Int, actual: ((Double) -> Double)? = nil,
        observe: (EpochRecord) throws -> Void
    ) throws -> [EpochRecord] {
        switch self {
        case .float32(let g):
            return try RegressionTrainer<Float>(options: options, actual: actual).train(
                g, train: train, trainTargets: trainTargets, valid: valid,
                validTargets: validTargets, seed: seed, observe: observe)
        case .float64(let g):
            return try RegressionTrainer<Double>(options: options, actual: actual).train(
                g, train: train, trainTargets: trainTargets, valid: valid,
                validTargets: validTargets, seed: seed, observe: observe)
        }
    }

    public func predict(_ plan: EvaluationPlan) -> [Double] {
        switch self {
        case .float32(let g): return g.predict(plan).map(Double.init)
        case .float64(let g): return g.predict(plan)
        }
    }

    /// All parameters as doubles (for saving; float32 values convert exactly).
    public var parameters: [Double] {
        switch self {
        case .float32(let g): return g.store.snapshot().map(Double.init)
        case .float64(let g): return g.store.snapshot()
        }
    }

    public func setParameters(_ values: [Double]) {
        switch self {
        case .float32(let g): g.store.restore(values.map(Float.init))
        case .float64(let g): g.store.restore(values)
        }
    }

    public var slices: [(name: String, rows: Int, cols: Int)] {
        switch self {
        case .float32(let g): return g.store.slices.map { ($0.name, $0.rows, $0.cols) }
        case .float64(let g): return g.store.slices.map { ($0.name, $0.rows, $0.cols) }
        }
    }
}

extension AnyGCN {
    /// Trains a pair-head GCN (see `PairwiseTrainer`).
    public func trainPairs(
        models: [CellGraph], accuracies: [Double], options: TrainingOptions, mode: PairwiseTrainer<Float>.Mode,
        loss: GCN<Float>.PairLoss, seed: Int, observe: (EpochRecord) throws -> Void
    ) throws -> [EpochRecord] {
        switch self {
        case .float32(let g):
            return try PairwiseTrainer<Float>(options: options, mode: mode, loss: loss)
                .train(g, models: models, accuracies: accuracies, seed: seed, observe: observe)
        case .float64(let g):
            return try PairwiseTrainer<Double>(
                options: options, mode: PairwiseTrainer<Double>.Mode(rawValue: mode.rawValue)!,
                loss: GCN<Double>.PairLoss(rawValue: loss.rawValue)!
            )
            .train(g, models: models, accuracies: accuracies, seed: seed, observe: observe)
        }
    }

    /// Pair score parts of every graph of a plan (see `GCN.pairScoreParts`).
    public func pairScores(_ plan: EvaluationPlan) -> (first: [Double], second: [Double], bias: Double) {
        switch self {
        case .float32(let g): return g.pairScores(plan)
        case .float64(let g): return g.pairScores(plan)
        }
    }

    /// Copies the body (all but the head) from another GCN of the same shape and precision
    /// (transfer learning); false when the shapes differ.
    public func copyBody(from other: AnyGCN) -> Bool {
        switch (self, other) {
        case (.float32(let a), .float32(let b)): return a.copyBody(from: b)
        case (.float64(let a), .float64(let b)): return a.copyBody(from: b)
        case (.float32(let a), .float64(let b)):
            let tmp = GCN<Float>(config: b.config, head: b.head, seed: 0)
            tmp.store.restore(b.store.snapshot().map(Float.init))
            return a.copyBody(from: tmp)
        case (.float64(let a), .float32(let b)):
            let tmp = GCN<Double>(config: b.config, head: b.head, seed: 0)
            tmp.store.restore(b.store.snapshot().map(Double.init))
            return a.copyBody(from: tmp)
        }
    }
}

extension GCN {
    func copyBody(from other: GCN<T>) -> Bool {
        guard other.config.layers == config.layers, other.config.hidden == config.hidden,
            other.config.features == config.features
        else { return false }
        store.values.update(from: other.store.values, count: bodyCount)
        return true
    }
}
