import Foundation
import Infra
import Interpreter
import NASLib

/// Measuring latency on this machine (docs/measure.md): `measure(...)` and `latency_table(file)`, both giving a
/// latency table that goes wherever a device does (`gcn(device: t)`, `layerwise`, `truth`, `oracle`, searches'
/// `latency:` predictors, `correlation`).
enum MeasureBuiltins {
    static func all() -> [BuiltinFunction] { [measure, latencyTable] }

    /// The most models one call measures (all of NB201).
    static let maxModels = NB201Arch.count

    static let measure = BuiltinFunction(
        "measure",
        [
            BuiltinParameter(
                "n", .int, default: .int(100), "random connected NB201 models (drawn by seed), unless archs: is given"),
            BuiltinParameter(
                "archs", .optional(.any), default: .nil,
                "the models to measure: archs, indices or arch strings, or models of a declared space (with runner:)"),
            BuiltinParameter(
                "space", .optional(.object("declared space")), default: .nil,
                "a declared space: n random models of it (or archs: its models), measured by runner:"),
            BuiltinParameter("seed", .optional(.int), default: .nil, "which random models (default: session seed)"),
            BuiltinParameter("name", .string, default: .string("local-cpu"), "the table's name"),
            BuiltinParameter(
                "dir", .optional(.string), default: .nil,
                "where the journal lives (default: measurements/NAME); a rerun resumes it"),
            BuiltinParameter("runs", .int, default: .int(10), "timed runs per model (eagle: 100)"),
            BuiltinParameter("per_run", .int, default: .int(10), "inferences per run (eagle: 10)"),
            BuiltinParameter("warmup", .int, default: .int(5), "untimed inferences first"),
            BuiltinParameter("threads", .int, default: .int(1), "BLAS threads while timing"),
            BuiltinParameter(
                "statistic", .string, default: .string("robust"),
                "robust (LatBench's mean of the middle runs), min or median of the samples; the journal keeps every sample, so this never needs a new measurement"
            ),
            BuiltinParameter(
                "dataset", .string, default: .string("cifar10"),
                "the network's input size and classes: cifar10, cifar100, imagenet16-120"),
            BuiltinParameter(
                "runner", .optional(.oneOf([.string, .record])), default: .nil,
                "a device runner command (docs/measure.md) instead of the native backend, or a record {name: command} of runners measured in parallel (the result: a record of tables)"
            ),
            BuiltinParameter(
                "timeout", .quantity(.time), default: .quantity(Quantity.seconds(600)),
                "a runner's limit per model (it is killed and restarted)"),
            BuiltinParameter(
                "interleave", .int, default: .int(0),
                "0: each model timed start to finish; k: blocks of k models timed in rounds, so drift hits them alike (native backend)"
            ),
        ],
        doc:
            "Measures batch-1 inference latency of NB201 networks on this machine, each model recorded on disk as it is timed (a rerun resumes); the latency is LatBench's robust mean of the middle runs.",
        category: "Data"
    ) { c in
        let context = NASContext.of(c)
        var settings = MeasureSettings()
        settings.runs = try c.int("runs", min: 1, max: 10_000)
        settings.perRun = try c.int("per_run", min: 1, max: 10_000)
        settings.warmup = try c.int("warmup", min: 0, max: 100_000)
        settings.threads = try c.int("threads", min: 1, max: 256)
        settings.dataset = try datasetArgument(c, "dataset")
        settings.interleave = try c.int("interleave", min: 0, max: 1000)
        guard settings.interleave == 0 || c.isNil("runner") else {
            throw c.fail(
                "interleave", "interleaved timing is the native backend's; a runner times each model on its own")
        }
        let timeout = try c.quantity("timeout", .time).base
        guard timeout > 0 else { throw c.fail("timeout", "must be positive") }
        guard let statistic = LatencyStatistic(rawValue: try c.string("statistic")) else {
            throw c.fail("statistic", "use robust, min or median, got \"\(try c.string("statistic"))\"")
        }
        // One table (native, or one runner), or one per runner of a record {name: command}, measured in parallel.
        var targets: [(name: String, command: String?)] = []
        switch c["runner"] {
        case .nil: targets = [(try c.string("name"), nil)]
        case .string(let r): targets = [(try c.string("name"), r)]
        case .record(let r):
            targets = try zip(r.keys, r.values).map { k, v in
                guard case .string(let cmd) = v else {
                    throw c.fail("runner", "a record of runner commands expected, \(k) is \(v.describeForError)")
                }
                return (k, cmd)
            }
            guard !targets.isEmpty else { throw c.fail("runner", "no runners") }
        default:
            throw c.fail(
                "runner", "a command or a record {name: command} expected, got \(c["runner"].describeForError)")
        }
        if let declared = try declaredModels(c) {
            guard targets.allSatisfy({ $0.command != nil }) else {
                throw c.fail(
                    "runner", "the native backend builds NB201 networks; a declared space's models need a device runner"
                )
            }
            settings.space = declared.space.identity
            let (jobs, locks) = try open(c, targets, settings, declared.models, timeout: timeout) { o in
                guard let text = o["arch"] as? String else { throw NASLibError("no arch") }
                return try declared.space.space.parse(text)
            }
            return try withExtendedLifetime(locks) {
                let position = Dictionary(declared.models.enumerated().map { ($1, $0) }) { a, _ in a }
                return try measureJobs(
                    c, jobs, models: declared.models,
                    request: { a, s in (DeviceRunner.request(declared: a, s), position[a] ?? 0) }, native: nil,
                    interleaved: nil
                ) { j in
                    declaredTable(j.journal, models: declared.models, statistic: statistic)
                }
            }
        }
        let archs = try models(c, context)
        let (jobs, locks) = try open(c, targets, settings, archs, timeout: timeout) { o in
            guard let v = o["vector"] as? [Int] else { throw NASLibError("no arch vector") }
            return try NB201Arch(vector: v)
        }
        let index = try? context.benchmark().index()
        return try withExtendedLifetime(locks) {
            try measureJobs(
                c, jobs, models: archs,
                request: { a, s in (DeviceRunner.request(a, index: index?.index(of: a), s), a.code) },
                native: NativeTimer.measure, interleaved: NativeTimer.measureInterleaved
            ) { j in
                let what = j.runner.map { "runner \($0.device.map { "\"\($0)\"" } ?? "\"\($0.command)\"")" }
                return .object(
                    try MeasuredTableObject(
                        journal: j.journal, archs: archs, name: j.name, backend: what, statistic: statistic,
                        context: context))
            }
        }
    }

    /// A declared space's models to measure: `archs:` of that space, or `n` random ones of `space:`.
    static func declaredModels(_ c: BuiltinCall) throws -> (space: DeclaredSpaceObject, models: [DeclaredArch])? {
        if case .object(let s as DeclaredSpaceObject) = c["space"] {
            s.calledBy(c)
            guard c.isNil("archs") else {
                return (s, try c.list("archs").map { try s.model($0, "archs") })
            }
            return (s, try s.distinct(try c.int("n", min: 1, max: maxModels), c))
        }
        guard case .list(let xs) = c["archs"], case .object(let first as DeclaredArchObject)? = xs.first else {
            return nil
        }
        return (first.owner, try xs.map { try first.owner.model($0, "archs") })
    }

    /// The journals of a call's targets (one per runner, or the native backend), locked until the call returns.
    static func open<Model: MeasurableModel>(
        _ c: BuiltinCall, _ targets: [(name: String, command: String?)], _ settings: MeasureSettings,
        _ archs: [Model], timeout: Double, model: @escaping ([String: Any]) throws -> Model
    ) throws -> ([Job<Model>], [FileLock]) {
        var many = false
        if case .record = c["runner"] { many = true }
        var jobs: [Job<Model>] = []
        var locks: [FileLock] = []  // the measurement directories, held until the call returns
        defer { withExtendedLifetime(locks) {} }
        for t in targets {
            try MeasuredTableObject.checkName(t.name, c)
            var s = settings
            if let cmd = t.command {
                guard !cmd.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw c.fail("runner", "an empty command")
                }
                s.backend = "runner: " + cmd
            }
            let dir =
                try c.optionalString("dir").map { many ? ($0 as NSString).appendingPathComponent(t.name) : $0 }
                ?? "measurements/\(t.name)"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let lock = try nas { try FileLock.forProcess(directory: dir) }
            guard let lock else {
                throw c.fail(
                    "dir",
                    "\(dir) is in use by another brpsh process measuring there; wait for it to end (or use another dir:)"
                )
            }
            locks.append(lock)
            let journal = try nas {
                try MeasurementJournal<Model>(
                    directory: dir, settings: s, machine: MeasuredTableObject.machine(), model: model)
            }
            let runner = t.command.map {
                DeviceRunner(command: $0, timeout: timeout, log: (dir as NSString).appendingPathComponent("runner.log"))
            }
            jobs.append(
                Job(name: t.name, journal: journal, runner: runner, todo: archs.filter { journal.models[$0] == nil }))
        }
        return (jobs, locks)
    }

    /// Measures every job's models (one job here, several in parallel) and gives its table (a record of them for a
    /// record of runners).
    static func measureJobs<Model: MeasurableModel>(
        _ c: BuiltinCall, _ jobs: [Job<Model>], models archs: [Model],
        request: @escaping (Model, MeasureSettings) -> ([String: Any], Int),
        native: ((Model, MeasureSettings) throws -> MeasuredModel<Model>)?,
        interleaved: (([Model], MeasureSettings) throws -> [MeasuredModel<Model>])?,
        table: (Job<Model>) throws -> Value
    ) throws -> Value {
        defer { for j in jobs { j.runner?.stop() } }
        var many = false
        if case .record = c["runner"] { many = true }
        for j in jobs where j.todo.count < archs.count && !RunContext.of(c.interpreter).quiet {
            c.output.warn(
                "measure: \(archs.count - j.todo.count) of \(archs.count) models already in \(j.journal.path); measuring \(j.todo.count)\n"
            )
        }
        let one = { (a: Model, s: MeasureSettings, runner: DeviceRunner?) in
            try measureOne(a, s, runner: runner, request: request, native: native)
        }
        if jobs.count == 1 {
            try run(jobs[0], c, one: one, interleaved: interleaved)
        } else {
            try runInParallel(jobs, c, one: one)
        }
        RunContext.of(c.interpreter).logCall(c.function.name, try Caching.arguments(c), cached: false)
        let tables = try jobs.map(table)
        return many ? .record(Record(zip(jobs.map(\.name), tables).map { ($0, $1) })) : tables[0]
    }

    /// The models a call asks for: `archs:`, or `n` random connected models drawn by the seed.
    static func models(_ c: BuiltinCall, _ context: NASContext) throws -> [NB201Arch] {
        guard c.isNil("archs") else {
            let archs = try archList(c["archs"], context, c, "archs").archs
            guard !archs.isEmpty else { throw c.fail("archs", "no models to measure") }
            guard archs.count <= maxModels else { throw c.fail("archs", "at most \(maxModels) models") }
            return archs
        }
        let n = try c.int("n", min: 1, max: maxModels)
        var rng = SeededRandom(seed: try c.seed())
        let connected = NB201Arch.all.filter(\.connected)
        guard n <= connected.count else { throw c.fail("n", "NB201 has \(connected.count) connected models") }
        return rng.sample(connected, n)
    }

    /// One table's work: its journal, its runner (nil: native) and the models not measured yet.
    // Sendable, unchecked: in a parallel measurement each job (its journal and its runner) belongs to one thread.
    /// How one model is measured, shared by a parallel measurement's threads. Unchecked: it builds a request or times
    /// natively from its arguments alone; each thread passes its own job's runner.
    struct Measurer<Model: MeasurableModel>: @unchecked Sendable {
        let one: (Model, MeasureSettings, DeviceRunner?) throws -> MeasuredModel<Model>
    }

    struct Job<Model: MeasurableModel>: @unchecked Sendable {
        let name: String
        let journal: MeasurementJournal<Model>
        let runner: DeviceRunner?
        let todo: [Model]
    }

    static func run<Model: MeasurableModel>(
        _ job: Job<Model>, _ c: BuiltinCall,
        one: (Model, MeasureSettings, DeviceRunner?) throws -> MeasuredModel<Model>,
        interleaved: (([Model], MeasureSettings) throws -> [MeasuredModel<Model>])?
    ) throws {
        var progress = Progress(c, "measure \(job.name)", total: job.todo.count)
        defer { progress.finish() }
        let k = job.journal.settings.interleave
        if k > 0, job.runner == nil, let interleaved {
            // Blocks of k models, each journaled as soon as its block is done (an interruption loses one block).
            var done = 0
            for start in stride(from: 0, to: job.todo.count, by: k) {
                let block = Array(job.todo[start..<min(start + k, job.todo.count)])
                let measured: [MeasuredModel<Model>]
                do { measured = try interleaved(block, job.journal.settings) } catch let e
                    as NASLibError
                {
                    measured = block.map { MeasuredModel(arch: $0, error: e.message, seconds: 0) }
                }
                for m in measured { try nas { try job.journal.append(m) } }
                done += block.count
                let ms = measured.last?.latency.map { String(format: "%.3g ms", $0 * 1000) } ?? "failed"
                try progress.update(done, "last \(ms)")
            }
            return
        }
        for (i, a) in job.todo.enumerated() {
            let m = try one(a, job.journal.settings, job.runner)
            try nas { try job.journal.append(m) }
            let ms = m.latency.map { String(format: "%.3g ms", $0 * 1000) } ?? "failed"
            try progress.update(i + 1, "last \(ms)")
        }
    }

    /// Several runners at once, a thread each; this thread shows progress and takes Ctrl-C, after which every
    /// runner stops once its current model is recorded.
    static func runInParallel<Model: MeasurableModel>(
        _ jobs: [Job<Model>], _ c: BuiltinCall,
        one: @escaping (Model, MeasureSettings, DeviceRunner?) throws -> MeasuredModel<Model>
    ) throws {
        let measurer = Measurer(one: one)
        let shared = ParallelMeasure()
        let group = DispatchGroup()
        for job in jobs {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for a in job.todo where !shared.stopped {
                    do {
                        let m = try measurer.one(a, job.journal.settings, job.runner)
                        try job.journal.append(m)
                        shared.finished()
                    } catch {
                        shared.fail("\(job.name): \(error)")
                    }
                }
            }
        }
        var progress = Progress(
            c, "measure \(jobs.map(\.name).joined(separator: ", "))", total: jobs.map(\.todo.count).reduce(0, +))
        defer { progress.finish() }
        while group.wait(timeout: .now() + 0.2) == .timedOut {
            do { try progress.update(shared.done, "\(jobs.count) runners") } catch {
                shared.stop()
                group.wait()
                throw error
            }
        }
        if let e = shared.error { throw BuiltinError(e) }
    }

    /// One model, natively or through the runner; a failure is a recorded result, not an error.
    static func measureOne<Model: MeasurableModel>(
        _ a: Model, _ s: MeasureSettings, runner: DeviceRunner?,
        request: (Model, MeasureSettings) -> ([String: Any], Int),
        native: ((Model, MeasureSettings) throws -> MeasuredModel<Model>)?
    ) throws -> MeasuredModel<Model> {
        let started = NativeTimer.now()
        do {
            guard let runner else { return try native!(a, s) }
            let (r, id) = request(a, s)
            switch try nas({ try runner.measure(r, id: id) }) {
            case .success(let runs): return try MeasuredModel(arch: a, runs: runs, seconds: NativeTimer.now() - started)
            case .failure(let e): return MeasuredModel(arch: a, error: e.message, seconds: NativeTimer.now() - started)
            }
        } catch let e as NASLibError {
            return MeasuredModel(arch: a, error: e.message, seconds: NativeTimer.now() - started)
        }
    }

    static let latencyTable = BuiltinFunction(
        "latency_table",
        [
            BuiltinParameter("file", .string, "a LatBench-format .pickle or a .csv written by t.save(file)"),
            BuiltinParameter("name", .optional(.string), default: .nil, "the table's name (default: the file's name)"),
        ],
        doc:
            "Reads a latency table (LatBench's pickle format or brpsh's CSV) as a device for gcn, oracle and the searches.",
        category: "Data"
    ) { c in
        let path = try c.string("file")
        let name =
            try c.optionalString("name") ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        try MeasuredTableObject.checkName(name, c)
        let table = try nas { try LatencyTableFile.read(path, name: name) }
        return .object(
            MeasuredTableObject(
                table: table, name: name, summary: "read from \(path)", journal: nil,
                context: NASContext.of(c)))
    }
}
