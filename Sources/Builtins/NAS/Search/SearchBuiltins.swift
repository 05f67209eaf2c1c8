import Foundation
import Infra
import Interpreter
import Lang
import NASLib

/// BRP-NAS and what searches share: the latency limit, the reported accuracy, runs.
enum SearchBuiltins {
    static func all() -> [BuiltinFunction] { BuiltinFunction.category("Search", [brp, compare]) }

    static let compare = BuiltinFunction(
        "compare",
        variadic: BuiltinParameter("searches", .any, "search results (brp, evolve, reinforce, random_search)"),
        doc:
            "Searches side by side: mean ± std of the best accuracy after 10/25/50/100/... models, and models needed to reach the optimum; plot() draws the curves."
    ) { c in
        let values = c.rest.flatMap { v -> [Value] in
            if case .list(let xs) = v { return xs }
            return [v]
        }
        guard !values.isEmpty else { throw c.fail("searches", "nothing to compare") }
        let fronts = values.compactMap { v -> ParetoSearchObject? in
            if case .object(let o as ParetoSearchObject) = v { return o } else { return nil }
        }
        if !fronts.isEmpty {
            guard fronts.count == values.count else {
                throw c.fail(
                    "searches",
                    "multi-objective searches compare with each other (hypervolume), not with single-objective ones")
            }
            let objectives = fronts.map { ($0.problem.costs.map(\.name), $0.problem.accuracy.name) }
            guard objectives.allSatisfy({ $0 == objectives[0] }) else {
                throw c.fail(
                    "searches", "the searches are scored against different fronts (other objectives or accuracy)")
            }
            return .object(ParetoComparisonObject(fronts))
        }
        return .object(ComparisonObject(try values.map { try searchObject($0, c) }))
    }

    static func searchObject(_ v: Value, _ c: BuiltinCall) throws -> SearchObject {
        guard case .object(let o as SearchObject) = v else {
            throw c.fail("searches", "search results expected, got \(v.describeForError)")
        }
        return o
    }

    static let limitParams = [
        BuiltinParameter(
            "limit", .optional(.quantity(.time)), default: .nil, "latency limit (models over it never count as best)"),
        BuiltinParameter(
            "latency", .any, default: .nil,
            "the latency predictor that filters candidates (gcn, layerwise, truth(device))"),
    ]

    static let runParams = [
        BuiltinParameter("seed", .optional(.int), default: .nil, "first run's seed (runs use seed, seed+1, ...)"),
        BuiltinParameter("runs", .int, default: .int(1)),
    ]

    /// The reported accuracy, the true latency and limit, and the latency predictor.
    static let selectParam = BuiltinParameter(
        "select", .string, default: .string("report"),
        "report: the result after k models is the best reported accuracy among them; signal: the reported accuracy of the one with the best training signal (validation-based selection)"
    )

    static func problem(_ c: BuiltinCall, reportName: String = "report") throws -> (
        SearchProblem, LatencyModel?, String
    ) {
        let b = try nas { try NASContext.of(c).benchmark() }
        let reportSet = try datasetArgument(c, reportName)
        let report = try nas { try b.accuracy(reportSet, .test) }
        var limit: Double? = nil
        var model: LatencyModel? = nil
        var truth: MetricTable? = nil
        if !c.isNil("limit") {
            limit = try c.quantity("limit", .time).base
            guard case .object(let o as LatencyModel) = c["latency"] else {
                throw c.fail(
                    "latency", "a latency limit needs latency: a latency predictor (gcn, layerwise or truth(device))")
            }
            model = o
            truth = try nas { try b.table(o.device) }
        }
        var selection: MetricTable? = nil
        switch try c.string("select") {
        case "report": break
        case "signal": selection = try AccuracyBuiltins.signal(c).0.table
        case let other:
            throw c.fail(
                "select",
                "use \"report\" (the best reported accuracy among the trained models) or \"signal\" (the model with the best training signal, e.g. validation accuracy), got \"\(other)\""
            )
        }
        return (
            SearchProblem(report: report, latency: truth, limit: limit, selection: selection), model,
            "\(reportSet.rawValue) test"
        )
    }

    /// The data files a search depends on (for its cache key).
    static func files(_ c: BuiltinCall, _ problem: SearchProblem, _ model: LatencyModel?) throws -> [DataFile] {
        let (dataset, split) = try datasetAndSplit(c, datasetName: "accuracy")
        var f = [try Benchmark.accuracyFile(dataset, split), DataFile.nb201TestAccuracy]
        if let m = model { f.append(m.device.file) }
        return f
    }

    /// Runs (or loads from the cache) the traces of a search.
    static func traces(
        _ c: BuiltinCall, _ problem: SearchProblem, _ model: LatencyModel?, _ compute: () throws -> [SearchTrace]
    ) throws -> [SearchTrace] {
        // The traces are the trained models in order, re-scored against the current problem when decoded, so the
        // pick rule (select) and the label (name) are not part of the key.
        try Caching.cached(
            c, files: try files(c, problem, model), ignoring: ["select", "name"],
            encode: { traces in
                let json = traces.map { t -> [String: Any] in
                    ["seed": t.seed, "steps": t.steps.map(\.arch.code), "extras": t.extras]
                }
                return try JSONSerialization.data(withJSONObject: json)
            },
            decode: { data in
                guard let items = try ExactJSON.object(with: data) as? [[String: Any]] else {
                    throw NASLibError("bad search entry")
                }
                return try items.map { item in
                    guard let seed = item["seed"] as? Int, let steps = item["steps"] as? [Int],
                        steps.allSatisfy({ $0 >= 0 && $0 < NB201Arch.count })
                    else { throw NASLibError("bad search entry") }
                    var t = SearchTrace(seed: seed)
                    for code in steps { t.train(NB201Arch(code: code), problem) }
                    t.extras = (item["extras"] as? [String: Double]) ?? [:]
                    return t
                }
            }, compute: compute)
    }

    /// Candidates: the models with a training signal that the latency predictor puts under the limit.
    static func candidates(_ signal: AccuracySignal, _ problem: SearchProblem, _ model: LatencyModel?) throws
        -> [NB201Arch]
    {
        var archs = signal.models.filter { problem.report[$0] != nil }
        if let m = model, let l = problem.limit {
            let pred = try m.latencies(archs)
            archs = zip(archs, pred).filter { $0.1 <= l }.map(\.0)
        }
        return archs
    }

    /// BRP-NAS's budgets and predictor from a brp(...) or search("brp", ...) call.
    static func brpOptions(_ c: BuiltinCall) throws -> (BRPNAS.Options, PairPredictor.Spec, String) {
        let K = try c.int("K", min: 1)
        let iters = try c.int("iters", min: 1, max: Limits.epochs)
        var o = BRPNAS.Options()
        o.K = K
        o.iterations = iters
        o.M = try c.optionalInt("M") ?? K
        guard iters <= K else { throw c.fail("iters", "\(iters) iterations need K ≥ \(iters) (K = \(K))") }
        guard o.M >= K else {
            throw c.fail("M", "the total budget M = \(o.M) must be at least the predictor budget K = \(K)")
        }
        o.alpha = try c.double("alpha")
        guard o.alpha >= 0 && o.alpha <= 1 else { throw c.fail("alpha", "must be in [0, 1]") }
        let (spec, batch) = try AccuracyBuiltins.pairSpec(c, models: K)
        o.predictor = spec
        o.epochs = spec.options.epochs
        o.batch = batch
        // search("brp") has no predictor: parameter
        let kind = c.isNil("predictor") ? "brp" : try c.string("predictor")
        guard kind == "brp" || kind == "gcn" else { throw c.fail("predictor", "use brp or gcn, got \"\(kind)\"") }
        return (o, spec, kind)
    }

    static let brp = BuiltinFunction(
        "brp",
        [
            BuiltinParameter("K", .int, default: .int(100), "predictor budget: models trained to train the predictor"),
            BuiltinParameter(
                "alpha", .number, default: .number(0.5), "share of each iteration taken from the top of the ranking"),
            BuiltinParameter("iters", .int, default: .int(5)),
            BuiltinParameter("M", .optional(.int), default: .nil, "total budget (default K)"),
        ]
            + limitParams + runParams + AccuracyBuiltins.accuracyParams
            + [
                BuiltinParameter(
                    "report", .optional(.string), default: .nil,
                    "reported accuracy dataset (test; default: the accuracy dataset)"),
                selectParam, SearchProtocol.param, SearchProtocol.skipParam,
            ]
            + AccuracyBuiltins.commonParams(epochs: 250, lr: 3.5e-4, dropout: 0.2, batch: AccuracyBuiltins.pairBatch)
            .filter { $0.name != "seed" }
            + AccuracyBuiltins.pairParams
            + [
                BuiltinParameter(
                    "predictor", .string, default: .string("brp"),
                    "brp (binary relation) or gcn (standard accuracy regression, for ablations)"),
                BuiltinParameter(
                    "init", .any, default: .nil,
                    "with predictor: \"gcn\", a trained GCN whose body to start from (transfer)"),
                BuiltinParameter("name", .optional(.string), default: .nil, "the label in tables and plots"),
                DeclaredSearch.parameter("darts and nb101 need evaluate:"),
                BuiltinParameter(
                    "evaluate", .any, default: .nil,
                    "instead of the benchmark: run(\"cmd {arch}\"), a function of the model returning its accuracy, or (nb101) a results file"
                ),
                BuiltinParameter(
                    "dir", .optional(.string), default: .nil,
                    "with evaluate: journal every proposal and result here; the same call resumes"),
                BuiltinParameter(
                    "pool", .int, default: .int(2000),
                    "darts, nb101, declared spaces: random distinct models the predictor ranks (drawn from the seed; a declared space with no more models ranks them all)"
                ),
                MultiObjectiveBuiltins.objectivesParam,
            ],
        doc:
            "BRP-NAS (Algorithm 1): iteratively train a binary relation predictor on K models, then train the top M − K it ranks."
    ) { c in
        let c = try SearchProtocol.resolve(c)
        let skip = try SearchProtocol.skipOverLimit(c)
        var (o, spec, kind) = try brpOptions(c)
        let K = o.K
        let iters = o.iterations
        if try !c.isNil("evaluate") || !SpaceChoice.of(c).hasBenchmark || !c.isNil("dir") {
            return try DriverBuiltins.search(c, o, spec, kind: kind)
        }
        if !c.isNil("objectives") { return try MultiObjectiveBuiltins.brp(c) }
        let (signal, _) = try AccuracyBuiltins.signal(c)
        if kind == "gcn" && !c.isGiven("batch") { o.batch = TrainingOptions.accuracyDefaults(models: K).batch }
        let source = try AccuracyBuiltins.initModel(c)
        if source != nil && kind != "gcn" { throw c.fail("init", "transfer applies to predictor: \"gcn\"") }
        let reportCall = c.isNil("report") ? "accuracy" : "report"
        let (problem, model, _) = try problem(c, reportName: reportCall)
        let cands = try candidates(signal, problem, model)
        let first = try c.seed()
        let runs = try c.int("runs", min: 1, max: Limits.runs)
        let totalEpochs = (1...iters).reduce(0) { $0 + max(1, o.epochs * $1 / iters) } * runs
        var progress = Progress(c, "brp", total: totalEpochs)
        defer { progress.finish() }
        var done = 0
        let traces = try traces(c, problem, model) {
            var traces: [SearchTrace] = []
            for r in 0..<runs {
                let seed = first + r
                let observe: (Int, EpochRecord) throws -> Void = { i, _ in
                    done += 1
                    try progress.update(done, "run \(r + 1)/\(runs) iteration \(i + 1)/\(iters)")
                }
                let trace = try nas {
                    if kind == "gcn" {
                        let ranker = try RegressionRanker(
                            config: spec.config, precision: spec.precision, seed: SeededRandom.subseed(seed, 1),
                            initFrom: source)
                        return try BRPNAS(options: o).run(
                            ranker, options: spec.options, candidates: cands, signal: signal, problem: problem,
                            seed: seed, observe: observe, skipOverLimit: skip)
                    }
                    return try BRPNAS(options: o).run(
                        candidates: cands, signal: signal, problem: problem, seed: seed, observe: observe,
                        skipOverLimit: skip)
                }
                traces.append(trace)
            }
            return traces
        }
        let label =
            try c.optionalString("name")
            ?? (kind == "gcn" ? (source == nil ? "gcn-nas" : "gcn-nas (transfer)") : "brp-nas")
        return .object(SearchObject(label, traces, problem, NASContext.of(c)))
    }
}
