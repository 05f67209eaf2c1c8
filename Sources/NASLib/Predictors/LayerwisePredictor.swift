/// The layer-wise (lookup-table) baseline: a model's latency is a constant plus one cost per
/// (edge position, op) for the ops it contains, fitted by least squares on the training models.
/// `none` is the reference op (cost 0) at every position, so 6 × 4 costs + 1 constant = 25
/// unknowns. Every op on an edge counts, reachable or not, as a lookup table sums the layers it
/// is given.
public struct LayerwisePredictor: Sendable {
    public let device: String
    public let constant: Double
    /// costs[position][op raw value]; costs[_][0] (none) is 0.
    public let costs: [[Double]]
    public let trainArchs: [NB201Arch]
    public let testArchs: [NB201Arch]

    static let unknowns = 25

    static func features(_ a: NB201Arch) -> [Double] {
        var f = [Double](repeating: 0, count: unknowns)
        f[0] = 1
        for (pos, op) in a.ops.enumerated() where op != .none { f[1 + pos * 4 + op.rawValue - 1] = 1 }
        return f
    }

    /// Fits on the same random split as `LatencyPredictor` for the same seed (its training models;
    /// the validation models are not needed and are left out of both sets).
    public static func fit(_ table: MetricTable, n: Int, valid: Int, seed: Int) throws -> LayerwisePredictor {
        let (train, _, test) = try LatencyPredictor.split(table, n: n, valid: valid, seed: seed)
        return try fit(samples: train.map { ($0, table[$0]!) }, device: table.name, test: test)
    }

    /// Fits on given models and latencies (seconds).
    public static func fit(samples: [(arch: NB201Arch, latency: Double)], device: String, test: [NB201Arch] = []) throws
        -> LayerwisePredictor
    {
        let train = samples.map(\.arch)
        // Normal equations (XᵀX) c = Xᵀy with a tiny ridge for positions whose op never occurs.
        var xtx = [Double](repeating: 0, count: unknowns * unknowns)
        var xty = [Double](repeating: 0, count: unknowns)
        for (a, y) in samples {
            let f = features(a)
            for i in 0..<unknowns where f[i] != 0 {
                xty[i] += y
                for j in 0..<unknowns where f[j] != 0 { xtx[i * unknowns + j] += 1 }
            }
        }
        let trace = (0..<unknowns).reduce(0.0) { $0 + xtx[$1 * unknowns + $1] }
        for i in 0..<unknowns { xtx[i * unknowns + i] += 1e-10 * trace }
        let c = try solveSymmetric(xtx, xty, unknowns)
        var costs = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 6)
        for pos in 0..<6 { for op in 1...4 { costs[pos][op] = c[1 + pos * 4 + op - 1] } }
        return LayerwisePredictor(device: device, constant: c[0], costs: costs, trainArchs: train, testArchs: test)
    }

    public func predict(_ a: NB201Arch) -> Double {
        var s = constant
        for (pos, op) in a.ops.enumerated() { s += costs[pos][op.rawValue] }
        return s
    }

    public func testMetrics(_ table: MetricTable, rule: PredictionMetrics.Rule = .eagle) -> PredictionMetrics {
        PredictionMetrics(predicted: testArchs.map(predict), truth: testArchs.map { table[$0]! }, rule: rule)
    }

    /// Cholesky solve of a symmetric positive-definite system.
    static func solveSymmetric(_ a: [Double], _ b: [Double], _ n: Int) throws -> [Double] {
        guard let factor = try? Cholesky(a, n, shift: 0) else {
            throw NASLibError("layer-wise fit: the training models do not determine the op costs")
        }
        return factor.solve(b)
    }
}
