import Interpreter
import NASLib

/// A training that used every epoch it was allowed while its validation loss was still falling has not converged:
/// say so (stderr, like other warnings), with the epoch of the best loss and how to allow more.
enum EpochCap {
    /// The last epochs in which a new best validation loss counts as "still improving": 5 % of the cap, at least 3.
    static func window(_ cap: Int) -> Int { max(3, cap / 20) }

    static func message(_ history: [EpochRecord], cap: Int, what: String) -> String? {
        guard cap > 0, history.count >= cap, let last = history.last else { return nil }
        guard let best = history.indices.min(by: { history[$0].validLoss < history[$1].validLoss }) else { return nil }
        guard best >= history.count - window(cap) else { return nil }
        return "\(what) used all \(cap) epochs and its validation loss was still falling "
            + "(best \(String(format: "%.3g", history[best].validLoss)) at epoch \(best + 1), last \(String(format: "%.3g", last.validLoss))); "
            + "it may not have converged: epochs: \(cap * 2) allows more"
    }

    static func check(_ c: BuiltinCall, _ history: [EpochRecord], cap: Int, what: String) {
        if let m = message(history, cap: cap, what: what) { Caching.warn(c, m) }
    }
}
