import Foundation
import Infra

/// How models are timed: part of a measurement's identity, so a journal taken with other settings is never
/// mixed into this one.
public struct MeasureSettings: Hashable, Sendable {
    /// `native` (this process, `NB201Network` through BLAS) or the runner command.
    public var backend: String = "native"
    /// The network's input size and classes (the measured NB201 network is the dataset's).
    public var dataset: Benchmark.Dataset = .cifar10
    /// Runs of `perRun` back-to-back inferences (eagle: 100 × 10); the latency is their robust mean.
    public var runs: Int = 10
    public var perRun: Int = 10
    /// Untimed inferences before the first run.
    public var warmup: Int = 5
    /// BLAS threads during the timed inferences.
    public var threads: Int = 1
    /// Weights and input of the native network.
    public var seed: Int = 0
    /// The declared space of the measured models (its declaration; nil for NB201).
    public var space: String? = nil
    /// 0: each model timed on its own, start to finish. k > 0 (native backend): blocks of k models timed in rounds,
    /// one run of each model per round, so that drift over the block (frequency, temperature, other load) reaches
    /// every model of it alike (`NativeTimer.measureInterleaved`).
    public var interleave: Int = 0

    public init() {}

    public var json: [String: Any] {
        var j: [String: Any] = [
            "backend": backend, "dataset": dataset.rawValue, "runs": runs, "per_run": perRun, "warmup": warmup,
            "threads": threads, "seed": seed,
        ]
        // absent for one-at-a-time, as in journals written before it
        if interleave > 0 { j["interleave"] = interleave }
        if let space { j["space"] = space }
        return j
    }
}

/// A model a measurement journal records: its text form is the line's `arch`, with any extra fields.
public protocol MeasurableModel: Hashable, Sendable, CustomStringConvertible {
    /// Extra fields of the model's journal line, each `"key":value` (NB201: its eagle vector).
    var journalFields: [String] { get }
}

extension NB201Arch: MeasurableModel {
    public var journalFields: [String] { ["\"vector\":[\(vector.map(String.init).joined(separator: ","))]"] }
}

extension DeclaredArch: MeasurableModel {
    public var journalFields: [String] { [] }
}

/// One model's measurement: its timing runs (seconds) and robust latency, or why it failed.
public struct MeasuredModel<Model: MeasurableModel>: Sendable, Equatable {
    public let arch: Model
    public let runs: [[Double]]
    public let latency: Double?
    public let error: String?
    /// Wall time spent on the model (building, warm-up and runs).
    public let seconds: Double

    public init(arch: Model, runs: [[Double]], seconds: Double) throws {
        self.arch = arch
        self.runs = runs
        self.latency = try LatencyStatistic.robustMean(runs)
        self.error = nil
        self.seconds = seconds
    }

    public init(arch: Model, error: String, seconds: Double) {
        self.arch = arch
        self.runs = []
        self.latency = nil
        self.error = error
        self.seconds = seconds
    }
}

/// A measurement on disk: `journal.jsonl` in its directory, one JSON line per model appended and synced as it is
/// taken, after a header line with the settings and the machine. Opening an existing journal resumes it: the models
/// in it are never measured again; a last line cut short by a crash is dropped (that model is measured again). A
/// journal whose settings differ, or that was taken on another CPU, is refused rather than mixed. NB201 lines carry
/// the eagle vector the model is read back from; a declared space's lines its text form, parsed by the space.
public final class MeasurementJournal<Model: MeasurableModel>: @unchecked Sendable {
    public static var format: String { MeasurementJournals.format }
    public let directory: String
    public let settings: MeasureSettings
    public private(set) var models: [Model: MeasuredModel<Model>] = [:]
    /// Models in the order they were measured.
    public private(set) var order: [Model] = []
    public let header: [String: Any]
    private let file: JSONLinesFile

    public var path: String { (directory as NSString).appendingPathComponent("journal.jsonl") }

    /// The caller holds the directory's lock (`FileLock.forProcess`) while it measures into the journal.
    /// `model` reads a line's model back (from its `arch` text or extra fields).
    public init(
        directory: String, settings: MeasureSettings, machine: [String: Any],
        model: @escaping ([String: Any]) throws -> Model
    ) throws {
        self.directory = directory
        self.settings = settings
        let path = (directory as NSString).appendingPathComponent("journal.jsonl")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw NASLibError("\(directory): cannot create the measurement directory (\(error.localizedDescription))")
        }
        let wanted: [String: Any] = ["format": Self.format, "settings": settings.json, "machine": machine]
        var header = wanted
        var models: [Model: MeasuredModel<Model>] = [:]
        var order: [Model] = []
        file = try JSONLinesFile(
            path: path, what: "measurement journal", format: Self.format, header: wanted,
            accept: { h in
                let old = h["settings"] as? [String: Any] ?? [:]
                guard Self.canonical(old) == Self.canonical(settings.json) else {
                    throw NASLibError(
                        "\(path): taken with other settings (\(Self.describe(old))); this call asks for \(Self.describe(settings.json)). Use another dir: or the same settings"
                    )
                }
                let oldCPU = (h["machine"] as? [String: Any])?["cpu"] as? String
                let newCPU = machine["cpu"] as? String
                // The native backend times this machine; a runner times its device, whichever machine drives it.
                guard oldCPU == newCPU || settings.backend != "native" else {
                    throw NASLibError(
                        "\(path): measured on \"\(oldCPU ?? "?")\", this machine is \"\(newCPU ?? "?")\"; latencies of two machines are not one table. Use another dir:"
                    )
                }
                header = h
            },
            read: { _, line in
                let m = try Self.decode(line, model)
                if models[m.arch] == nil { order.append(m.arch) }
                models[m.arch] = m
            })
        self.header = header
        self.models = models
        self.order = order
    }

    static func canonical(_ o: [String: Any]) -> Data? {
        try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
    }

    static func describe(_ s: [String: Any]) -> String {
        s.keys.sorted().map { "\($0) \(s[$0].map { "\($0)" } ?? "?")" }.joined(separator: ", ")
    }

    /// Records a model (appended and synced before returning).
    public func append(_ m: MeasuredModel<Model>) throws {
        // JSON has no NaN or infinity (a `-nan` line made the journal unreadable): never write one.
        guard m.seconds.isFinite, m.latency?.isFinite ?? true, m.runs.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw NASLibError(
                "\(path): a measurement of \(m.arch) holds a number that is not finite; it is not recorded")
        }
        // Written by hand so every number keeps all its digits (Double's description reads back to the same bits).
        let text = String(data: try JSONSerialization.data(withJSONObject: [m.arch.description]), encoding: .utf8)!
        var fields = ["\"arch\":" + text.dropFirst().dropLast(), "\"seconds\":\(m.seconds)"] + m.arch.journalFields
        if let l = m.latency {
            fields.append("\"latency\":\(l)")
            fields.append(
                "\"runs\":["
                    + m.runs.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]")
        }
        if let e = m.error, let quoted = String(data: try JSONSerialization.data(withJSONObject: [e]), encoding: .utf8)
        {
            fields.append("\"error\":" + quoted.dropFirst().dropLast())
        }
        try file.append("{" + fields.sorted().joined(separator: ",") + "}")
        if models[m.arch] == nil { order.append(m.arch) }
        models[m.arch] = m
    }

    static func decode(_ line: Data, _ model: ([String: Any]) throws -> Model) throws -> MeasuredModel<Model> {
        guard let o = try? ExactJSON.object(with: line) as? [String: Any] else {
            throw NASLibError("not a JSON object")
        }
        let arch = try model(o)
        let seconds = (o["seconds"] as? Double) ?? 0
        if let e = o["error"] as? String { return MeasuredModel(arch: arch, error: e, seconds: seconds) }
        guard let runs = o["runs"] as? [[Double]] else { throw NASLibError("no timing runs for \(arch)") }
        let m = try MeasuredModel(arch: arch, runs: runs, seconds: seconds)
        // A check against a damaged line, not a rounding test: JSON readers may differ in the last bit.
        guard let l = o["latency"] as? Double, let r = m.latency, abs(r - l) <= 1e-9 * abs(l) else {
            throw NASLibError("the recorded latency of \(arch) is not the robust mean of its runs")
        }
        return m
    }

}

extension MeasurementJournal where Model == NB201Arch {
    /// An NB201 measurement: models read back from their eagle vectors.
    public convenience init(directory: String, settings: MeasureSettings, machine: [String: Any]) throws {
        try self.init(directory: directory, settings: settings, machine: machine) { o in
            guard let v = o["vector"] as? [Int] else { throw NASLibError("no arch vector") }
            return try NB201Arch(vector: v)
        }
    }

    /// The measured latencies as a table (NaN where not measured or failed): LatBench's robust mean, or another
    /// statistic of the recorded samples.
    public func table(name: String, statistic: LatencyStatistic = .robust) -> MetricTable {
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for (a, m) in models where m.latency != nil {
            values[a.code] = statistic == .robust ? m.latency! : ((try? statistic.of(m.runs)) ?? .nan)
        }
        return MetricTable(name: name, values: values)
    }
}

/// What the measurement journals of a directory hold.
public enum MeasurementJournals {
    public static let format = "brpsh-measurement-1"

    /// What a journal holds, read without opening it for writing (`brpsh data` lists them).
    public struct Summary: Sendable {
        public let path: String
        public let backend: String
        public let device: String
        public let measured: Int
        public let failed: Int
    }

    /// The journals in `root/*/journal.jsonl`, by directory name; unreadable ones are skipped.
    public static func summaries(in root: String) -> [Summary] {
        let dirs = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return dirs.compactMap { d in
            let path = (root as NSString).appendingPathComponent("\(d)/journal.jsonl")
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            let lines = data.split(separator: UInt8(ascii: "\n"))
            guard let first = lines.first, let h = try? ExactJSON.object(with: Data(first)) as? [String: Any],
                h["format"] as? String == format
            else { return nil }
            var measured = 0
            var failed = 0
            for line in lines.dropFirst() {
                guard let o = try? ExactJSON.object(with: Data(line)) as? [String: Any] else { continue }
                if o["error"] != nil { failed += 1 } else { measured += 1 }
            }
            let settings = h["settings"] as? [String: Any] ?? [:]
            let cpu = (h["machine"] as? [String: Any])?["cpu"] as? String ?? "?"
            let backend = settings["backend"] as? String ?? "?"
            return Summary(
                path: path, backend: backend, device: backend == "native" ? cpu : backend,
                measured: measured, failed: failed)
        }
    }
}

/// Times NB201 networks in this process.
public enum NativeTimer {
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Builds the arch's network and times it: `warmup` untimed inferences, then `runs` runs of `perRun` timed ones.
    public static func measure(_ arch: NB201Arch, _ s: MeasureSettings) throws -> MeasuredModel<NB201Arch> {
        let started = now()
        let net = NB201Network(arch, shape: .init(dataset: s.dataset), seed: s.seed)
        let x = net.input(seed: s.seed + 1)
        var sink: Float = 0
        let previous = BLAS.threads
        BLAS.setThreads(s.threads)
        defer { BLAS.setThreads(previous) }
        for _ in 0..<s.warmup { sink += net.forward(x)[0] }
        var runs: [[Double]] = []
        for _ in 0..<s.runs {
            var run: [Double] = []
            for _ in 0..<s.perRun {
                let t0 = now()
                sink += net.forward(x)[0]
                run.append(now() - t0)
            }
            runs.append(run)
        }
        guard sink.isFinite else { throw NASLibError("the network of \(arch) computed a non-finite output") }
        return try MeasuredModel(arch: arch, runs: runs, seconds: now() - started)
    }

    /// Times a block of models in rounds: every network is built and warmed up (`warmup` inferences each) first;
    /// then `runs` rounds, each giving every model one untimed inference (its caches were just another model's)
    /// followed by one run of `perRun` timed inferences. Round r starts at model r mod k, so no model is always
    /// first. A model's `seconds` is the block's wall time divided among its models.
    public static func measureInterleaved(_ archs: [NB201Arch], _ s: MeasureSettings) throws -> [MeasuredModel<
        NB201Arch
    >] {
        guard !archs.isEmpty else { return [] }
        let started = now()
        let nets = archs.map { NB201Network($0, shape: .init(dataset: s.dataset), seed: s.seed) }
        let inputs = nets.map { $0.input(seed: s.seed + 1) }
        var sink: Float = 0
        let previous = BLAS.threads
        BLAS.setThreads(s.threads)
        defer { BLAS.setThreads(previous) }
        for (net, x) in zip(nets, inputs) { for _ in 0..<s.warmup { sink += net.forward(x)[0] } }
        var runs = [[[Double]]](repeating: [], count: archs.count)
        for round in 0..<s.runs {
            for step in 0..<archs.count {
                let m = (round + step) % archs.count
                sink += nets[m].forward(inputs[m])[0]
                var run: [Double] = []
                for _ in 0..<s.perRun {
                    let t0 = now()
                    sink += nets[m].forward(inputs[m])[0]
                    run.append(now() - t0)
                }
                runs[m].append(run)
            }
        }
        guard sink.isFinite else { throw NASLibError("a network of the block computed a non-finite output") }
        let share = (now() - started) / Double(archs.count)
        return try zip(archs, runs).map { try MeasuredModel(arch: $0, runs: $1, seconds: share) }
    }
}
