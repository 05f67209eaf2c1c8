import Figures
import Foundation
import Interpreter
import Lang
import NASLib

/// `brp(objectives:)`, `evolve(objectives:)`, `random_search(objectives:)`: accuracy and one or more costs searched
/// together (docs/search.md, "Accuracy and cost together"). On the benchmark every run is scored against the exact
/// front; with `evaluate:`, `dir:` or `ask: true` the same sessions run through the search driver.
enum MultiObjectiveBuiltins {
    static let objectivesParam = BuiltinParameter(
        "objectives", .optional(.list), default: .nil,
        "multi-objective: " + ParetoBuiltins.objectivesDoc)

    /// What the search is told and scored with: the costs, the models it may train, what it believes each model
    /// costs (a table's truth or a predictor's values), and the exact front over the benchmark.
    struct Setup {
        let costs: [CostObjective]
        let candidates: [NB201Arch]
        /// Per cost: the table or predictions the search believes (nil: an evaluator's metric, known once evaluated).
        let believed: [MetricTable?]
        let exact: ParetoProblem?

        /// For a driven search's result: the costs' names, and each told model's costs as shown (ms, mJ, or a
        /// metric as reported).
        var objectives: DriverBuiltins.Objectives<NB201Arch> {
            let reader = MultiObjectiveBuiltins.costReader(self, key: \.string)
            let scales = costs.map(\.scale)
            return DriverBuiltins.Objectives(names: costs.map(\.name)) { a, outcome in
                zip(try reader(a, outcome), scales).map { $0 * $1 }
            }
        }

        /// Whether every cost is known before a model is evaluated (what BRP-NAS's candidate order needs).
        var costsKnown: Bool { believed.allSatisfy { $0 != nil } }
        func cost(_ a: NB201Arch) -> [Double] { believed.map { $0![a]! } }

        /// BRP-NAS's candidate order: the predicted front and the predictor's accuracy ranking merged in lockstep.
        /// Position k of the Pareto order (the predicted non-dominated candidates first: the ranking's position
        /// against each believed cost, within a front the least crowded first) and then position k of the accuracy
        /// ranking, each taken unless already placed. The Pareto order alone spreads the budget along the cheap end,
        /// where the predicted front is dense, and misses the accurate end, which is BRP-NAS's own strength: the
        /// most accurate models are the front's expensive end (docs/search.md).
        func paretoOrder(_ ranking: [NB201Arch]) -> [NB201Arch] { MultiObjectiveBuiltins.paretoOrder(ranking, cost) }
    }

    /// BRP-NAS's multi-objective candidate order over any space (`Setup.paretoOrder`): the Pareto order of the
    /// ranking's positions against the believed costs and the ranking itself, merged in lockstep.
    static func paretoOrder<Model: Hashable>(_ ranking: [Model], _ cost: (Model) -> [Double]) -> [Model] {
        let points = ranking.enumerated().map { [Double($0.offset)] + cost($0.element) }
        let pareto = Pareto.preferenceOrder(points).map { ranking[$0] }
        var out: [Model] = []
        var placed = Set<Model>()
        for (a, b) in zip(pareto, ranking) {
            if placed.insert(a).inserted { out.append(a) }
            if placed.insert(b).inserted { out.append(b) }
        }
        return out
    }

    static func noLimit(_ c: BuiltinCall) throws {
        guard c.isNil("limit") else {
            throw c.fail(
                "limit",
                "a multi-objective search has no latency limit: the cost is an objective (put the device in objectives:)"
            )
        }
    }

    /// The costs, candidates and exact front of an NB201 multi-objective call; `report` is the scored accuracy.
    static func setup(_ c: BuiltinCall, pool: [NB201Arch], report: MetricTable?, metrics: Bool) throws -> Setup {
        try noLimit(c)
        let context = NASContext.of(c)
        let costs = try ParetoBuiltins.objectives(c, metrics: metrics)
        let truths = try costs.map { try $0.truth(context) }
        let measured = pool.filter { a in truths.allSatisfy { $0 == nil || $0![a] != nil } }
        let believed = try costs.map { try $0.table(context, over: measured) }
        var candidates = measured
        if believed.allSatisfy({ $0 != nil }) {
            candidates = measured.filter { a in believed.allSatisfy { $0![a] != nil } }
        }
        guard !candidates.isEmpty else { throw c.fail("objectives", "no model has an accuracy and every cost") }
        var exact: ParetoProblem? = nil
        if let r = report, truths.allSatisfy({ $0 != nil }) {
            exact = try nas { try ParetoProblem(accuracy: r, costs: truths.map { $0! }, models: measured) }
        }
        return Setup(costs: costs, candidates: candidates, believed: believed, exact: exact)
    }

    /// A told model's costs in a driven search: a table's or predictor's value, or the evaluator's metric.
    static func costReader(_ s: Setup, key: @escaping (NB201Arch) -> String) -> EvolutionSession<NB201Arch>.Costs {
        { a, outcome in
            try zip(s.costs, s.believed).map { cost, table in
                if case .metric(let m) = cost.source {
                    guard let v = outcome.metrics[m] else {
                        throw NASLibError(
                            "the evaluation of \(key(a)) reported no \"\(m)\" (the evaluator's JSON line needs {\"accuracy\": ..., \"\(m)\": ...})"
                        )
                    }
                    return v
                }
                guard let v = table?[a] else { throw NASLibError("no \(cost.name) value for \(key(a))") }
                return v
            }
        }
    }

    /// The benchmark form (one or more runs, cached, scored against the exact front).
    static func benchmark(_ c: BuiltinCall, method: String) throws -> Value {
        try noLimit(c)
        switch method {
        case "brp": return try brp(c)
        default:
            let (problem, space, fitness, seeds, budget, _) = try BaselineBuiltins.setup(c)
            let s = try setup(
                c, pool: space.candidates, report: problem.report, metrics: !c.isNil("evaluate") || (try c.bool("ask")))
            let allowed = Baselines.Space(s.candidates)
            let name = method == "evolve" ? "evolution" : "random"
            if method == "evolve" {
                let pool = try c.int("pool", min: 1, max: NB201Arch.count)
                let sample = try c.int("sample", min: 1, max: NB201Arch.count)
                let cached = try c.bool("cached")
                if let v = try driven(
                    c, method, s, budget: budget, ["pool": pool, "sample": sample, "cached": cached],
                    {
                        EvolutionSession(
                            allowed, budget: budget, population: pool, sample: sample, cached: cached, seed: $0,
                            costs: costReader(s, key: \.string))
                    })
                {
                    return v
                }
                return try finish(c, name, problem, s, seeds) {
                    Baselines.evolution(
                        allowed, fitness, problem, budget: budget, population: pool, sample: sample, cached: cached,
                        seed: $0
                    ) { a, _ in
                        s.cost(a)
                    }
                }
            }
            if let v = try driven(
                c, "random", s, budget: budget, [:], { RandomSearchSession(allowed, budget: budget, seed: $0) })
            {
                return v
            }
            return try finish(c, name, problem, s, seeds) {
                Baselines.random(allowed, fitness, problem, budget: budget, seed: $0)
            }
        }
    }

    /// A baseline's ask/tell or driven form, with the objectives in its identity and its front in the result.
    static func driven<S: AskTellSession>(
        _ c: BuiltinCall, _ method: String, _ s: Setup, budget: Int, _ settings: [String: Any],
        _ make: (Int) -> S
    ) throws -> Value? where S.Model == NB201Arch {
        var settings = settings
        settings["objectives"] = ["accuracy"] + s.costs.map(\.name)
        return try BaselineBuiltins.nb201Session(
            c, method, Baselines.Space(s.candidates), budget: budget, settings, objectives: s.objectives, make)
    }

    static func finish(
        _ c: BuiltinCall, _ name: String, _ problem: SearchProblem, _ s: Setup, _ seeds: [Int],
        _ run: (Int) -> SearchTrace
    ) throws -> Value {
        try BaselineBuiltins.finish(c, name, problem, seeds, nil, result: { try result(c, name, $0, s) }, run)
    }

    static func result(_ c: BuiltinCall, _ name: String, _ traces: [SearchTrace], _ s: Setup) throws -> Value {
        guard let exact = s.exact else {
            throw c.fail("objectives", "a benchmark search needs costs with measured tables")
        }
        let label = try c.optionalString("name") ?? name
        let (_, accName) = try ParetoBuiltins.accuracyTable(c)
        // Scored at measured costs: the exact front is labelled by the devices whose tables hold them.
        let measured = s.costs.map { CostObjective(source: .table($0.device!)) }
        let front = ParetoObject(exact, measured, accuracy: accName, measured: nil, NASContext.of(c))
        return .object(ParetoSearchObject(label, traces, front, searched: s.costs.map(\.name)))
    }

    /// Multi-objective BRP-NAS on the benchmark: each iteration's predictor ranking is put in Pareto order against
    /// the believed costs before the iteration's models are chosen (and for the final phase).
    static func brp(_ c: BuiltinCall) throws -> Value {
        try noLimit(c)
        var (o, spec, kind) = try SearchBuiltins.brpOptions(c)
        let (signal, _) = try AccuracyBuiltins.signal(c)
        if kind == "gcn" && !c.isGiven("batch") { o.batch = TrainingOptions.accuracyDefaults(models: o.K).batch }
        let source = try AccuracyBuiltins.initModel(c)
        if source != nil && kind != "gcn" { throw c.fail("init", "transfer applies to predictor: \"gcn\"") }
        let (problem, _, _) = try SearchBuiltins.problem(c, reportName: c.isNil("report") ? "accuracy" : "report")
        let s = try setup(
            c, pool: try SearchBuiltins.candidates(signal, problem, nil), report: problem.report, metrics: false)
        guard s.candidates.count >= o.M else {
            throw c.fail("M", "only \(s.candidates.count) models have every cost, fewer than M = \(o.M)")
        }
        let first = try c.seed()
        let runs = try c.int("runs", min: 1, max: Limits.runs)
        let iters = o.iterations
        let totalEpochs = (1...iters).reduce(0) { $0 + max(1, o.epochs * $1 / iters) } * runs
        var progress = Progress(c, "brp", total: totalEpochs)
        defer { progress.finish() }
        var done = 0
        let traces = try SearchBuiltins.traces(c, problem, nil) {
            try (0..<runs).map { r in
                let seed = first + r
                let observe: (Int, EpochRecord) throws -> Void = { i, _ in
                    done += 1
                    try progress.update(done, "run \(r + 1)/\(runs) iteration \(i + 1)/\(iters)")
                }
                return try nas {
                    if kind == "gcn" {
                        let ranker = try RegressionRanker(
                            config: spec.config, precision: spec.precision, seed: SeededRandom.subseed(seed, 1),
                            initFrom: source)
                        return try BRPNAS(options: o).run(
                            ranker, options: spec.options, candidates: s.candidates, signal: signal, problem: problem,
                            seed: seed, observe: observe, reorder: s.paretoOrder)
                    }
                    return try BRPNAS(options: o).run(
                        candidates: s.candidates, signal: signal, problem: problem, seed: seed, observe: observe,
                        reorder: s.paretoOrder)
                }
            }
        }
        return try result(c, kind == "gcn" ? "gcn-nas" : "brp-nas", traces, s)
    }
}

/// A multi-objective search's result on the benchmark: the models each run trained, scored against the exact front.
final class ParetoSearchObject: HostObject, MemberTable, Plottable {
    let name: String
    let runs: [SearchTrace]
    let exact: ParetoObject
    var problem: ParetoProblem { exact.problem }

    /// The costs as the search saw them (a predictor's name where it searched by predicted cost).
    let searched: [String]

    init(_ name: String, _ runs: [SearchTrace], _ exact: ParetoObject, searched: [String]) {
        self.name = name
        self.runs = runs
        self.exact = exact
        self.searched = searched
    }

    var typeName: String { "pareto search" }

    static let members: [Member<ParetoSearchObject>] = [
        Member("name", "the search's label") { o in .string(o.name) },
        Member(
            "runs",
            "one record per run: seed, models trained, hypervolume ratio, models on its front, exact front models found"
        ) { o in .list(o.runs.indices.map(o.runRecord)) },
        Member("front", "the non-dominated models found (one run: rows arch, accuracy, cost; several: a list per run)")
        { o in
            return o.runs.count == 1
                ? .list(o.found(o.runs[0]).map(o.exact.row)) : .list(o.runs.map { .list(o.found($0).map(o.exact.row)) })
        },
        Member("history", "every trained model in order with its accuracy and costs (several runs: a list per run)") {
            o in o.runs.count == 1 ? o.historyValue(o.runs[0]) : .list(o.runs.map(o.historyValue))
        },
        Member(
            "hv_ratio", "hypervolume of the models found over the exact front's, after the whole budget: mean over runs"
        ) { o in .number(o.hvRatio) },
        Member("hv_curve", "the hypervolume ratio after each trained model: mean and std over runs") { o in
            return .list(
                o.curveStats().map {
                    .record(Record([("models", .int($0.k)), ("mean", .number($0.mean)), ("std", .number($0.std))]))
                })
        },
        Member("summary", "the hypervolume ratio at round budgets (10, 25, 50, ...)") { o in .list(o.summaryRows) },
        Member("exact", "the exact front (pareto(...)) the runs are scored against") { o in .object(o.exact) },
        Member("objectives", "the objectives' names") { o in
            .list([.string("accuracy")] + o.exact.costs.map { .string($0.name) })
        },
    ]

    func archs(_ t: SearchTrace) -> [NB201Arch] { t.steps.map(\.arch) }
    /// Each run's hypervolume ratio after each trained model, computed once (every member and display reads them).
    lazy var ratioCurves: [[Double]] = runs.map { problem.ratioCurve(archs($0)) }

    func found(_ t: SearchTrace) -> [NB201Arch] {
        var seen = Set<NB201Arch>()
        let mine = archs(t).filter { problem.point($0) != nil && seen.insert($0).inserted }
        let pts = mine.map { problem.point($0)! }
        return Pareto.front(pts).map { mine[$0] }.sorted {
            problem.costs[0][$0]! < problem.costs[0][$1]! || (problem.costs[0][$0]! == problem.costs[0][$1]! && $0 < $1)
        }
    }

    func curveStats() -> [(k: Int, mean: Double, std: Double, n: Int)] {
        let curves = ratioCurves
        let n = curves.map(\.count).max() ?? 0
        return (0..<n).map { i in
            let xs = curves.compactMap { i < $0.count ? $0[i] : $0.last }
            let m = xs.reduce(0, +) / Double(max(1, xs.count))
            let sd = xs.count > 1 ? (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot() : 0
            return (i + 1, m, sd, xs.count)
        }
    }

    var checkpoints: [Int] {
        let n = runs.map(\.steps.count).max() ?? 0
        let round = [10, 25, 50, 100, 150, 200, 300, 500, 1000]
        return round.filter { $0 <= n } + (n > 0 && !round.contains(n) ? [n] : [])
    }

    var summaryRows: [Value] {
        let st = curveStats()
        return checkpoints.map { k in
            .record(
                Record([
                    ("search", .string(name)), ("models", .int(k)), ("hv_ratio", .number(st[k - 1].mean)),
                    ("std", .number(st[k - 1].std)), ("runs", .int(st[k - 1].n)),
                ]))
        }
    }

    func runRecord(_ k: Int) -> Value {
        let t = runs[k]
        let f = found(t)
        let exactSet = Set(problem.front)
        return .record(
            Record([
                ("seed", .int(t.seed)), ("trained", .int(t.steps.count)),
                ("hv_ratio", .number(ratioCurves[k].last ?? 0)),
                ("front", .int(f.count)), ("on_exact_front", .int(f.filter { exactSet.contains($0) }.count)),
            ]))
    }

    func historyValue(_ t: SearchTrace) -> Value {
        .list(t.steps.map { s in exact.row(s.arch) })
    }

    var hvRatio: Double {
        let finals = ratioCurves.map { $0.last ?? 0 }
        return finals.reduce(0, +) / Double(max(1, finals.count))
    }

    func display() -> String {
        let finals = ratioCurves.map { $0.last ?? 0 }
        let m = hvRatio
        let sd =
            finals.count > 1
            ? (finals.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finals.count - 1)).squareRoot() : 0
        var objectives = (["accuracy"] + exact.costs.map(\.name)).joined(separator: " × ")
        if searched != exact.costs.map(\.name) {
            objectives += ", searched by " + searched.joined(separator: ", ") + ", scored at measured cost"
        }
        let head = String(
            format: "%@ (%@): %d run%@, hypervolume ratio %.4f ± %.4f after %d models (exact front: %d models)", name,
            objectives,
            runs.count, runs.count == 1 ? "" : "s", m, sd, runs.map(\.steps.count).max() ?? 0, problem.front.count)
        let table = runs.count == 1 ? Table(records: [runRecord(0)]) : Table(records: summaryRows)
        return head + "\n" + (table?.render() ?? "")
    }

    func inlineDisplay() -> String { "pareto search(\(name))" }
    func plainValue() -> Value? {
        .record(
            Record([
                ("name", .string(name)),
                ("objectives", .list([.string("accuracy")] + exact.costs.map { .string($0.name) })),
                ("runs", .list(runs.indices.map(runRecord))), ("summary", .list(summaryRows)),
            ]))
    }

    /// One row per trained model of every run: search, seed, model number, NB201 index, accuracy, each cost by
    /// name, and the hypervolume ratio so far.
    func csvRows() -> [Value]? {
        let index = try? exact.context.benchmark().index()
        return zip(runs, ratioCurves).flatMap { t, hv -> [Value] in
            return t.steps.enumerated().map { i, s in
                let costs = problem.point(s.arch).map { Array($0.dropFirst()) } ?? []
                return .record(
                    Record(
                        [
                            ("search", .string(name)), ("seed", .int(t.seed)), ("model", .int(i + 1)),
                            ("arch", index.map { .int($0.index(of: s.arch)) } ?? .string(s.arch.string)),
                            ("accuracy", problem.accuracy[s.arch].map(Value.number) ?? .nil),
                        ]
                            + zip(exact.costs, costs).map { ($0.name, .number($1 * $0.scale)) }
                            + [("hv_ratio", .number(hv[i]))]))
            }
        }
    }

    func figure() throws -> Figure { try ParetoSearchObject.figure([self]) }

    /// Left: the first run's found front against the exact front; right: hypervolume ratio curves, mean ± std.
    static func figure(_ searches: [ParetoSearchObject]) throws -> Figure {
        guard let first = searches.first else { return Figure(panels: [], columns: 1) }
        let fronts = searches.map { s in (label: "\(s.name) (seed \(s.runs[0].seed))", archs: s.found(s.runs[0])) }
        var panels = try ParetoObject.figure(first.exact, found: fronts, title: "Found fronts against the exact front")
            .panels
        var curve = Figure.Panel(title: "Hypervolume ratio", xlabel: "trained models", ylabel: "hypervolume / exact")
        for s in searches {
            let st = s.curveStats()
            curve.series.append(
                Figure.Series(
                    label: "\(s.name) (\(s.runs.count) runs)", kind: .line, x: st.map { Double($0.k) },
                    y: st.map(\.mean),
                    lower: st.map { $0.mean - $0.std }, upper: st.map { $0.mean + $0.std }))
        }
        if let n = searches.map({ $0.runs.map(\.steps.count).max() ?? 0 }).max() {
            curve.series.append(
                Figure.Series(label: "exact front", kind: .line, x: [1, Double(n)], y: [1, 1], reference: true))
        }
        let late = searches.flatMap { $0.curveStats().dropFirst(9).map { $0.mean - $0.std } }.filter(\.isFinite)
        if let lo = late.min() { curve.yMin = max(0, lo - 0.01) }
        panels.append(curve)
        return Figure(panels: panels, columns: 2)
    }
}

/// `compare(...)` of multi-objective searches: hypervolume ratio (mean ± std) at round budgets.
final class ParetoComparisonObject: HostObject, MemberTable, Plottable {
    let searches: [ParetoSearchObject]
    init(_ s: [ParetoSearchObject]) { searches = s }

    var typeName: String { "pareto comparison" }

    static let members: [Member<ParetoComparisonObject>] = [
        Member("rows", "one row per search: hypervolume ratio (mean ± std) at round budgets and at the final budget") {
            o in .list(o.rows)
        },
        Member("searches", "the searches compared") { o in .list(o.searches.map { .object($0) }) },
    ]

    var budgets: [Int] {
        ComparisonObject.budgets(longest: searches.map { $0.runs.map(\.steps.count).max() ?? 0 }.max() ?? 0)
    }

    var rows: [Value] {
        searches.map { s in
            let st = s.curveStats()
            var fields: [(String, Value)] = [("search", .string(s.name)), ("runs", .int(s.runs.count))]
            for b in budgets {
                fields.append(
                    (
                        "hv@\(b)",
                        b <= st.count ? .string(String(format: "%.4f ± %.4f", st[b - 1].mean, st[b - 1].std)) : .nil
                    ))
            }
            return .record(Record(fields))
        }
    }

    func display() -> String {
        let objectives =
            searches.first.map { (["accuracy"] + $0.exact.costs.map(\.name)).joined(separator: " × ") } ?? ""
        return "hypervolume ratio to the exact front (mean ± std over runs), \(objectives)\n"
            + (Table(records: rows)?.render() ?? "")
    }

    func inlineDisplay() -> String { "pareto comparison" }
    func plainValue() -> Value? { .list(rows) }

    func csvRows() -> [Value]? {
        searches.flatMap { s -> [Value] in
            let st = s.curveStats()
            return budgets.filter { $0 <= st.count }.map { b in
                .record(
                    Record([
                        ("search", .string(s.name)), ("runs", .int(s.runs.count)), ("models", .int(b)),
                        ("hv_ratio_mean", .number(st[b - 1].mean)), ("hv_ratio_std", .number(st[b - 1].std)),
                    ]))
            }
        }
    }

    func figure() throws -> Figure { try ParetoSearchObject.figure(searches) }
}
