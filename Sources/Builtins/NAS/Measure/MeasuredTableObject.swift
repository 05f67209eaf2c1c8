import Foundation
import Interpreter
import NASLib

/// What the threads of a parallel measurement share: models done, the first error, and the stop flag.
final class ParallelMeasure: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var firstError: String?
    private var stopFlag = false

    var done: Int { lock.withLock { count } }
    var error: String? { lock.withLock { firstError } }
    var stopped: Bool { lock.withLock { stopFlag } }
    func finished() { lock.withLock { count += 1 } }
    func stop() { lock.withLock { stopFlag = true } }

    /// A runner that cannot go on (three failures in a row, a journal that cannot be written) stops them all.
    func fail(_ message: String) {
        lock.withLock {
            if firstError == nil { firstError = message }
            stopFlag = true
        }
    }
}

/// A latency table the user measured or loaded: a device of its own, identified by its values.
final class MeasuredTableObject: HostObject, MemberTable {
    let table: MetricTable
    let device: Device
    let journal: MeasurementJournal<NB201Arch>?
    let context: NASContext
    /// The models asked for, in order (a measurement), or the table's models.
    let archs: [NB201Arch]

    init(
        table: MetricTable, name: String, summary: String, journal: MeasurementJournal<NB201Arch>?,
        archs: [NB201Arch]? = nil,
        context: NASContext
    ) {
        self.table = table
        self.journal = journal
        self.context = context
        self.archs = archs ?? table.measured
        device = Device.measured(name: name, summary: summary, fingerprint: LatencyTableFile.fingerprint(table))
    }

    convenience init(
        journal: MeasurementJournal<NB201Arch>, archs: [NB201Arch], name: String, backend: String?,
        statistic: LatencyStatistic, context: NASContext
    ) throws {
        // The table holds what this call asked for (a journal may hold more, from a call with other models).
        let all = journal.table(name: name, statistic: statistic)
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for a in archs { values[a.code] = all.values[a.code] }
        let s = journal.settings
        let cpu = (journal.header["machine"] as? [String: Any])?["cpu"] as? String ?? "?"
        self.init(
            table: MetricTable(name: name, values: values), name: name,
            summary:
                "\(backend ?? "\(cpu), native") NB201 \(s.dataset.rawValue) network, \(s.threads) thread(s), \(s.runs)×\(s.perRun) timed, \(statistic.rawValue)",
            journal: journal, archs: archs, context: context)
    }

    /// A measured table may not take a shipped device's name (one name, one table).
    static func checkName(_ name: String, _ c: BuiltinCall) throws {
        guard !name.isEmpty, name.count <= 100, !name.contains("/") else {
            throw c.fail("name", "a short name without '/' expected")
        }
        if (try? DeviceCatalog.resolve(name)) != nil {
            throw c.fail("name", "\"\(name)\" is a shipped device; give the measured table a name of its own")
        }
    }

    static func machine() -> [String: Any] {
        let m = Machine.current
        return [
            "cpu": m.cpu, "cores": m.cores, "os": m.os, "arch": m.arch, "hostname": m.hostname,
            "blas": BLAS.configuration, "blas_kernel": BLAS.coreName,
        ]
    }

    /// The device, with its table made available to this session's benchmark.
    func registered() throws -> Device {
        try nas { try context.benchmark() }.register(device, table)
        return device
    }

    var typeName: String { "latency table" }

    static let members: [Member<MeasuredTableObject>] = [
        Member("name", "the table's device name") { o in .string(o.device.name) },
        Member("count", "models measured") { o in .int(o.table.count) },
        Member("failed", "models whose measurement failed") { o in
            .list(o.failed.map { .object(ArchObject($0, o.context)) })
        },
        Member("device", "what was measured (this CPU or a runner's device)") { o in .string(o.device.summary) },
        Member("latencies", "the latency of each model asked for, in order") { o in
            .list(o.archs.map { measureValue(o.table[$0], o.device) })
        },
        Member("cost", "wall time spent per model (building, warm-up, timing)") { o in
            // wall time per model: building, warm-up and timing (or the runner's round trip)
            guard let j = o.journal else { return .nil }
            let spent = o.archs.compactMap { j.models[$0]?.seconds }
            return spent.isEmpty ? .nil : .quantity(Quantity.seconds(spent.reduce(0, +) / Double(spent.count)))
        },
        Member("dir", "the measurement's journal directory") { o in o.journal.map { .string($0.directory) } ?? .nil },
        Member("machine", "the machine it was measured on") { o in
            o.journal.map { jsonValue($0.header["machine"]) } ?? .nil
        },
        Member("settings", "how it was timed: runs, per_run, warm-up, threads") { o in
            o.journal.map { jsonValue($0.settings.json) } ?? .nil
        },
        Member("save", "t.save(\"x.pickle\"): writes LatBench's format") { o in .builtin(o.saveMethod) },
        Member("records", "one record per model: arch, latency, samples") { o in .list(o.records()) },
    ]

    var failed: [NB201Arch] { archs.filter { journal?.models[$0]?.error != nil } }

    func records() -> [Value] {
        archs.map { a in
            var fields: [(String, Value)] = [
                ("arch", .object(ArchObject(a, context))), ("latency", measureValue(table[a], device)),
            ]
            if let e = journal?.models[a]?.error { fields.append(("error", .string(e))) }
            return .record(Record(fields))
        }
    }

    var saveMethod: BuiltinFunction {
        BuiltinFunction(
            "save", [BuiltinParameter("file", .string, "a .pickle (LatBench's format) or .csv file")],
            doc: "Writes the table; latency_table(file) reads it back."
        ) { c in
            try nas { try LatencyTableFile.write(self.table, to: try c.string("file")) }
            return .nil
        }
    }

    func display() -> String {
        let values = table.measured.compactMap { table[$0] }.sorted()
        var s = "latency table \"\(device.name)\": \(table.count) models"
        if !failed.isEmpty { s += " (\(failed.count) failed)" }
        if let lo = values.first, let hi = values.last {
            s += String(
                format: ", %.3g–%.3g ms (median %.3g ms)", lo * 1000, hi * 1000, values[values.count / 2] * 1000)
        }
        return s + "\n  " + device.summary + (journal.map { "\n  journal: \($0.path)" } ?? "")
    }

    func inlineDisplay() -> String { "<latency table \(device.name)>" }
    func plainValue() -> Value? { .list(records()) }
    var cacheIdentity: Value? {
        .record(Record([("name", .string(device.name)), ("sha256", .string(device.fingerprint ?? ""))]))
    }
}

extension MeasureBuiltins {
    /// A declared space's measurement as a table: one row per model asked for, in order (its text, the latency in
    /// ms by the statistic, the runs, or the error).
    static func declaredTable(
        _ journal: MeasurementJournal<DeclaredArch>, models: [DeclaredArch], statistic: LatencyStatistic
    ) -> Value {
        .object(
            TableObject(
                models.map { a in
                    let m = journal.models[a]
                    let latency: Double? = m.flatMap { m in
                        guard m.latency != nil else { return nil }
                        return statistic == .robust ? m.latency : try? statistic.of(m.runs)
                    }
                    return .record(
                        Record([
                            ("arch", .string(a.description)),
                            ("latency_ms", latency.map { .number($0 * 1000) } ?? .nil),
                            ("runs", .int(m?.runs.count ?? 0)),
                            ("error", m?.error.map(Value.string) ?? .nil),
                        ]))
                }))
    }
}
