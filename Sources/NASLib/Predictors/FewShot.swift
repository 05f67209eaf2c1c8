import Foundation

/// Few-shot latency prediction for a device brpsh has (almost) no measurements of: `n` latencies of the target,
/// chosen by a selection rule, plus complete tables of source devices (docs/transfer.md).
///
/// The model is a ridge regression of the target's latency (in units of the samples' median) on
/// - eight structural features of the cell (how many skip, 1×1 conv, 3×3 conv and pooling edges it has, and how
///   many of each are live, i.e. on a path from input to output: devices that prune dead branches see only those),
/// - optionally, the sources' standardized latencies of the same architecture, scaled by a factor `a`,
/// with the intercept unpenalized. The penalty λ, whether the sources are used and their scale are chosen by exact
/// leave-one-out error (of log latency) on the `n` samples alone; the sources are used only when they at least halve that error, so
/// unrelated sources cannot drag a target down. Nothing else of the target is read.
public struct FewShotSpec: Sendable, Equatable, Codable {
    public enum Selection: String, Sendable, Codable, CaseIterable {
        /// Uniformly random models of the space (seeded).
        case random
        /// A greedy D-optimal design on the structural features, from a seeded random pool (docs/transfer.md).
        case design
        /// HELP's ten reference architectures (`help-latency/hardware_embedding_index.pt`), in the file's order.
        case reference
    }

    /// The target device's stable name.
    public var target: String
    /// The source devices' stable names, in the order given.
    public var sources: [String]
    public var n = 10
    public var seed = 1
    public var select = Selection.design

    public init(target: String, sources: [String]) {
        self.target = target
        self.sources = sources
    }

    /// Size of the random pool the design chooses from.
    public static let designPool = 3000
    /// The ridge penalties tried (10^-3 … 10^3 in half decades).
    public static let penalties: [Double] = (0...12).map { pow(10, -3 + 0.5 * Double($0)) }
    /// The scales of the source block tried.
    public static let sourceScales: [Double] = [0.25, 0.5, 1, 2, 4]
    /// The sources are used only when their leave-one-out error is at most this share of the structure-only one.
    public static let sourceMargin = 0.5
}

/// The target's latencies as the method may read them: every read is counted and kept, in order.
public final class TargetReads {
    private let table: MetricTable
    /// The models whose latency was read, in read order, with the latency (seconds).
    public private(set) var samples: [(arch: NB201Arch, latency: Double)] = []
    /// Models asked for that the target has no latency for (nothing was read).
    public private(set) var unavailable: [NB201Arch] = []

    public init(_ table: MetricTable) { self.table = table }

    /// The latency of `a` on the target (counted), or nil when the target has none.
    public func read(_ a: NB201Arch) -> Double? {
        guard let v = table[a] else {
            unavailable.append(a)
            return nil
        }
        samples.append((a, v))
        return v
    }

    public var count: Int { samples.count }
}

/// A fitted few-shot latency predictor.
public final class FewShotPredictor: @unchecked Sendable {
    public struct Choice: Sendable, Equatable, Codable {
        /// 0 when the sources are not used.
        public let sourceScale: Double
        public let penalty: Double
        /// Leave-one-out error (sum of squares, log latency) of the chosen model and of the structure-only one.
        public let leaveOneOut: Double
        public let structureOnlyLeaveOneOut: Double
    }

    public let spec: FewShotSpec
    /// The target models read, in read order, with their latencies (seconds): all the method knows of the target.
    public let samples: [(arch: NB201Arch, latency: Double)]
    /// Models the selection asked for that the target had no latency for.
    public let unavailable: [NB201Arch]
    public let choice: Choice
    public let ridge: Ridge
    /// Predicted latency (seconds) of every NB201 arch, by code.
    public let predictions: [Double]
    public let seconds: Double

    init(
        spec: FewShotSpec, samples: [(arch: NB201Arch, latency: Double)], unavailable: [NB201Arch], choice: Choice,
        ridge: Ridge, predictions: [Double], seconds: Double
    ) {
        self.spec = spec
        self.samples = samples
        self.unavailable = unavailable
        self.choice = choice
        self.ridge = ridge
        self.predictions = predictions
        self.seconds = seconds
    }

    public func predict(_ archs: [NB201Arch]) -> [Double] { archs.map { predictions[$0.code] } }

    /// The test models: every model measured on the target except those read.
    public func testArchs(_ target: MetricTable) -> [NB201Arch] {
        let read = Set(samples.map(\.arch))
        return target.measured.filter { !read.contains($0) }
    }

    public func testMetrics(_ target: MetricTable, rule: PredictionMetrics.Rule = .eagle) -> PredictionMetrics {
        let test = testArchs(target)
        return PredictionMetrics(predicted: predict(test), truth: test.map { target[$0]! }, rule: rule)
    }

    /// Reads target models in the order the selection rule proposes them until `spec.n` were read.
    /// `space`: the models the selection may propose, in code order (nil: all of NB201; a table the user measured
    /// offers its measured models, since the others cannot be read).
    static func select(
        _ spec: FewShotSpec, _ target: TargetReads, space: [NB201Arch]?,
        reference: () throws -> [NB201Arch]
    ) throws {
        var rng = SeededRandom(seed: spec.seed).derived(7)
        let all = space ?? NB201Arch.all
        switch spec.select {
        case .random:
            for i in rng.permutation(all.count) where target.count < spec.n { _ = target.read(all[i]) }
        case .reference:
            let refs = try reference()
            guard spec.n <= refs.count else {
                throw NASLibError("select: \"reference\" has \(refs.count) reference architectures; n is \(spec.n)")
            }
            for a in refs where target.count < spec.n { _ = target.read(a) }
        case .design:
            let pool = rng.permutation(all.count).prefix(FewShotSpec.designPool).map { all[$0] }
            var design = DOptimalDesign(pool: pool)
            while target.count < spec.n, let a = design.next() {
                if target.read(a) != nil { design.accept(a) }
            }
        }
    }

    /// Selects and reads `spec.n` target models, then fits. `sources` are the source tables in `spec.sources` order.
    public static func fit(
        spec: FewShotSpec, target: TargetReads, sources: [MetricTable], space: [NB201Arch]? = nil,
        reference: () throws -> [NB201Arch] = { [] }
    ) throws -> FewShotPredictor {
        guard spec.n >= 3 else {
            throw NASLibError("fewshot needs n ≥ 3 target measurements (leave-one-out), got \(spec.n)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        try select(spec, target, space: space, reference: reference)
        guard target.count == spec.n else {
            throw NASLibError(
                "fewshot: only \(target.count) of the \(spec.n) models the \(spec.select.rawValue) selection asked for are measured on \(spec.target)"
            )
        }
        let sourceColumns = try sources.map(FewShotFeatures.source)
        return try fitted(
            spec: spec, samples: target.samples, unavailable: target.unavailable,
            sourceColumns: sourceColumns, start: start)
    }

    static func features(_ code: Int, _ sourceColumns: [[Double]], scale: Double) -> [Double] {
        var f = FewShotFeatures.structural[code]
        if scale > 0 { for s in sourceColumns { f.append(scale * s[code]) } }
        return f
    }

    /// Fits the model to given samples (used again when a saved predictor is read back).
    static func fitted(
        spec: FewShotSpec, samples: [(arch: NB201Arch, latency: Double)], unavailable: [NB201Arch],
        sourceColumns: [[Double]], start: UInt64
    ) throws -> FewShotPredictor {
        // Latency is additive over a network's layers: the regression is on the latency itself, in units of the
        // samples' median; the leave-one-out error is measured on log latencies (relative error), and a candidate
        // whose leave-one-out prediction of a sample is not positive is out.
        let unit = LatencyStatistic.percentile(samples.map(\.latency), 50)
        let y = samples.map { $0.latency / unit }
        let logs = y.map { log($0) }
        let codes = samples.map(\.arch.code)
        func loo(_ scale: Double, _ penalty: Double) throws -> Double {
            let r = try Ridge.leaveOneOutResiduals(
                codes.map { features($0, sourceColumns, scale: scale) }, y, penalty: penalty)
            var e = 0.0
            for i in y.indices {
                let predicted = y[i] - r[i]
                guard predicted > 0 else { return .infinity }
                e += (log(predicted) - logs[i]) * (log(predicted) - logs[i])
            }
            return e
        }
        // Structure only; if every penalty predicts a sample at or below zero, the strongest penalty (the mean).
        var structure = (error: Double.infinity, penalty: FewShotSpec.penalties.last!)
        for p in FewShotSpec.penalties {
            let e = try loo(0, p)
            if e < structure.error { structure = (e, p) }
        }
        var best = (error: Double.infinity, scale: 0.0, penalty: 0.0)
        if !sourceColumns.isEmpty {
            for s in FewShotSpec.sourceScales {
                for p in FewShotSpec.penalties {
                    let e = try loo(s, p)
                    if e < best.error { best = (e, s, p) }
                }
            }
        }
        let useSources = best.error.isFinite && best.error <= FewShotSpec.sourceMargin * structure.error
        let choice =
            useSources
            ? FewShotPredictor.Choice(
                sourceScale: best.scale, penalty: best.penalty, leaveOneOut: best.error,
                structureOnlyLeaveOneOut: structure.error)
            : FewShotPredictor.Choice(
                sourceScale: 0, penalty: structure.penalty, leaveOneOut: structure.error,
                structureOnlyLeaveOneOut: structure.error)
        let ridge = try Ridge.fit(
            codes.map { features($0, sourceColumns, scale: choice.sourceScale) }, y, penalty: choice.penalty)
        // A linear model can extrapolate below zero: no prediction goes below a tenth of the fastest sample.
        let floor = 0.1 * samples.map(\.latency).min()!
        let predictions = (0..<NB201Arch.count).map {
            max(floor, unit * ridge.predict(features($0, sourceColumns, scale: choice.sourceScale)))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return FewShotPredictor(
            spec: spec, samples: samples, unavailable: unavailable, choice: choice, ridge: ridge,
            predictions: predictions, seconds: seconds)
    }
}

extension FewShotPredictor {
    /// The models a selection reads, in order, from a target that has a latency for every one of them: what to
    /// measure on a new device before fitting (nothing is read).
    public static func plannedModels(_ spec: FewShotSpec, reference: () throws -> [NB201Arch]) throws -> [NB201Arch] {
        let everything = TargetReads(
            MetricTable(name: spec.target, values: [Double](repeating: 1, count: NB201Arch.count)))
        try select(spec, everything, space: nil, reference: reference)
        return everything.samples.map(\.arch)
    }
}
