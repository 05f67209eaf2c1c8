import Figures
import Interpreter
import Lang
import NASLib

/// A trained GCN latency predictor (`gcn(...)`, `gcn_load`), usable wherever a latency predictor is.
final class GCNObject: HostObject, MemberTable {
    let predictor: LatencyPredictor
    let device: Device
    let context: NASContext

    init(_ predictor: LatencyPredictor, _ device: Device, _ context: NASContext) {
        self.predictor = predictor
        self.device = device
        self.context = context
    }

    var typeName: String { "gcn" }

    static let members: [Member<GCNObject>] = [
        Member("device", "the device it predicts") { o in .string(o.device.name) },
        Member("test", "its accuracy on the test models: Spearman, Kendall, within ±1/5/10 %") { o in
            metricsRecord(try o.testMetrics ?? o.predictor.testMetrics(o.table()))
        },
        Member("metrics", "p.metrics(archs): the same on other models") { o in .builtin(o.metricsMethod) },
        Member("history", "loss and learning rate per epoch") { o in historyValue(o.predictor.history) },
        Member("predict", "p.predict(archs): predicted latencies") { o in
            return latencyPredictMethod(
                o.context, "Predicted latency (a time quantity, or a list of them).", o.predictor.predict)
        },
        Member("save", "p.save(\"p.gcn\"): writes it; gcn(file:) reads it back") { o in .builtin(o.saveMethod) },
        Member("spec", "how it was trained: n, seed, epochs, layers, ...") { o in GCNObject.specRecord(o.predictor.spec)
        },
        Member("epochs", "epochs trained") { o in .int(o.predictor.history.count) },
        Member("seconds", "training time") { o in .number(o.predictor.trainingSeconds) },
        Member("train", "its training archs") { o in
            .list(o.predictor.trainArchs.map { .object(ArchObject($0, o.context)) })
        },
        Member("valid", "its validation archs") { o in
            .list(o.predictor.validArchs.map { .object(ArchObject($0, o.context)) })
        },
        Member("test_archs", "its test archs") { o in
            .list(o.predictor.testArchs.map { .object(ArchObject($0, o.context)) })
        },
    ]

    func table() throws -> MetricTable { try nas { try context.benchmark().table(device) } }

    lazy var testMetrics: PredictionMetrics? = try? predictor.testMetrics(table())

    static func specRecord(_ s: GCNPredictorSpec) -> Value {
        .record(
            Record([
                ("device", .string(s.device)), ("n", .int(s.n)), ("valid", .int(s.valid)), ("seed", .int(s.seed)),
                ("layers", .int(s.config.layers)), ("hidden", .int(s.config.hidden)),
                ("dropout", .number(s.config.dropout)),
                ("epochs", .int(s.options.epochs)), ("batch", .int(s.options.batch)),
                ("lr", .number(s.options.learningRate)),
                ("weight_decay", .number(s.options.weightDecay)), ("schedule", .string(s.options.schedule.rawValue)),
                ("lr_patience", .int(s.options.lrPatience)), ("patience", .int(s.options.patience)),
                ("warmup", .int(s.options.warmup)), ("restore_best", .bool(s.options.restoreBest)),
                ("loss", .string(s.options.loss.rawValue)), ("precision", .string(s.precision.rawValue)),
            ]))
    }

    var metricsMethod: BuiltinFunction {
        BuiltinFunction(
            "metrics", [BuiltinParameter("rule", .string, default: .string("eagle"), "\"eagle\" or \"paper\"")],
            doc:
                "Test metrics under a within-x rule: eagle's (1−x)·pred ≤ true ≤ (1+x)·pred or the paper's |pred − true| ≤ x·true."
        ) { c in
            metricsRecord(self.predictor.testMetrics(try self.table(), rule: try ruleArgument(c)))
        }
    }

    var saveMethod: BuiltinFunction {
        BuiltinFunction(
            "save", [BuiltinParameter("file", .string, "the file to write")],
            doc: "Saves the predictor (docs/formats.md); gcn_load(file) reads it back."
        ) { c in
            try nas { try PredictorFile.save(self.predictor, to: try c.string("file")) }
            return .nil
        }
    }

    func display() -> String {
        let m = testMetrics
        let within =
            m.map { String(format: "within 1/5/10%%: %.1f / %.1f / %.1f", $0.within1, $0.within5, $0.within10) } ?? ""
        let s = predictor.spec
        return
            "gcn(\(device.aliases.first ?? device.name): \(s.n) train, \(s.valid) valid, \(predictor.testArchs.count) test; "
            + "\(within); \(predictor.history.count) epochs, \(s.precision.rawValue))"
    }

    func inlineDisplay() -> String { "gcn(\(device.aliases.first ?? device.name))" }

    /// The training spec and the SHA-256 of the whole trained predictor (weights, split, history; not its timing).
    var cacheIdentity: Value? {
        guard let hash = try? PredictorFile.contentHash(predictor) else { return nil }
        return .record(
            Record([
                ("kind", .string("gcn")), ("spec", GCNObject.specRecord(predictor.spec)),
                ("sha256", .string(hash)),
            ]))
    }

    func plainValue() -> Value? {
        guard case .record(var r) = GCNObject.specRecord(predictor.spec) else { return nil }
        if let m = testMetrics, case .record(let t) = metricsRecord(m) { r["test"] = .record(t) }
        r["epochs_run"] = .int(predictor.history.count)
        return .record(r)
    }
}

/// The layer-wise baseline in the language.
final class LayerwiseObject: HostObject, MemberTable {
    let predictor: LayerwisePredictor
    let device: Device
    let context: NASContext

    init(_ predictor: LayerwisePredictor, _ device: Device, _ context: NASContext) {
        self.predictor = predictor
        self.device = device
        self.context = context
    }

    var typeName: String { "layerwise" }

    static let members: [Member<LayerwiseObject>] = [
        Member("device", "the device it predicts") { o in .string(o.device.name) },
        Member("test", "its accuracy on the test models: Spearman, Kendall, within ±1/5/10 %") { o in
            metricsRecord(o.predictor.testMetrics(try o.table()))
        },
        Member("metrics", "l.metrics(archs): the same on other models") { o in
            return .builtin(
                BuiltinFunction(
                    "metrics", [BuiltinParameter("rule", .string, default: .string("eagle"))],
                    doc: "Test metrics under a within-x rule (\"eagle\" or \"paper\")."
                ) { c in
                    metricsRecord(o.predictor.testMetrics(try o.table(), rule: try ruleArgument(c)))
                })
        },
        Member("predict", "l.predict(archs): predicted latencies") { o in
            latencyPredictMethod(o.context, "Predicted latency.") { $0.map(o.predictor.predict) }
        },
        Member("costs", "the fitted cost of each layer kind") { o in
            var rows: [Value] = [
                .record(
                    Record([
                        ("position", .string("constant")), ("op", .string("-")),
                        ("cost", .quantity(Quantity.seconds(o.predictor.constant))),
                    ]))
            ]
            for (pos, costs) in o.predictor.costs.enumerated() {
                for op in NB201Op.allCases where op != .none {
                    rows.append(
                        .record(
                            Record([
                                ("position", .string("e\(NB201Arch.edges[pos].0)\(NB201Arch.edges[pos].1)")),
                                ("op", .string(op.name)), ("cost", .quantity(Quantity.seconds(costs[op.rawValue]))),
                            ])))
                }
            }
            return .object(TableObject(rows))
        },
    ]

    func table() throws -> MetricTable { try nas { try context.benchmark().table(device) } }

    func display() -> String {
        let m = try? predictor.testMetrics(table())
        let within =
            m.map { String(format: "within 1/5/10%%: %.1f / %.1f / %.1f", $0.within1, $0.within5, $0.within10) } ?? ""
        return
            "layerwise(\(device.aliases.first ?? device.name): \(predictor.trainArchs.count) train, \(predictor.testArchs.count) test; \(within))"
    }

    func inlineDisplay() -> String { "layerwise(\(device.aliases.first ?? device.name))" }
    func plainValue() -> Value? { (try? member("test")) ?? nil }

    /// The device and the fitted model: the training models and every cost, bit for bit.
    var cacheIdentity: Value? {
        var h = SHA256()
        h.update(predictor.trainArchs.map(\.code).map(String.init).joined(separator: ","))
        for x in [predictor.constant] + predictor.costs.flatMap({ $0 }) { h.update(",\(x.bitPattern)") }
        return .record(
            Record([
                ("kind", .string("layerwise")), ("device", .string(device.name)),
                ("sha256", .string(h.hexDigest())),
            ]))
    }
}

extension GCNObject: Plottable {
    /// Training curves: losses and learning rate per epoch.
    func figure() throws -> Figure {
        TrainingCurves.figure(
            predictor.history.map { ($0.epoch, $0.trainLoss, $0.validLoss, $0.learningRate) },
            title: "gcn on \(device.aliases.first ?? device.name)")
    }
}

/// Figures of training histories (`plot(p)`, `plot(p.history)`).
enum TrainingCurves {
    static func figure(_ h: [(Int, Double, Double, Double)], title: String) -> Figure {
        let epochs = h.map { Double($0.0) }
        let loss = Figure.Panel(
            title: "\(title): loss", xlabel: "epoch", ylabel: "mean L1 loss (s)",
            series: [
                Figure.Series(label: "training (mini-batches)", kind: .line, x: epochs, y: h.map(\.1)),
                Figure.Series(label: "validation", kind: .line, x: epochs, y: h.map(\.2)),
            ])
        let lr = Figure.Panel(
            title: "\(title): learning rate", xlabel: "epoch", ylabel: "learning rate",
            series: [
                Figure.Series(label: "", kind: .line, x: epochs, y: h.map(\.3))
            ])
        return Figure(panels: [loss, lr], columns: 2)
    }
}
