/// A GCN in either precision.
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
    public func train(train: [CellGraph], trainTargets: [Double], valid: [CellGraph], validTargets: [Double],
                      options: TrainingOptions, seed: Int, observe: (EpochRecord) throws -> Void) rethrows -> [EpochRecord] {
        switch self {
        case .float32(let g):
            return try RegressionTrainer<Float>(options: options).train(g, train: train, trainTargets: trainTargets, valid: valid,
                                                                        validTargets: validTargets, seed: seed, observe: observe)
        case .float64(let g):
            return try RegressionTrainer<Double>(options: options).train(g, train: train, trainTargets: trainTargets, valid: valid,
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
