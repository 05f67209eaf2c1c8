import Figures
import Foundation
import Infra
import Interpreter
import Lang
import NASLib

/// `fewshot(...)`: a latency predictor for a device from a few of its measurements and the other devices' tables
/// (docs/transfer.md), and `fewshot_load(file)`.
enum FewShotBuiltins {
    static func all() -> [BuiltinFunction] { [fewshot, fewshotModels, fewshotLoad] }

    static func selection(_ c: BuiltinCall) throws -> FewShotSpec.Selection {
        let select = try c.string("select")
        guard let s = FewShotSpec.Selection(rawValue: select) else {
            throw c.fail("select", "use \"design\", \"random\" or \"reference\", got \"\(select)\"")
        }
        return s
    }

    static let fewshotModels = BuiltinFunction(
        "fewshot_models",
        [
            BuiltinParameter("n", .int, default: .int(10), "how many models"),
            BuiltinParameter("seed", .optional(.int), default: .nil, "selection seed (default: the session seed)"),
            BuiltinParameter("select", .string, default: .string("design"), "\"design\", \"random\" or \"reference\""),
        ],
        doc:
            "The models fewshot(select:, seed:) would read from a device that has them all, in order: what to measure on a new device (measure(archs: ...)), then fewshot(table, n:).",
        category: "Predictors"
    ) { c in
        let context = NASContext.of(c)
        var spec = FewShotSpec(target: "planned", sources: [])
        spec.n = try c.int("n", min: 1, max: NB201Arch.count)
        spec.seed = try c.seed()
        spec.select = try selection(c)
        let archs = try nas { try FewShotPredictor.plannedModels(spec) { try context.benchmark().helpReferences() } }
        guard archs.count == spec.n else {
            throw c.fail("n", "the \(spec.select.rawValue) selection offers \(archs.count) models, not \(spec.n)")
        }
        return .list(archs.map { .object(ArchObject($0, context)) })
    }

    static let fewshot = BuiltinFunction(
        "fewshot",
        [
            BuiltinParameter(
                "target", .oneOf([.string, .object("latency table")]),
                "the device to predict: a device name (held out) or a measured latency table"),
            BuiltinParameter(
                "n", .int, default: .int(10),
                "how many target latencies the method may read (all of them: selection, fitting, validation)"),
            BuiltinParameter(
                "sources", .any, default: .string("all"),
                "a list of devices, or \"all\": every shipped latency table except the target's chip"),
            BuiltinParameter("seed", .optional(.int), default: .nil, "selection seed (default: the session seed)"),
            BuiltinParameter(
                "select", .string, default: .string("design"),
                "how the n target models are chosen: \"design\", \"random\" or \"reference\" (HELP's 10)"),
        ],
        doc:
            "Few-shot latency predictor: reads n latencies of the target, regresses them on the cell's structure and the source devices' latencies; .test scores it on every other measured model of the target.",
        category: "Predictors"
    ) { c in
        let context = NASContext.of(c)
        let target = try context.device(c, "target")
        guard target.measure == .latency else {
            throw c.fail("target", "\(target.name) is an energy table; fewshot predicts latency")
        }
        let (sources, excluded) = try sourceDevices(c, target: target)
        var spec = FewShotSpec(target: target.name, sources: sources.map(\.name))
        spec.n = try c.int("n", min: 3, max: 1000)
        spec.seed = try c.seed()
        let s = try selection(c)
        spec.select = s
        let benchmark = try nas { try context.benchmark() }
        let table = try nas { try benchmark.table(target) }
        let sourceTables = try nas { try sources.map { try benchmark.table($0) } }
        if s == .reference {
            let count = try nas { try benchmark.helpReferences().count }
            guard spec.n <= count else {
                throw c.fail("n", "select: \"reference\" reads HELP's \(count) reference architectures; n is \(spec.n)")
            }
        }
        let reads = TargetReads(table)
        let p = try nas {
            // A table the user measured offers its measured models (the others cannot be read); a shipped one, the space.
            try FewShotPredictor.fit(
                spec: spec, target: reads, sources: sourceTables,
                space: target.source == .measured ? table.measured : nil,
                reference: { try benchmark.helpReferences() })
        }
        // Not cached (the fit takes milliseconds) but recorded in provenance.json like every fit.
        RunContext.of(c.interpreter).logCall(c.function.name, try Caching.arguments(c), cached: false)
        return .object(FewShotObject(p, target, sources, excluded: excluded, context))
    }

    /// The source devices of a call, and (for "all") the tables left out because they share the target's chip.
    static func sourceDevices(_ c: BuiltinCall, target: Device) throws -> ([Device], [Device]) {
        let context = NASContext.of(c)
        switch c["sources"] {
        case .string(let s) where s == "all":
            let latency = DeviceCatalog.all.filter { $0.measure == .latency && $0.name != target.name }
            let excluded = latency.filter { $0.chip == target.chip }
            return (latency.filter { $0.chip != target.chip }, excluded)
        case .list(let items):
            guard !items.isEmpty else { throw c.fail("sources", "an empty list; give devices or \"all\"") }
            var seen = Set<String>()
            let devices = try items.map { v -> Device in
                let d = try context.device(v, c, "sources")
                guard d.name != target.name else {
                    throw c.fail("sources", "the target \(target.name) cannot be its own source")
                }
                guard d.measure == .latency else {
                    throw c.fail("sources", "\(d.name) is an energy table, not latency")
                }
                guard seen.insert(d.name).inserted else { throw c.fail("sources", "\(d.name) is listed twice") }
                return d
            }
            return (devices, [])
        case let v:
            throw c.fail("sources", "a list of devices or \"all\" expected, got \(v.describeForError)")
        }
    }

    static let fewshotLoad = BuiltinFunction(
        "fewshot_load", [BuiltinParameter("file", .string, "a file written by p.save(file)")],
        doc: "Reads a saved few-shot predictor: refits it from its stored samples and checks the fit matches.",
        category: "Predictors"
    ) { c in
        let context = NASContext.of(c)
        let path = try c.string("file")
        let file = try nas { try FewShotFile.decode(try Data(contentsOf: URL(fileURLWithPath: path)), source: path) }
        let benchmark = try nas { try context.benchmark() }
        let target = try nas { try DeviceCatalog.resolve(file.spec.target) }
        let sources = try nas { try file.spec.sources.map(DeviceCatalog.resolve) }
        let p = try nas {
            try FewShotFile.refit(file, sources: try sources.map { try benchmark.table($0) }, source: path)
        }
        return .object(FewShotObject(p, target, sources, excluded: [], context))
    }
}

/// A few-shot latency predictor in the language.
final class FewShotObject: HostObject, MemberTable, LatencyModel, Plottable {
    let predictor: FewShotPredictor
    let device: Device
    let sources: [Device]
    let excluded: [Device]
    let context: NASContext

    init(_ p: FewShotPredictor, _ device: Device, _ sources: [Device], excluded: [Device], _ context: NASContext) {
        predictor = p
        self.device = device
        self.sources = sources
        self.excluded = excluded
        self.context = context
    }

    var typeName: String { "fewshot" }
    var modelName: String { "fewshot" }

    static let members: [Member<FewShotObject>] = [
        Member("device", "the target device") { o in .string(o.device.name) },
        Member("test", "its accuracy on every other measured model of the target: Spearman, Kendall, within ±1/5/10 %")
        { o in metricsRecord(try o.testMetrics ?? o.predictor.testMetrics(o.table())) },
        Member("metrics", "p.metrics(rule:): the same under the paper's within-x rule") { o in
            return .builtin(
                BuiltinFunction(
                    "metrics", [BuiltinParameter("rule", .string, default: .string("eagle"))],
                    doc: "Test metrics under a within-x rule (\"eagle\" or \"paper\")."
                ) { c in
                    metricsRecord(o.predictor.testMetrics(try o.table(), rule: try ruleArgument(c)))
                })
        },
        Member("predict", "p.predict(archs): predicted latencies") { o in
            latencyPredictMethod(o.context, "Predicted latency.", o.latencies)
        },
        Member("samples", "the target models it read, with their latencies (all it knows of the target)") { o in
            return .list(
                o.predictor.samples.map { s in
                    .record(
                        Record([
                            ("arch", .object(ArchObject(s.arch, o.context))),
                            ("latency", .quantity(Quantity.seconds(s.latency))),
                        ]))
                })
        },
        Member("reads", "how many target latencies it read (= n)") { o in .int(o.predictor.samples.count) },
        Member("sources", "the source devices") { o in .list(o.sources.map { .string($0.name) }) },
        Member("excluded", "tables left out of \"all\" because they share the target's chip") { o in
            .list(o.excluded.map { .string($0.name) })
        },
        Member("model", "what was fitted: source scale (0: structure only), penalty, leave-one-out errors") { o in
            let ch = o.predictor.choice
            return .record(
                Record([
                    ("uses_sources", .bool(ch.sourceScale > 0)), ("source_scale", .number(ch.sourceScale)),
                    ("penalty", .number(ch.penalty)), ("loo_error", .number(ch.leaveOneOut)),
                    ("structure_loo_error", .number(ch.structureOnlyLeaveOneOut)),
                ]))
        },
        Member(
            "baselines",
            "gcn from scratch, layer-wise, FLOPs and the best single source on the same samples and test set"
        ) { o in try o.baselines() },
        Member("save", "p.save(\"p.fewshot\"): writes it; fewshot_load(file) reads it back") { o in
            return .builtin(
                BuiltinFunction(
                    "save", [BuiltinParameter("file", .string, "the file to write")],
                    doc: "Saves the predictor (its spec, samples and fit; docs/formats.md)."
                ) { c in
                    let path = try c.string("file")
                    do {
                        try DurableFile.write(FewShotFile.encode(o.predictor), to: path)
                    } catch {
                        throw c.fail("file", "cannot write \(path): \(error.localizedDescription)")
                    }
                    return .nil
                })
        },
        Member("spec", "target, sources, n, seed, select") { o in o.specRecord },
        Member("seconds", "time to select and fit") { o in .number(o.predictor.seconds) },
    ]

    func latencies(_ archs: [NB201Arch]) throws -> [Double] { predictor.predict(archs) }

    /// The target's table, when it has test models beyond the ones read.
    func table() throws -> MetricTable {
        let t = try nas { try context.benchmark().table(device) }
        guard !predictor.testArchs(t).isEmpty else {
            throw BuiltinError(
                "\(device.name) has no measured models beyond the \(predictor.samples.count) read: nothing to test on (measure more models to test it)"
            )
        }
        return t
    }

    lazy var testMetrics: PredictionMetrics? = try? predictor.testMetrics(table())

    var specRecord: Value {
        let s = predictor.spec
        return .record(
            Record([
                ("target", .string(s.target)), ("sources", .list(s.sources.map(Value.string))), ("n", .int(s.n)),
                ("seed", .int(s.seed)), ("select", .string(s.select.rawValue)),
            ]))
    }

    /// The method and its baselines on identical samples and test models, as a table of records.
    func baselines() throws -> Value {
        let t = try table()
        let test = predictor.testArchs(t)
        let truth = test.map { t[$0]! }
        func row(_ name: String, _ note: String, _ m: PredictionMetrics) -> Value {
            .record(
                Record([
                    ("method", .string(name)), ("spearman", .number(m.spearman)), ("kendall", .number(m.kendall)),
                    ("within5", .quantity(Quantity(m.within5, .percent))),
                    ("within10", .quantity(Quantity(m.within10, .percent))),
                    ("n", .int(predictor.samples.count)), ("note", .string(note)),
                ]))
        }
        var rows = [
            row(
                "fewshot", predictor.choice.sourceScale > 0 ? "structure + sources" : "structure only",
                PredictionMetrics(predicted: predictor.predict(test), truth: truth))
        ]
        let named = try nas { try sources.map { ($0.name, try context.benchmark().table($0)) } }
        for name in FewShotBaselines.names where name != "best_source" || !named.isEmpty {
            let (values, note) = try nas {
                try FewShotBaselines.predictions(name, predictor, sources: named, seed: predictor.spec.seed) { _ in
                    try Interrupt.check()
                }
            }
            rows.append(row(name, note, PredictionMetrics(predicted: test.map { values[$0.code] }, truth: truth)))
        }
        return .list(rows)
    }

    func figure() throws -> Figure {
        let t = try table()
        let test = predictor.testArchs(t)
        let ms = 1e3
        let panel = Figure.Panel(
            title: "fewshot on \(device.aliases.first ?? device.name): n = \(predictor.samples.count)",
            xlabel: "measured (ms)",
            ylabel: "predicted (ms)",
            series: [
                Figure.Series(
                    label: "test models", kind: .scatter, x: test.map { t[$0]! * ms },
                    y: predictor.predict(test).map { $0 * ms }),
                Figure.Series(
                    label: "read (the samples)", kind: .scatter, x: predictor.samples.map { $0.latency * ms },
                    y: predictor.predict(predictor.samples.map(\.arch)).map { $0 * ms }),
            ])
        return Figure(panels: [panel], columns: 1)
    }

    func display() -> String {
        let m = testMetrics
        let quality =
            m.map { String(format: "spearman %.3f, within 10%%: %.1f", $0.spearman, $0.within10) } ?? "no test models"
        let how = predictor.choice.sourceScale > 0 ? "structure + \(sources.count) sources" : "structure only"
        return
            "fewshot(\(device.aliases.first ?? device.name): \(predictor.samples.count) read (\(predictor.spec.select.rawValue)), \(how); \(quality))"
    }

    func inlineDisplay() -> String { "fewshot(\(device.aliases.first ?? device.name))" }

    /// The spec and the samples read: with the source tables' files (part of the call's data files), all a fit
    /// depends on.
    var cacheIdentity: Value? {
        var h = SHA256()
        for s in predictor.samples { h.update("\(s.arch.code):\(s.latency.bitPattern);") }
        return .record(
            Record([("kind", .string("fewshot")), ("spec", specRecord), ("samples_sha256", .string(h.hexDigest()))]))
    }

    func plainValue() -> Value? {
        guard case .record(var r) = specRecord else { return nil }
        if let m = testMetrics, case .record(let t) = metricsRecord(m) { r["test"] = .record(t) }
        return .record(r)
    }
}
