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
public final class TargetReads: @unchecked Sendable {
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

/// Features of every NB201 architecture that the few-shot model regresses on.
public enum FewShotFeatures {
    public static let structuralNames = [
        "skip", "conv1x1", "conv3x3", "pool", "live_skip", "live_conv1x1", "live_conv3x3", "live_pool",
    ]

    /// Which edges lie on a path from the input to the output through non-`none` edges.
    public static func liveEdges(_ a: NB201Arch) -> [Bool] {
        var fromInput = [true, false, false, false]
        for (e, (u, v)) in NB201Arch.edges.enumerated() where a.op(e) != .none && fromInput[u] { fromInput[v] = true }
        var toOutput = [false, false, false, true]
        for (e, (u, v)) in NB201Arch.edges.enumerated().reversed() where a.op(e) != .none && toOutput[v] { toOutput[u] = true }
        return NB201Arch.edges.enumerated().map { e, uv in a.op(e) != .none && fromInput[uv.0] && toOutput[uv.1] }
    }

    /// The eight raw structural features of one architecture.
    public static func rawStructural(_ a: NB201Arch) -> [Double] {
        var f = [Double](repeating: 0, count: 8)
        let live = liveEdges(a)
        for e in 0..<NB201Arch.edgeCount {
            let op = a.op(e).rawValue  // none 0, skip 1, conv1x1 2, conv3x3 3, pool 4
            guard op > 0 else { continue }
            f[op - 1] += 1
            if live[e] { f[4 + op - 1] += 1 }
        }
        return f
    }

    /// Structural features of every arch (by code), each standardized over the whole space: `[code][feature]`.
    public static let structural: [[Double]] = standardizedColumns(NB201Arch.all.map(rawStructural))

    /// Standardizes each column of a row-major table (mean 0, standard deviation 1 over all rows; a constant
    /// column becomes 0).
    static func standardizedColumns(_ rows: [[Double]]) -> [[Double]] {
        guard let width = rows.first?.count else { return rows }
        var out = rows
        for j in 0..<width {
            var sum = 0.0
            for r in rows { sum += r[j] }
            let mean = sum / Double(rows.count)
            var ss = 0.0
            for r in rows { ss += (r[j] - mean) * (r[j] - mean) }
            let sd = (ss / Double(rows.count)).squareRoot()
            for i in rows.indices { out[i][j] = sd > 0 ? (rows[i][j] - mean) / sd : 0 }
        }
        return out
    }

    /// A source table as one feature per arch: its latency, where it has none the latency its own structural ridge
    /// fit of log latency (λ = 10⁻³, on all of its measured models) predicts; then standardized over the space.
    public static func source(_ table: MetricTable) throws -> [Double] {
        standardizedColumns(try sourceLogs(table).map { [exp($0)] }).map { $0[0] }
    }

    /// A source table's log latency per arch, unmeasured archs filled in by its structural ridge fit.
    public static func sourceLogs(_ table: MetricTable) throws -> [Double] {
        var logs = table.values.map { $0.isNaN ? Double.nan : log($0) }
        let measured = logs.indices.filter { !logs[$0].isNaN }
        guard measured.count >= 10 else {
            throw NASLibError("source \(table.name) has \(measured.count) models measured; a source needs a (nearly) complete table")
        }
        if measured.count < logs.count {
            let fit = try Ridge.fit(measured.map { structural[$0] }, measured.map { logs[$0] }, penalty: 1e-3)
            for i in logs.indices where logs[i].isNaN { logs[i] = fit.predict(structural[i]) }
        }
        return logs
    }
}

/// Ridge regression with an unpenalized intercept, solved in the dual (n × n) form, with exact leave-one-out
/// residuals.
public struct Ridge: Sendable, Equatable, Codable {
    public let mean: [Double]
    public let intercept: Double
    public let weights: [Double]

    public func predict(_ x: [Double]) -> Double {
        var s = intercept
        for j in weights.indices { s += weights[j] * (x[j] - mean[j]) }
        return s
    }

    /// Centers the data and returns (centered rows, mean row, mean target, centered targets, Gram matrix K = X Xᵀ).
    static func centered(_ x: [[Double]], _ y: [Double]) -> ([[Double]], [Double], Double, [Double], [Double]) {
        let n = x.count, d = x[0].count
        var mean = [Double](repeating: 0, count: d)
        for r in x { for j in 0..<d { mean[j] += r[j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        let xc = x.map { r in (0..<d).map { r[$0] - mean[$0] } }
        let ym = y.reduce(0, +) / Double(n)
        let yc = y.map { $0 - ym }
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for t in 0..<d { s += xc[i][t] * xc[j][t] }
                k[i * n + j] = s
                k[j * n + i] = s
            }
        }
        return (xc, mean, ym, yc, k)
    }

    public static func fit(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> Ridge {
        guard !x.isEmpty, x.count == y.count else { throw NASLibError("ridge: no samples") }
        let n = x.count, d = x[0].count
        if n > d { return try primal(x, y, penalty: penalty) }
        let (xc, mean, ym, yc, k) = centered(x, y)
        let chol = try Cholesky(k, n, shift: penalty)
        let alpha = chol.solve(yc)
        var w = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { w[j] += xc[i][j] * alpha[i] } }
        return Ridge(mean: mean, intercept: ym, weights: w)
    }

    /// The same fit in the primal (d × d) form, for many samples: w = (XcᵀXc + λI)⁻¹ Xcᵀyc.
    static func primal(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> Ridge {
        let n = x.count, d = x[0].count
        var mean = [Double](repeating: 0, count: d)
        for r in x { for j in 0..<d { mean[j] += r[j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        let ym = y.reduce(0, +) / Double(n)
        var a = [Double](repeating: 0, count: d * d), b = [Double](repeating: 0, count: d)
        for (r, t) in zip(x, y) {
            let xc = (0..<d).map { r[$0] - mean[$0] }
            for i in 0..<d {
                b[i] += xc[i] * (t - ym)
                for j in 0..<d { a[i * d + j] += xc[i] * xc[j] }
            }
        }
        let w = try Cholesky(a, d, shift: penalty).solve(b)
        return Ridge(mean: mean, intercept: ym, weights: w)
    }

    /// The sum of squared exact leave-one-out residuals of `fit(x, y, penalty:)`.
    public static func leaveOneOutError(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> Double {
        try leaveOneOutResiduals(x, y, penalty: penalty).reduce(0) { $0 + $1 * $1 }
    }

    /// The exact leave-one-out residuals yᵢ − ŷ₋ᵢ(xᵢ) of `fit(x, y, penalty:)` (dual form: n ≤ d or small n).
    public static func leaveOneOutResiduals(_ x: [[Double]], _ y: [Double], penalty: Double) throws -> [Double] {
        let (_, _, _, yc, k) = centered(x, y)
        let n = y.count
        let chol = try Cholesky(k, n, shift: penalty)
        // Hat matrix H = 11ᵀ/n + K (K + λI)⁻¹; fitted values ȳ + K α.
        let alpha = chol.solve(yc)
        return (0..<n).map { i in
            var unit = [Double](repeating: 0, count: n)
            unit[i] = 1
            let col = chol.solve(unit)  // (K + λI)⁻¹ e_i
            var hii = 1 / Double(n), fitted = 0.0
            for t in 0..<n {
                hii += k[i * n + t] * col[t]
                fitted += k[i * n + t] * alpha[t]
            }
            return (yc[i] - fitted) / max(1 - hii, 1e-12)
        }
    }
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

    init(spec: FewShotSpec, samples: [(arch: NB201Arch, latency: Double)], unavailable: [NB201Arch], choice: Choice,
         ridge: Ridge, predictions: [Double], seconds: Double) {
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
    static func select(_ spec: FewShotSpec, _ target: TargetReads, space: [NB201Arch]?,
                       reference: () throws -> [NB201Arch]) throws {
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
    public static func fit(spec: FewShotSpec, target: TargetReads, sources: [MetricTable], space: [NB201Arch]? = nil,
                           reference: () throws -> [NB201Arch] = { [] }) throws -> FewShotPredictor {
        guard spec.n >= 3 else { throw NASLibError("fewshot needs n ≥ 3 target measurements (leave-one-out), got \(spec.n)") }
        let start = DispatchTime.now().uptimeNanoseconds
        try select(spec, target, space: space, reference: reference)
        guard target.count == spec.n else {
            throw NASLibError("fewshot: only \(target.count) of the \(spec.n) models the \(spec.select.rawValue) selection asked for are measured on \(spec.target)")
        }
        let sourceColumns = try sources.map(FewShotFeatures.source)
        return try fitted(spec: spec, samples: target.samples, unavailable: target.unavailable,
                          sourceColumns: sourceColumns, start: start)
    }

    static func features(_ code: Int, _ sourceColumns: [[Double]], scale: Double) -> [Double] {
        var f = FewShotFeatures.structural[code]
        if scale > 0 { for s in sourceColumns { f.append(scale * s[code]) } }
        return f
    }

    /// Fits the model to given samples (used again when a saved predictor is read back).
    static func fitted(spec: FewShotSpec, samples: [(arch: NB201Arch, latency: Double)], unavailable: [NB201Arch],
                       sourceColumns: [[Double]], start: UInt64) throws -> FewShotPredictor {
        // Latency is additive over a network's layers: the regression is on the latency itself, in units of the
        // samples' median; the leave-one-out error is measured on log latencies (relative error), and a candidate
        // whose leave-one-out prediction of a sample is not positive is out.
        let unit = median(samples.map(\.latency))
        let y = samples.map { $0.latency / unit }
        let logs = y.map { log($0) }
        let codes = samples.map(\.arch.code)
        func loo(_ scale: Double, _ penalty: Double) throws -> Double {
            let r = try Ridge.leaveOneOutResiduals(codes.map { features($0, sourceColumns, scale: scale) }, y, penalty: penalty)
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
        let choice = useSources
            ? FewShotPredictor.Choice(sourceScale: best.scale, penalty: best.penalty, leaveOneOut: best.error, structureOnlyLeaveOneOut: structure.error)
            : FewShotPredictor.Choice(sourceScale: 0, penalty: structure.penalty, leaveOneOut: structure.error, structureOnlyLeaveOneOut: structure.error)
        let ridge = try Ridge.fit(codes.map { features($0, sourceColumns, scale: choice.sourceScale) }, y, penalty: choice.penalty)
        // A linear model can extrapolate below zero: no prediction goes below a tenth of the fastest sample.
        let floor = 0.1 * samples.map(\.latency).min()!
        let predictions = (0..<NB201Arch.count).map { max(floor, unit * ridge.predict(features($0, sourceColumns, scale: choice.sourceScale))) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return FewShotPredictor(spec: spec, samples: samples, unavailable: unavailable, choice: choice, ridge: ridge,
                                predictions: predictions, seconds: seconds)
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// Greedy D-optimal design over the structural features (plus an intercept): each next model maximizes xᵀA⁻¹x,
/// A = 10⁻³·I + Σ xxᵀ over the models read so far; the first maximum in pool order wins. A model the target has no
/// latency for is skipped and does not enter A.
struct DOptimalDesign {
    let pool: [NB201Arch]
    let dim = 9
    var a: [Double]
    var tried: Set<Int> = []

    init(pool: [NB201Arch]) {
        self.pool = pool
        a = [Double](repeating: 0, count: dim * dim)
        for i in 0..<dim { a[i * dim + i] = 1e-3 }
    }

    func x(_ arch: NB201Arch) -> [Double] { FewShotFeatures.structural[arch.code] + [1] }

    /// The next model to read (nil when the pool is exhausted).
    mutating func next() -> NB201Arch? {
        guard let chol = try? Cholesky(a, dim, shift: 0) else { return nil }
        var best = -1, bestGain = -Double.infinity
        for (i, arch) in pool.enumerated() where !tried.contains(i) {
            let v = x(arch)
            let s = chol.solve(v)
            var g = 0.0
            for t in 0..<dim { g += v[t] * s[t] }
            if g > bestGain {
                bestGain = g
                best = i
            }
        }
        guard best >= 0 else { return nil }
        tried.insert(best)
        return pool[best]
    }

    /// Adds a model that was read to the information matrix.
    mutating func accept(_ arch: NB201Arch) {
        let v = x(arch)
        for i in 0..<dim { for j in 0..<dim { a[i * dim + j] += v[i] * v[j] } }
    }
}

/// The baselines of a few-shot study, each given exactly the predictor's samples and scored on its test set.
public enum FewShotBaselines {
    public static let names = ["gcn", "layerwise", "flops", "best_source"]

    /// A baseline's prediction of every NB201 arch (seconds), by code. `sources`: (name, table) in the predictor's
    /// source order. The returned string names what was used (the chosen source, for `best_source`).
    public static func predictions(_ name: String, _ p: FewShotPredictor, sources: [(String, MetricTable)],
                                   seed: Int, observe: (EpochRecord) throws -> Void = { _ in }) throws -> (values: [Double], note: String) {
        let archs = p.samples.map(\.arch), y = p.samples.map(\.latency)
        /// A cost scaled to time by the median ratio latency / cost over the samples.
        func scaled(_ cost: [Double]) -> [Double] {
            let ratios = zip(archs, y).map { $1 / cost[$0.code] }.sorted()
            let median = ratios.count % 2 == 1 ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
            return cost.map { $0 * median }
        }
        switch name {
        case "gcn":
            let model = AnyGCN(precision: .float32, config: GCNConfig(), seed: SeededRandom.subseed(seed, 1))
            _ = try model.train(train: archs.map(\.graph), trainTargets: y, valid: [], validTargets: [], options: TrainingOptions(),
                                seed: SeededRandom.subseed(seed, 2), observe: observe)
            return (model.predict(EvaluationPlan(NB201Arch.all.map(\.graph), layers: GCNConfig().layers)), "trained on the samples alone")
        case "layerwise":
            let l = try LayerwisePredictor.fit(samples: p.samples, device: p.spec.target)
            return (NB201Arch.all.map(l.predict), "one cost per op and edge position")
        case "flops":
            return (scaled(NB201Arch.all.map { Double(NB201Cost($0, dataset: .cifar10).flops) }), "CIFAR-10 multiply-adds")
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

/// A saved few-shot predictor (docs/formats.md): its spec, the samples it read and the model it chose. Reading it
/// back refits from the samples and the source tables and checks that the same model comes out, so a file cannot
/// claim a fit its data does not give. Numbers are written as Swift's shortest round-tripping decimal strings.
public struct FewShotFile: Codable, Sendable {
    public struct Sample: Codable, Sendable {
        public let arch: String
        public let latency_s: String
    }

    public var format = "brpsh-fewshot"
    public var version = 1
    public let spec: FewShotSpec
    public let samples: [Sample]
    public let source_scale: String
    public let penalty: String

    public static func encode(_ p: FewShotPredictor) throws -> Data {
        let file = FewShotFile(spec: p.spec, samples: p.samples.map { Sample(arch: $0.arch.string, latency_s: "\($0.latency)") },
                               source_scale: "\(p.choice.sourceScale)", penalty: "\(p.choice.penalty)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(file)
    }

    public static func decode(_ data: Data, source: String) throws -> FewShotFile {
        let file: FewShotFile
        do { file = try JSONDecoder().decode(FewShotFile.self, from: data) } catch {
            throw NASLibError("\(source): not a saved few-shot predictor (\(error))")
        }
        guard file.format == "brpsh-fewshot", file.version == 1 else {
            throw NASLibError("\(source): format \(file.format) version \(file.version); expected brpsh-fewshot version 1")
        }
        return file
    }

    /// Refits from the stored samples; `sources` in the spec's order.
    public static func refit(_ file: FewShotFile, sources: [MetricTable], source: String) throws -> FewShotPredictor {
        let samples = try file.samples.enumerated().map { i, s -> (arch: NB201Arch, latency: Double) in
            guard let v = Double(s.latency_s), v > 0, v.isFinite else { throw NASLibError("\(source): sample \(i + 1): latency_s \(s.latency_s) is not a positive number") }
            do { return (try NB201Arch(string: s.arch), v) } catch let e as NASLibError { throw NASLibError("\(source): sample \(i + 1): \(e.message)") }
        }
        guard samples.count == file.spec.n else { throw NASLibError("\(source): \(samples.count) samples, but n is \(file.spec.n)") }
        let p = try FewShotPredictor.fitted(spec: file.spec, samples: samples, unavailable: [],
                                            sourceColumns: try sources.map(FewShotFeatures.source), start: DispatchTime.now().uptimeNanoseconds)
        guard "\(p.choice.sourceScale)" == file.source_scale, "\(p.choice.penalty)" == file.penalty else {
            throw NASLibError("\(source): refitting gives source scale \(p.choice.sourceScale), penalty \(p.choice.penalty); the file says \(file.source_scale), \(file.penalty) (different source tables?)")
        }
        return p
    }
}

extension FewShotPredictor {
    /// The models a selection reads, in order, from a target that has a latency for every one of them: what to
    /// measure on a new device before fitting (nothing is read).
    public static func plannedModels(_ spec: FewShotSpec, reference: () throws -> [NB201Arch]) throws -> [NB201Arch] {
        let everything = TargetReads(MetricTable(name: spec.target, values: [Double](repeating: 1, count: NB201Arch.count)))
        try select(spec, everything, space: nil, reference: reference)
        return everything.samples.map(\.arch)
    }
}
