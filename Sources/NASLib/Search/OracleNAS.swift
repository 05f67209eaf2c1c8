/// Oracle NAS under a latency limit (seed S1.3): a perfect search that trusts a latency
/// predictor. For a threshold l, with pred(·) the prediction, lat(·) the measurement and acc(·)
/// the accuracy over a space of models:
///
/// - positives P = {pred ≤ l}; false positives Pf = {pred ≤ l ∧ lat > l};
///   false negatives Nf = {pred > l ∧ lat ≤ l}; truly feasible T = {lat ≤ l};
/// - assumed best s′ = argmax acc over P; effective best s = argmax acc over P ∖ Pf;
///   true best s* = argmax acc over T;
/// - missed accuracy acc(s*) − acc(s) with its latency error pred(s*) − lat(s*) (0 if s* = s);
///   over-claimed accuracy acc(s′) − acc(s) with its error pred(s′) − lat(s′) (0 if s′ = s).
///
/// Ties in accuracy go to the smaller arch code. A missing best (an empty set) leaves the
/// accuracies and errors that need it nil.
public enum OracleNAS {
    public struct Row: Sendable, Equatable {
        public let threshold: Double
        public let falsePositives: Int
        public let falseNegatives: Int
        public let missedAccuracy: Double?
        public let missedError: Double?
        public let overclaimedAccuracy: Double?
        public let overclaimedError: Double?
        public let assumedBest: NB201Arch?
        public let effectiveBest: NB201Arch?
        public let truthBest: NB201Arch?
    }

    /// One row per threshold. `predicted`, `measured` and `accuracy` are aligned with `archs`.
    public static func run(
        archs: [NB201Arch], predicted: [Double], measured: [Double], accuracy: [Double],
        thresholds: [Double]
    ) -> [Row] {
        precondition(
            archs.count == predicted.count && archs.count == measured.count && archs.count == accuracy.count,
            "oracle: inputs of different lengths")
        // Models by decreasing accuracy (ties: smaller code first).
        let order = archs.indices.sorted {
            accuracy[$0] > accuracy[$1] || (accuracy[$0] == accuracy[$1] && archs[$0] < archs[$1])
        }
        return thresholds.map { l in
            var fp = 0
            var fn = 0
            for i in archs.indices {
                let p = predicted[i] <= l
                let t = measured[i] <= l
                if p && !t { fp += 1 }
                if !p && t { fn += 1 }
            }
            let assumed = order.first { predicted[$0] <= l }
            let effective = order.first { predicted[$0] <= l && measured[$0] <= l }
            let truth = order.first { measured[$0] <= l }
            func acc(_ i: Int?) -> Double? { i.map { accuracy[$0] } }
            func error(_ i: Int?) -> Double? { i.map { predicted[$0] - measured[$0] } }
            var missed: Double? = nil
            var missedError: Double? = nil
            var over: Double? = nil
            var overError: Double? = nil
            if let s = acc(effective) {
                if let t = acc(truth) {
                    missed = t - s
                    missedError = truth == effective ? 0 : error(truth)
                }
                if let a = acc(assumed) {
                    over = a - s
                    overError = assumed == effective ? 0 : error(assumed)
                }
            }
            return Row(
                threshold: l, falsePositives: fp, falseNegatives: fn, missedAccuracy: missed, missedError: missedError,
                overclaimedAccuracy: over, overclaimedError: overError, assumedBest: assumed.map { archs[$0] },
                effectiveBest: effective.map { archs[$0] }, truthBest: truth.map { archs[$0] })
        }
    }
}
