import Figures
import Interpreter
import Lang
import NASLib

/// Accuracy predictors, the binary relation predictor, ranking quality.
enum AccuracyBuiltins {
    static func all() -> [BuiltinFunction] {
        BuiltinFunction.category("Accuracy predictors", [gcnAcc, flopsPredictor, brpPredictor, rankCorr])
    }

    /// The training signal and the reported metric of a call (`accuracy:`, `split:`).
    static func signal(_ c: BuiltinCall) throws -> (AccuracySignal, String) {
        let (dataset, split) = try datasetAndSplit(c, datasetName: "accuracy")
        let b = try nas { try NASContext.of(c).benchmark() }
        let table = try nas { try b.accuracy(dataset, split) }
        return (AccuracySignal(table), "\(dataset.rawValue) \(split.rawValue)")
    }

    static let accuracyParams = [
        BuiltinParameter(
            "accuracy", .string, default: .string("cifar100"),
            "training signal dataset: cifar10, cifar100, imagenet16-120"),
        BuiltinParameter(
            "split", .string, default: .string("test"), "test (mean over seeds; all 15625 archs) or valid (9445 archs)"),
    ]

    /// The batch defaults, in words, as the code sets them (TrainingOptions.accuracyDefaults, PairwiseTrainer.defaultBatch).
    static let regressionBatch = "default: 50 / 32 / 16 models for n ≥ 100 / ≥ 50 / less (Table S3)"
    static let pairBatch =
        "default: fast mode 20 models per step (all their pairs); faithful mode 64 pairs for K ≥ 100, else 32 (eagle); predictor: \"gcn\" as gcn_acc"

    static func commonParams(epochs: Int, lr: Double, dropout: Double, batch: String = regressionBatch)
        -> [BuiltinParameter]
    {
        [
            BuiltinParameter("seed", .optional(.int), default: .nil),
            BuiltinParameter("epochs", .int, default: .int(epochs)),
            BuiltinParameter("batch", .optional(.int), default: .nil, batch),
            BuiltinParameter("lr", .number, default: .number(lr)),
            BuiltinParameter("weight_decay", .number, default: .number(5e-4)),
            BuiltinParameter("dropout", .number, default: .number(dropout)),
            BuiltinParameter("patience", .int, default: .int(35)),
            BuiltinParameter("layers", .int, default: .int(4)),
            BuiltinParameter("hidden", .int, default: .int(600)),
            BuiltinParameter("precision", .string, default: .string("float32"), "float32 or float64"),
        ]
    }

    static func options(_ c: BuiltinCall, models: Int) throws -> (GCNConfig, TrainingOptions, AnyGCN.Precision) {
        var o = TrainingOptions.accuracyDefaults(models: models)
        o.epochs = try c.int("epochs", min: 1, max: Limits.epochs)
        if let b = try c.optionalInt("batch") { o.batch = b }
        guard o.batch >= 1 else { throw c.fail("batch", "must be ≥ 1") }
        o.learningRate = try c.double("lr")
        o.weightDecay = try c.double("weight_decay")
        o.patience = try c.int("patience", min: 0, max: Limits.epochs)
        var config = GCNConfig()
        config.dropout = try c.double("dropout")
        guard config.dropout >= 0 && config.dropout < 1 else { throw c.fail("dropout", "must be in [0, 1)") }
        config.layers = try c.int("layers", min: 1, max: 16)
        config.hidden = try c.int("hidden", min: 1, max: 8192)
        let p = try c.string("precision")
        guard let precision = AnyGCN.Precision(rawValue: p) else {
            throw c.fail("precision", "use float32 or float64, got \"\(p)\"")
        }
        return (config, o, precision)
    }

    /// A GCN to start from (`init:`): a latency predictor, a FLOPs predictor or an accuracy predictor.
    static func initModel(_ c: BuiltinCall) throws -> AnyGCN? {
        switch c["init"] {
        case .nil: return nil
        case .object(let o as GCNObject): return o.predictor.model
        case .object(let o as AccuracyObject): return o.predictor.model
        case let v:
            throw c.fail(
                "init", "a trained GCN predictor expected (gcn, flops_predictor, gcn_acc), got \(v.describeForError)")
        }
    }

    static let gcnAcc = BuiltinFunction(
        "gcn_acc",
        [
            BuiltinParameter("n", .int, default: .int(100), "training models"),
            BuiltinParameter(
                "valid", .int, default: .int(100),
                "validation models for early stopping (0: validate on the training set)"),
        ]
            + accuracyParams + commonParams(epochs: 250, lr: 3.5e-4, dropout: 0.2)
            + [
                BuiltinParameter(
                    "init", .any, default: .nil,
                    "a trained predictor whose GCN body to start from (transfer, Figure S4)")
            ],
        doc: "The standard GCN accuracy predictor (Table S3): regression on normalised accuracy of n random models."
    ) { c in
        let (signal, name) = try signal(c)
        let n = try c.int("n", min: 2, max: NB201Arch.count)
        let nv = try c.int("valid", min: 0, max: NB201Arch.count)
        let (config, options, precision) = try options(c, models: n)
        let seed = try c.seed()
        guard n + nv <= signal.models.count else {
            throw c.fail("n", "n + valid = \(n + nv) exceeds the \(signal.models.count) models")
        }
        var rng = SeededRandom(seed: seed).derived(0)
        let order = rng.sample(signal.models, n + nv)
        let source = try initModel(c)
        var progress = Progress(c, "gcn_acc", total: options.epochs)
        defer { progress.finish() }
        let p = try nas {
            try AccuracyRegressor.train(
                signal, train: Array(order[..<n]), valid: Array(order[n...]), config: config, options: options,
                precision: precision, seed: seed, initFrom: source
            ) { e in
                try progress.update(e.epoch + 1, String(format: "loss %.3g/%.3g", e.trainLoss, e.validLoss))
            }
        }
        EpochCap.check(c, p.history, cap: options.epochs, what: "gcn_acc")
        return .object(AccuracyObject(p, signal: signal, name: name, context: NASContext.of(c)))
    }

    static let flopsPredictor = BuiltinFunction(
        "flops_predictor",
        [
            BuiltinParameter("n", .int, default: .int(900)), BuiltinParameter("valid", .int, default: .int(100)),
            BuiltinParameter("dataset", .string, default: .string("cifar10"), "the network whose FLOPs are learned"),
        ]
            + commonParams(epochs: 250, lr: 8e-4, dropout: 0.002, batch: "default: 10 models"),
        doc: "A GCN trained to predict (normalised) FLOPs of n random models, e.g. to initialise an accuracy predictor."
    ) { c in
        let dataset = try datasetArgument(c, "dataset")
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for a in NB201Arch.all { values[a.code] = Double(NB201Cost(a, dataset: dataset).flops) }
        let signal = AccuracySignal(MetricTable(name: "flops", values: values))
        let n = try c.int("n", min: 2, max: NB201Arch.count)
        let nv = try c.int("valid", min: 0, max: NB201Arch.count)
        var (config, options, precision) = try options(c, models: n)
        if !c.isGiven("batch") { options.batch = 10 }
        options.schedule = .plateau
        var rng = SeededRandom(seed: try c.seed()).derived(0)
        let order = rng.sample(signal.models, n + nv)
        var progress = Progress(c, "flops_predictor", total: options.epochs)
        defer { progress.finish() }
        let p = try nas {
            try AccuracyRegressor.train(
                signal, train: Array(order[..<n]), valid: Array(order[n...]), config: config, options: options,
                precision: precision, seed: try c.seed()
            ) { e in try progress.update(e.epoch + 1, "") }
        }
        EpochCap.check(c, p.history, cap: options.epochs, what: "flops_predictor")
        return .object(
            AccuracyObject(p, signal: signal, name: "FLOPs (\(dataset.rawValue))", context: NASContext.of(c)))
    }

    static func pairSpec(_ c: BuiltinCall, models: Int) throws -> (PairPredictor.Spec, Int) {
        var spec = PairPredictor.Spec()
        let (config, options, precision) = try options(c, models: models)
        spec.config = config
        spec.options = options
        spec.precision = precision
        let mode = try c.string("mode")
        let loss = try c.string("loss")
        let order = try c.string("order")
        guard let m = PairwiseTrainer<Float>.Mode(rawValue: mode) else {
            throw c.fail("mode", "use fast or faithful, got \"\(mode)\"")
        }
        guard let l = GCN<Float>.PairLoss(rawValue: loss) else {
            throw c.fail("loss", "use pairwise, soft or hard, got \"\(loss)\"")
        }
        guard let o = PairRanking.Order(rawValue: order) else {
            throw c.fail("order", "use wins or mergesort, got \"\(order)\"")
        }
        spec.mode = m
        spec.loss = l
        spec.order = o
        let batch = try c.optionalInt("batch") ?? PairwiseTrainer<Float>.defaultBatch(m, models: models)
        return (spec, batch)
    }

    static let pairParams = [
        BuiltinParameter(
            "mode", .string, default: .string("fast"),
            "fast (models embedded once per step, all their pairs) or faithful (eagle: every pair its own forward passes)"
        ),
        BuiltinParameter(
            "loss", .string, default: .string("pairwise"), "pairwise (2 logits, KL), soft or hard (1-way sigmoid)"),
        BuiltinParameter(
            "order", .string, default: .string("wins"),
            "how the non-transitive relation ranks models: wins or mergesort"),
    ]

    static let brpPredictor = BuiltinFunction(
        "brp_predictor",
        [BuiltinParameter("n", .int, default: .int(100), "training models (all their ordered pairs)")] + accuracyParams
            + commonParams(epochs: 250, lr: 3.5e-4, dropout: 0.2, batch: pairBatch) + pairParams,
        doc:
            "The binary relation predictor trained on n random models (non-iterative); rank_corr(bp) measures its ranking."
    ) { c in
        let (signal, name) = try signal(c)
        let n = try c.int("n", min: 2, max: NB201Arch.count)
        var (spec, batch) = try pairSpec(c, models: n)
        spec.options.batch = batch
        let seed = try c.seed()
        guard n <= signal.models.count else {
            throw c.fail("n", "only \(signal.models.count) models have this accuracy")
        }
        var rng = SeededRandom(seed: seed).derived(0)
        let train = rng.sample(signal.models, n)
        let p = PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1))
        var progress = Progress(c, "brp_predictor", total: spec.options.epochs)
        defer { progress.finish() }
        try nas {
            try p.train(train, signal, options: spec.options, seed: seed) { e in
                try progress.update(e.epoch + 1, String(format: "loss %.4g", e.validLoss))
            }
        }
        return .object(PairObject(p, signal: signal, name: name, context: NASContext.of(c)))
    }

    static let rankCorr = BuiltinFunction(
        "rank_corr",
        [
            BuiltinParameter("predictor", .any, "an accuracy predictor (gcn_acc, brp_predictor)"),
            BuiltinParameter("k", .list, default: .list([.int(10), .int(50), .int(100)]), "top-k sizes for precision"),
            BuiltinParameter(
                "order", .optional(.string), default: .nil,
                "binary relation predictors only: rank by wins or mergesort instead of the predictor's own order"),
        ],
        doc:
            "How well a predictor ranks all models: Spearman ρ and Kendall τ-b against the truth, precision of the top k."
    ) { c in
        guard case .object(let o) = c["predictor"], let r = o as? RankedObject else {
            throw c.fail("predictor", "an accuracy predictor expected, got \(c["predictor"].describeForError)")
        }
        let ks = try c.list("k").map { v -> Int in
            guard case .int(let k) = v, k > 0 else { throw c.fail("k", "positive integers expected") }
            return k
        }
        var ranked: [NB201Arch]
        if case .string(let name) = c["order"] {
            guard let pair = r as? PairObject else {
                throw c.fail("order", "only a binary relation predictor (brp_predictor) has a choice of order")
            }
            guard let order = PairRanking.Order(rawValue: name) else {
                throw c.fail("order", "use wins or mergesort, got \"\(name)\"")
            }
            ranked = pair.predictor.rank(r.signal.models, order: order)
        } else {
            ranked = r.ranker.rank(r.signal.models)
        }
        let q = RankingQuality(ranked: ranked, truth: r.signal.table, ks: ks)
        var fields: [(String, Value)] = [("spearman", .number(q.spearman)), ("kendall", .number(q.kendall))]
        for k in ks { fields.append(("precision\(k)", q.precision[k].map(Value.number) ?? .nil)) }
        fields.append(("n", .int(q.n)))
        return .record(Record(fields))
    }
}

/// Predictors that rank models (for rank_corr).
protocol RankedObject {
    var ranker: ModelRanker { get }
    var signal: AccuracySignal { get }
}

/// The accuracy predictors over NB201 trained here (the GCN regressor and the binary relation predictor): what they
/// share, declared once.
protocol TrainedAccuracyObject: AnyObject, RankedObject, SendableMetatype {
    var name: String { get }
    var context: NASContext { get }
    var trainArchs: [NB201Arch] { get }
    var history: [EpochRecord] { get }
}

extension TrainedAccuracyObject {
    /// `signal`, `train` and `history`, in that order (the history's doc names what it holds).
    static func sharedMembers(history doc: String) -> [Member<Self>] {
        [
            Member("signal", "the accuracy it was trained on") { o in .string(o.name) },
            Member("train", "its training archs") { o in .list(o.trainArchs.map { .object(ArchObject($0, o.context)) })
            },
            Member("history", doc) { o in historyValue(o.history) },
        ]
    }

    /// `rank`: the archs it is given, best first.
    static func rankMember(_ doc: String) -> Member<Self> {
        Member("rank", doc) { o in rankMethod(o.ranker, o.context) }
    }
}

final class AccuracyObject: HostObject, MemberTable, TrainedAccuracyObject {
    let predictor: AccuracyRegressor
    let signal: AccuracySignal
    let name: String
    let context: NASContext
    var ranker: ModelRanker { predictor }
    var trainArchs: [NB201Arch] { predictor.trainArchs }
    var history: [EpochRecord] { predictor.history }

    init(_ p: AccuracyRegressor, signal: AccuracySignal, name: String, context: NASContext) {
        predictor = p
        self.signal = signal
        self.name = name
        self.context = context
    }

    var typeName: String { "gcn_acc" }

    static let members: [Member<AccuracyObject>] =
        sharedMembers(history: "loss and learning rate per epoch") + [
            Member("predict", "a.predict(archs): predicted accuracies") { o in
                return .builtin(
                    BuiltinFunction(
                        "predict", [BuiltinParameter("x", .any)], doc: "Predicted accuracy (in the signal's units)."
                    ) { c in
                        let (archs, single) = try archList(c["x"], o.context, c, "x")
                        let v = o.predictor.model.predict(
                            EvaluationPlan(archs.map(\.graph), layers: o.predictor.model.config.layers)
                        )
                        .map { Value.number($0 * (o.signal.high - o.signal.low) + o.signal.low) }
                        return single ? v[0] : .list(v)
                    })
            },
            rankMember("a.rank(k): the k archs it ranks best"),
        ]

    func display() -> String {
        "gcn_acc(\(name): \(predictor.trainArchs.count) training models, \(predictor.history.count) epochs)"
    }
    func inlineDisplay() -> String { "gcn_acc" }
}

final class PairObject: HostObject, MemberTable, TrainedAccuracyObject {
    let predictor: PairPredictor
    let signal: AccuracySignal
    let name: String
    let context: NASContext
    var ranker: ModelRanker { predictor }
    var trainArchs: [NB201Arch] { predictor.trainArchs }
    var history: [EpochRecord] { predictor.history }

    init(_ p: PairPredictor, signal: AccuracySignal, name: String, context: NASContext) {
        predictor = p
        self.signal = signal
        self.name = name
        self.context = context
    }

    var typeName: String { "brp_predictor" }

    static let members: [Member<PairObject>] =
        sharedMembers(history: "loss per epoch") + [
            rankMember("b.rank(k): the k archs it ranks best (by pairwise wins)"),
            Member("compare", "b.compare(a1, a2): the probability that a1 is better than a2") { o in
                return .builtin(
                    BuiltinFunction(
                        "compare", [BuiltinParameter("a", .any, "an arch"), BuiltinParameter("b", .any, "an arch")],
                        doc: "The predicted probability that a is more accurate than b."
                    ) { c in
                        let (a, single) = try archList(c["a"], o.context, c, "a")
                        let (b, singleB) = try archList(c["b"], o.context, c, "b")
                        guard single else { throw c.fail("a", "one arch expected") }
                        guard singleB else { throw c.fail("b", "one arch expected") }
                        return .number(o.predictor.probability(a[0], betterThan: b[0]))
                    })
            },
        ]

    func display() -> String {
        "brp_predictor(\(name): \(predictor.trainArchs.count) training models, \(predictor.spec.mode.rawValue), \(predictor.spec.loss.rawValue), \(predictor.history.count) epochs)"
    }
    func inlineDisplay() -> String { "brp_predictor" }
}

/// `p.rank(archs)`: the archs, best first.
func rankMethod(_ r: ModelRanker, _ context: NASContext) -> Value {
    .builtin(
        BuiltinFunction(
            "rank", [BuiltinParameter("x", .any, "archs, indices or a space")], doc: "The archs ranked best first."
        ) { c in
            let (archs, _) = try archList(c["x"], context, c, "x")
            return .list(r.rank(archs).map { .object(ArchObject($0, context)) })
        })
}
