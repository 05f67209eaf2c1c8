/// How a model's timing samples become one latency: LatBench's (eagle's) robust mean. The samples come in runs
/// (eagle: 100 runs of 10 back-to-back inferences); each run's value is the mean of its samples that lie between
/// the run's 25th and 75th percentile, and the latency is the mean of the run values that lie between their own
/// 25th and 75th percentile. Percentiles interpolate linearly between order statistics (NumPy's default), and
/// the bounds are inclusive, so a run of identical samples keeps them all. Where no value lies between the two
/// percentiles (two values, which straddle them) the median stands in.
public enum LatencyStatistic: String, CaseIterable, Sendable {
    /// LatBench's robust mean (the default, below).
    case robust
    /// The fastest sample: interference only ever adds time, so on a shared or virtual machine the minimum is the
    /// steadiest figure (docs/measure.md measures how much steadier).
    case min
    /// The median of all samples.
    case median

    /// This statistic of a model's runs (seconds).
    public func of(_ runs: [[Double]]) throws -> Double {
        switch self {
        case .robust: return try Self.robustMean(runs)
        case .min:
            _ = try Self.robustMean(runs)  // the same checks
            return runs.joined().min()!
        case .median:
            _ = try Self.robustMean(runs)
            return Self.percentile(Array(runs.joined()), 50)
        }
    }

    /// The q-th percentile (0...100) of non-empty `xs`, linear interpolation (NumPy's `percentile` default).
    public static func percentile(_ xs: [Double], _ q: Double) -> Double {
        precondition(!xs.isEmpty, "percentile of no values")
        let s = xs.sorted()
        let pos = q / 100 * Double(s.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = Swift.min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }

    /// The mean of the values within [25th, 75th] percentile.
    public static func middleMean(_ xs: [Double]) -> Double {
        let lo = percentile(xs, 25)
        let hi = percentile(xs, 75)
        let mid = xs.filter { $0 >= lo && $0 <= hi }
        return mid.isEmpty ? percentile(xs, 50) : mid.reduce(0, +) / Double(mid.count)
    }

    /// The largest timing sample or latency accepted, in seconds (a day). Anything larger is a unit mistake or a
    /// damaged value: 1.7e308 s is finite but its mean overflows and its milliseconds are infinite.
    public static let maxSeconds = 86_400.0

    /// Whether `seconds` is a latency brpsh accepts: positive, finite, at most `maxSeconds`.
    public static func isPlausible(_ seconds: Double) -> Bool { seconds > 0 && seconds <= maxSeconds }

    /// The robust latency of runs of samples (seconds in, seconds out).
    public static func robustMean(_ runs: [[Double]]) throws -> Double {
        guard !runs.isEmpty, runs.allSatisfy({ !$0.isEmpty }) else { throw NASLibError("no timing samples") }
        guard runs.allSatisfy({ $0.allSatisfy(isPlausible) }) else {
            let bad = runs.joined().first { !isPlausible($0) }!
            throw NASLibError(
                "a timing sample (\(bad) s) is not a positive number of seconds of at most \(Int(maxSeconds)) (a day)")
        }
        return middleMean(runs.map(middleMean))
    }
}
