/// How well predictions match measurements (Table S2's metrics and more).
public struct PredictionMetrics: Sendable, Equatable, Codable {
    /// Which models count as "within x %".
    public enum Rule: String, Sendable, Codable {
        /// eagle's `valid()`: (1 − x)·pred ≤ true ≤ (1 + x)·pred.
        case eagle
        /// The paper's wording: |pred − true| ≤ x·true.
        case paper
    }

    public let rule: Rule
    /// Percent of models within ±1, 5, 10, 20 %.
    public let within1: Double
    public let within5: Double
    public let within10: Double
    public let within20: Double
    /// Mean absolute and root-mean-square error, in the targets' unit.
    public let mae: Double
    public let rmse: Double
    public let spearman: Double
    public let kendall: Double
    public let n: Int

    public init(predicted: [Double], truth: [Double], rule: Rule = .eagle) {
        precondition(
            predicted.count == truth.count, "metrics: \(predicted.count) predictions, \(truth.count) measurements")
        self.rule = rule
        let count = truth.count
        n = count
        func within(_ x: Double) -> Double {
            var hits = 0
            for (p, t) in zip(predicted, truth) {
                let ok: Bool
                switch rule {
                case .eagle: ok = t >= (1 - x) * p && t <= (1 + x) * p
                case .paper: ok = abs(p - t) <= x * t
                }
                if ok { hits += 1 }
            }
            return count == 0 ? .nan : 100 * Double(hits) / Double(count)
        }
        within1 = within(0.01)
        within5 = within(0.05)
        within10 = within(0.10)
        within20 = within(0.20)
        var absSum = 0.0
        var sqSum = 0.0
        for (p, t) in zip(predicted, truth) {
            absSum += abs(p - t)
            sqSum += (p - t) * (p - t)
        }
        mae = absSum / Double(max(count, 1))
        rmse = (sqSum / Double(max(count, 1))).squareRoot()
        spearman = count > 1 ? Statistics.spearman(predicted, truth) : .nan
        kendall = count > 1 ? Statistics.kendallTauB(predicted, truth) : .nan
    }
}
