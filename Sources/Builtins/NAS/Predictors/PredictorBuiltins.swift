import Foundation
import Interpreter
import Lang
import NASLib

/// Builtins that train and load latency predictors.
enum PredictorBuiltins {
    static func all() -> [BuiltinFunction] { [gcn, layerwise, gcnLoad] }

    static func parameters(defaults d: GCNPredictorSpec) -> [BuiltinParameter] {
        [
            BuiltinParameter(
                "device", .oneOf([.string, .object("latency table")]),
                "device name or alias (d-cpu, d-gpu, e-gpu, e-tpu, m-gpu, m-dsp, ...), or a latency table (measure, latency_table)"
            ),
            BuiltinParameter("n", .int, default: .int(d.n), "training models"),
            BuiltinParameter("valid", .int, default: .int(d.valid), "validation models (the rest are the test set)"),
            BuiltinParameter(
                "seed", .optional(.int), default: .nil,
                "split, initialisation and training seed (default: session seed)"),
            BuiltinParameter("epochs", .int, default: .int(d.options.epochs)),
            BuiltinParameter("batch", .int, default: .int(d.options.batch)),
            BuiltinParameter("lr", .number, default: .number(d.options.learningRate), "AdamW learning rate"),
            BuiltinParameter("weight_decay", .number, default: .number(d.options.weightDecay)),
            BuiltinParameter("dropout", .number, default: .number(d.config.dropout)),
            BuiltinParameter("layers", .int, default: .int(d.config.layers)),
            BuiltinParameter("hidden", .int, default: .int(d.config.hidden)),
            BuiltinParameter("patience", .int, default: .int(d.options.patience), "early stopping (0: off)"),
            BuiltinParameter("lr_patience", .int, default: .int(d.options.lrPatience), "plateau schedule patience"),
            BuiltinParameter(
                "schedule", .string, default: .string(d.options.schedule.rawValue), "plateau, cosine or constant"),
            BuiltinParameter(
                "warmup", .int, default: .int(d.options.warmup), "epochs before the schedule and early stopping start"),
            BuiltinParameter(
                "restore_best", .bool, default: .bool(d.options.restoreBest), "keep the best-validation weights"),
            BuiltinParameter(
                "loss", .string, default: .string(d.options.loss.rawValue), "l1 or mse (sum over the batch)"),
            BuiltinParameter(
                "precision", .string, default: .string(d.precision.rawValue), "float64 (as eagle) or float32"),
        ]
    }

    /// The predictor spec from a call's arguments, checked.
    static func spec(_ c: BuiltinCall, device: Device) throws -> GCNPredictorSpec {
        var s = GCNPredictorSpec(device: device.name)
        s.n = try c.int("n", min: 1, max: NB201Arch.count)
        s.valid = try c.int("valid", min: 0, max: NB201Arch.count)
        s.seed = try c.seed()
        s.options.epochs = try c.int("epochs", min: 1, max: Limits.epochs)
        s.options.batch = try c.int("batch", min: 1, max: Limits.batch)
        s.options.learningRate = try c.double("lr")
        guard s.options.learningRate > 0 else { throw c.fail("lr", "must be positive") }
        s.options.weightDecay = try c.double("weight_decay")
        s.config.dropout = try c.double("dropout")
        guard s.config.dropout >= 0 && s.config.dropout < 1 else { throw c.fail("dropout", "must be in [0, 1)") }
        s.config.layers = try c.int("layers", min: 1, max: 16)
        s.config.hidden = try c.int("hidden", min: 1, max: 8192)
        s.options.patience = try c.int("patience", min: 0, max: Limits.epochs)
        s.options.lrPatience = try c.int("lr_patience", min: 0, max: Limits.epochs)
        let schedule = try c.string("schedule")
        guard let sched = TrainingOptions.Schedule(rawValue: schedule) else {
            throw c.fail("schedule", "use plateau, cosine or constant, got \"\(schedule)\"")
        }
        s.options.schedule = sched
        s.options.warmup = try c.int("warmup", min: 0, max: Limits.epochs)
        s.options.restoreBest = try c.bool("restore_best")
        let loss = try c.string("loss")
        guard let l = TrainingOptions.LossKind(rawValue: loss) else {
            throw c.fail("loss", "use l1 or mse, got \"\(loss)\"")
        }
        s.options.loss = l
        let precision = try c.string("precision")
        guard let p = AnyGCN.Precision(rawValue: precision) else {
            throw c.fail("precision", "use float64 or float32, got \"\(precision)\"")
        }
        s.precision = p
        return s
    }

    static let gcn = BuiltinFunction(
        "gcn", parameters(defaults: GCNPredictorSpec(device: "")),
        doc:
            "Trains a GCN latency predictor (Table S1 settings) on n random models of a device; .test gives its accuracy on the rest.",
        category: "Predictors"
    ) { c in
        let context = NASContext.of(c)
        let device = try context.device(c, "device")
        let spec = try spec(c, device: device)
        let table = try nas { try context.benchmark().table(device) }
        var progress = Progress(c, "gcn \(device.aliases.first ?? device.name)", total: spec.options.epochs)
        defer { progress.finish() }
        let predictor: LatencyPredictor = try Caching.cached(
            c, files: [device.file], encode: { Data(try PredictorFile.encode($0)) },
            decode: { try PredictorFile.decode([UInt8]($0), source: "cache") { _ in table } }
        ) {
            try nas {
                try LatencyPredictor.train(table, spec: spec) { e in
                    try progress.update(
                        e.epoch + 1, String(format: "loss %.3g/%.3g  lr %.2g", e.trainLoss, e.validLoss, e.learningRate)
                    )
                }
            }
        }
        let what = "gcn(device: \"\(device.aliases.first ?? device.name)\", n: \(spec.n), seed: \(spec.seed))"
        EpochCap.check(c, predictor.history, cap: spec.options.epochs, what: what)
        FailedTraining.check(c, predictor, table, what: what)
        return .object(GCNObject(predictor, device, context))
    }

    static let layerwise = BuiltinFunction(
        "layerwise",
        [
            BuiltinParameter(
                "device", .oneOf([.string, .object("latency table")]), "device name or alias, or a latency table"),
            BuiltinParameter("n", .int, default: .int(900)),
            BuiltinParameter(
                "valid", .int, default: .int(100), "left out, so the test set equals gcn's for the same seed"),
            BuiltinParameter("seed", .optional(.int), default: .nil),
        ],
        doc: "The layer-wise baseline: one latency per op and edge position, least squares on n training models.",
        category: "Predictors"
    ) { c in
        let context = NASContext.of(c)
        let device = try context.device(c, "device")
        let table = try nas { try context.benchmark().table(device) }
        let p = try nas {
            try LayerwisePredictor.fit(
                table, n: try c.int("n", min: 1, max: NB201Arch.count),
                valid: try c.int("valid", min: 0, max: NB201Arch.count), seed: try c.seed())
        }
        // Not cached (a least-squares fit takes milliseconds), but recorded in provenance.json like every fit.
        RunContext.of(c.interpreter).logCall(c.function.name, try Caching.arguments(c), cached: false)
        return .object(LayerwiseObject(p, device, context))
    }

    static let gcnLoad = BuiltinFunction(
        "gcn_load", [BuiltinParameter("file", .string, "a file written by p.save(file)")],
        doc: "Reads a saved GCN latency predictor (docs/formats.md).", category: "Predictors"
    ) { c in
        let context = NASContext.of(c)
        let p = try nas {
            try PredictorFile.load(try c.string("file")) { name in try context.benchmark().table(named: name) }
        }
        let device = try nas { try DeviceCatalog.resolve(p.spec.device) }
        return .object(GCNObject(p, device, context))
    }
}
