import Foundation

/// The baselines of a few-shot study, each given exactly the predictor's samples and scored on its test set.
public enum FewShotBaselines {
    public static let names = ["gcn", "layerwise", "flops", "best_source"]

    /// A baseline's prediction of every NB201 arch (seconds), by code. `sources`: (name, table) in the predictor's
    /// source order. The returned string names what was used (the chosen source, for `best_source`).
    public static func predictions(
        _ name: String, _ p: FewShotPredictor, sources: [(String, MetricTable)],
        seed: Int, observe: (EpochRecord) throws -> Void = { _ in }
    ) throws -> (values: [Double], note: String) {
        let archs = p.samples.map(\.arch)
        let y = p.samples.map(\.latency)
        /// A cost scaled to time by the median ratio latency / cost over the samples.
        func scaled(_ cost: [Double]) -> [Double] {
            let median = LatencyStatistic.percentile(zip(archs, y).map { $1 / cost[$0.code] }, 50)
            return cost.map { $0 * median }
        }
        switch name {
        case "gcn":
            let model = AnyGCN(precision: .float32, config: GCNConfig(), seed: SeededRandom.subseed(seed, 1))
            _ = try model.train(
                train: archs.map(\.graph), trainTargets: y, valid: [], validTargets: [], options: TrainingOptions(),
                seed: SeededRandom.subseed(seed, 2), observe: observe)
            return (
                model.predict(EvaluationPlan.nb201(layers: GCNConfig().layers)),
                "trained on the samples alone"
            )
        case "layerwise":
            let l = try LayerwisePredictor.fit(samples: p.samples, device: p.spec.target)
            return (NB201Arch.all.map(l.predict), "one cost per op and edge position")
        case "flops":
            return (
                scaled(NB201Arch.all.map { Double(NB201Cost($0, dataset: .cifar10).flops) }), "CIFAR-10 multiply-adds"
            )
        case "best_source":
            guard !sources.isEmpty else { throw NASLibError("best_source needs at least one source") }
            var best = (rho: -Double.infinity, index: 0)
            let columns = try sources.map { try FewShotFeatures.sourceLogs($0.1) }
            for (i, c) in columns.enumerated() {
                let rho = Statistics.spearman(archs.map { c[$0.code] }, y)
                if rho > best.rho { best = (rho, i) }
            }
            return (scaled(columns[best.index].map(exp)), sources[best.index].0)
        default:
            throw NASLibError("unknown baseline \"\(name)\" (baselines: \(names.joined(separator: ", ")))")
        }
    }
}
