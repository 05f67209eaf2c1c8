import Interpreter
import NASLib

/// A training that used every epoch it was allowed while its validation loss was still falling has not converged:
/// say so (stderr, like other warnings), with the epoch of the best loss and how to allow more. Said only where more
/// epochs would help: the loss ends near its best (a best followed by a jump back up is noise, not a fall), and the
/// learning rate is still a useful fraction of its start (a plateau schedule that cut it 10,000-fold has judged the
/// training done; more epochs would run at a rate of nearly zero). Said once per training: a result read from the
/// cache records the warning in provenance.json without repeating it.
enum EpochCap {
    /// The last epochs in which a new best validation loss counts as "still improving": 5 % of the cap, at least 3.
    static func window(_ cap: Int) -> Int { max(3, cap / 20) }

    static func message(_ history: [EpochRecord], cap: Int, what: String) -> String? {
        guard cap > 0, history.count >= cap, let last = history.last, let first = history.first else { return nil }
        guard let best = history.indices.min(by: { history[$0].validLoss < history[$1].validLoss }) else { return nil }
        guard best >= history.count - window(cap) else { return nil }
        guard last.validLoss <= history[best].validLoss * 1.1 else { return nil }
        guard last.learningRate >= first.learningRate * 1e-4 else { return nil }
        return "\(what) used all \(cap) epochs and its validation loss was still falling "
            + "(best \(String(format: "%.3g", history[best].validLoss)) at epoch \(best + 1), last \(String(format: "%.3g", last.validLoss))); "
            + "it may not have converged: epochs: \(cap * 2) allows more"
    }

    static func check(_ c: BuiltinCall, _ history: [EpochRecord], cap: Int, what: String) {
        guard let m = message(history, cap: cap, what: what) else { return }
        if RunContext.of(c.interpreter).calls.last?.cached == true {
            RunContext.of(c.interpreter).logWarning(m)  // said when it trained; kept in this run's record
        } else {
            Caching.warn(c, m)
        }
    }
}

/// A latency predictor that ranks its own validation models poorly (Spearman ρ below `threshold`), or predicts
/// their latencies with a larger mean absolute error than the constant training median, has failed to train, whatever
/// its loss says: say so. Small training sets with Table S1's settings do this on some devices and seeds, in both
/// precisions (docs/predictors.md, "Small trainings").
enum FailedTraining {
    static let threshold = 0.5

    static func message(_ fit: LatencyPredictor.ValidationFit?, epochs: Int, cap: Int, precision: String, what: String)
        -> String?
    {
        guard let fit, fit.spearman.isFinite, fit.mae.isFinite else { return nil }
        let symptom: String
        if fit.spearman < threshold {
            symptom =
                "ranks its own \(fit.count) validation models poorly (Spearman ρ \(String(format: "%.2f", fit.spearman)) < \(threshold)"
        } else if fit.mae >= fit.constantMAE {
            symptom =
                "predicts its own \(fit.count) validation models' latencies no better than a constant (mean absolute error "
                + "\(ms(fit.mae)) against \(ms(fit.constantMAE)) for the training models' median"
        } else {
            return nil
        }
        let stopped = epochs < cap ? "it stopped early, at epoch \(epochs) of \(cap)" : "it ran all \(cap) epochs"
        let other = precision == "float32" ? "float64" : "float32"
        return
            "\(what) \(symptom); \(stopped)): this training failed, and its predictions are not usable; small training sets "
            + "are unstable with Table S1's settings (docs/predictors.md, \"Small trainings\"); try another seed, or precision: \"\(other)\""
    }

    private static func ms(_ seconds: Double) -> String { String(format: "%.3g ms", seconds * 1000) }

    static func check(_ c: BuiltinCall, _ p: LatencyPredictor, _ table: MetricTable, what: String) {
        let m = message(
            p.validationFit(table), epochs: p.history.count, cap: p.spec.options.epochs,
            precision: p.spec.precision.rawValue, what: what)
        if let m { Caching.warn(c, m) }
    }
}
