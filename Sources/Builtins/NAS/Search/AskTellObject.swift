import Figures
import Foundation
import Infra
import Interpreter
import Lang
import NASLib

/// `search("brp", ...)`: BRP-NAS step by step in the language. `s.ask(n)` proposes models, `s.tell(a, accuracy)`
/// records one (`s.fail(a)` a failed evaluation), `s.best`, `s.history`, `s.finished`, `plot(s)`. With `dir:` every
/// proposal and answer is journaled, and the same `search(...)` call later resumes where it stopped.
enum AskTellBuiltins {
    static let dropped: Set<String> = [
        "evaluate", "runs", "name", "select", "report", "limit", "latency", "predictor", "init",
    ]

    static let search = BuiltinFunction(
        "search",
        [BuiltinParameter("method", .string, "brp (BRP-NAS)")]
            + SearchBuiltins.brp.parameters.filter { !dropped.contains($0.name) && $0.name != "dir" }
            + [
                BuiltinParameter(
                    "dir", .optional(.string), default: .nil,
                    "journal every proposal and answer here; the same call resumes")
            ],
        doc:
            "An ask/tell search: s.ask(n) proposes models, s.tell(a, accuracy) records results; s.best, s.history, plot(s). On nb201 telling the benchmark's accuracies reproduces brp(...) exactly.",
        category: "Search"
    ) { c in
        let method = try c.string("method")
        guard method == "brp" else {
            throw c.fail(
                "method",
                "search(...) makes BRP-NAS sessions; for the baselines use evolve(..., ask: true), reinforce(..., ask: true) or random_search(..., ask: true) (got \"\(method)\")"
            )
        }
        var (o, spec, _) = try SearchBuiltins.brpOptions(c)
        let space = try SpaceChoice.of(c, searches: "nb201 and darts")
        let seed = try c.seed()
        let dir = try c.optionalString("dir")
        spec.config.features = space.features
        var header: [String: Any] = [
            "method": method, "space": space.name, "seed": seed, "K": o.K, "M": o.M, "alpha": o.alpha,
            "iterations": o.iterations, "epochs": o.epochs, "batch": o.batch, "evaluator": "ask/tell",
            "predictor": try ExactJSON.object(with: JSONEncoder().encode(spec)),
        ]
        switch space {
        case .declared(let s):
            return try DeclaredSearch.brp(c, s, o, spec, header: header, seed: seed, ask: true)
        case .nb201:
            let (signal, _) = try AccuracyBuiltins.signal(c)
            let (dataset, _) = try datasetAndSplit(c, datasetName: "accuracy")
            let report = try nas { try NASContext.of(c).benchmark().accuracy(dataset, .test) }
            var candidates = signal.models.filter { report[$0] != nil }
            header["accuracy"] = "\(try c.string("accuracy")) \(try c.string("split"))"
            var objectives: DriverBuiltins.Objectives<NB201Arch>? = nil
            var reorder: (([NB201Arch]) -> [NB201Arch])? = nil
            if !c.isNil("objectives") {
                // Multi-objective BRP-NAS: the candidates' costs come from tables or predictors (docs/search.md).
                let s = try MultiObjectiveBuiltins.setup(c, pool: candidates, report: nil, metrics: false)
                guard s.candidates.count >= o.M else {
                    throw c.fail("M", "only \(s.candidates.count) models have every cost, fewer than M = \(o.M)")
                }
                candidates = s.candidates
                header["objectives"] = ["accuracy"] + s.costs.map(\.name)
                objectives = s.objectives
                reorder = s.paretoOrder
            }
            let context = NASContext.of(c)
            let ranker = SessionRanker<NB201Arch>(PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1)))
            let session = try nas {
                try BRPNASSession(
                    options: o, ranker: ranker, base: spec.options, candidates: candidates, seed: seed,
                    normalizeBy: (signal.low, signal.high), reorder: reorder)
            }
            return .object(
                try AskTellObject(
                    session, method: "brp", budget: o.M, header: header, dir: dir, stage: { session.stage },
                    key: \.string,
                    value: { .object(ArchObject($0, context)) }, parse: parseArch, objectives: objectives))
        case .darts:
            guard c.isNil("objectives") else {
                throw c.fail("objectives", "multi-objective searches run over the NB201 space")
            }
            let pool = try c.int("pool", min: o.M, max: 1_000_000)
            header["pool"] = pool
            let candidates = try DriverBuiltins.dartsPool(pool, seed: seed, c)
            let ranker = SessionRanker<DartsGenotype>(PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1)))
            let session = try nas {
                try BRPNASSession(
                    options: o, ranker: ranker, base: spec.options, candidates: candidates, seed: seed, normalizeBy: nil
                )
            }
            let form = BaselineBuiltins.dartsForm
            return .object(
                try AskTellObject(
                    session, method: "brp", budget: o.M, header: header, dir: dir, stage: { session.stage },
                    key: form.key, value: form.value, parse: form.parse))
        case .nb101:
            throw c.fail(
                "space",
                "search(\"brp\") searches nb201, darts and declared spaces; for nb101 use brp(space: \"nb101\", evaluate: ...)"
            )
        }
    }
}

extension AskTellBuiltins {
    /// An NB201 model told back: an arch object, or its string.
    static func parseArch(_ v: Value) throws -> NB201Arch {
        switch v {
        case .object(let a as ArchObject): return a.arch
        case .string(let s): return try nas { try NB201Arch(string: s) }
        default: throw BuiltinError("an arch expected, got \(v.describeForError)", argument: "a")
        }
    }
}

/// A BRP-NAS session in the language, type-erased over the space.
final class AskTellObject: HostObject, MemberTable, Plottable {
    let ask: (Int) throws -> [Value]
    let answer: (Value, Double?, [String: Double]) throws -> Void
    let state: () -> (history: [(Value, String, Double?)], finished: Bool, stage: String)
    /// A multi-objective session's front so far (nil for single-objective sessions).
    let front: (() throws -> [Value])?
    let method: String
    let budget: Int

    init<S: AskTellSession>(
        _ session: S, method: String, budget: Int, header: [String: Any], dir: String?, stage: @escaping () -> String,
        key: @escaping (S.Model) -> String, value: @escaping (S.Model) -> Value,
        parse: @escaping (Value) throws -> S.Model, objectives: DriverBuiltins.Objectives<S.Model>? = nil
    ) throws {
        typealias Model = S.Model
        self.method = method
        self.budget = budget
        let journal = try dir.map { d in try nas { try SearchJournal(directory: d, header: header) } }
        /// Asked and not yet told, in proposal order (after a resume: what the journal has no answer for).
        var pending: [Model] = []
        /// Asked and not yet told, by text, with how many times (random search may propose a model twice at once).
        var outstanding: [String: (model: Model, count: Int)] = [:]
        func take(_ n: Int) throws -> [Model] {
            var out = Array(pending.prefix(n))
            pending.removeFirst(out.count)
            if out.count < n {
                let fresh = session.ask(n - out.count)
                try nas { try journal?.proposed(fresh.map(key)) }
                out += fresh
            }
            for m in out { outstanding[key(m), default: (m, 0)].count += 1 }
            return out
        }
        /// Every answer, in the order told (what a multi-objective session's front is taken over).
        var told: [(model: Model, outcome: SearchJournal.Outcome)] = []
        func tell(_ m: Model, _ outcome: SearchJournal.Outcome, record: Bool) throws {
            try nas {
                try session.tell(m, outcome: outcome)
                if record { try journal?.finished(key(m), outcome) }
            }
            told.append((m, outcome))
            if let o = outstanding[key(m)] { outstanding[key(m)] = o.count > 1 ? (o.model, o.count - 1) : nil }
        }
        // Resume: replay the journal's answers, in proposal order, until a model has none.
        if let j = journal {
            replay: while !session.finished {
                let batch = try take(Int.max)
                guard !batch.isEmpty else { break }
                var unanswered: [Model] = []
                for m in batch {
                    if let o = j.outcome(key(m)), unanswered.isEmpty {
                        try tell(m, o, record: false)
                    } else {
                        unanswered.append(m)
                    }
                }
                if !unanswered.isEmpty {
                    // Answers recorded after an unanswered model of the same batch are told too (any order is fine).
                    pending = unanswered.filter { j.outcome(key($0)) == nil }
                    for m in unanswered where j.outcome(key(m)) != nil {
                        try tell(m, j.outcome(key(m))!, record: false)
                    }
                    break replay
                }
            }
        }
        ask = { n in try take(n).map(value) }
        answer = { v, accuracy, metrics in
            // A model told back as the very text ask gave (a genotype, an NB101 cell), else parsed.
            let m: Model
            if case .string(let text) = v, let asked = outstanding[text] { m = asked.model } else { m = try parse(v) }
            guard outstanding[key(m)] != nil else {
                throw BuiltinError(
                    session.history.contains { $0.arch == m }
                        ? "\(key(m)) was told already" : "\(key(m)) was not asked for (s.ask(n) proposes models)")
            }
            if let a = accuracy, !a.isFinite {
                throw BuiltinError("the accuracy must be a finite number", argument: "accuracy")
            }
            try tell(
                m,
                SearchJournal.Outcome(
                    accuracy: accuracy, metrics: metrics, error: accuracy == nil ? "told as failed" : nil), record: true
            )
        }
        state = { (session.history.map { (value($0.arch), key($0.arch), $0.accuracy) }, session.finished, stage()) }
        front = objectives.map { o in
            {
                var seen = Set<String>()
                let ok = told.filter { $0.outcome.accuracy != nil && seen.insert(key($0.model)).inserted }
                let costs = try ok.map { t in try nas { try o.costs(t.model, t.outcome) } }
                let points = zip(ok, costs).map { [-$0.outcome.accuracy!] + $1 }
                return Pareto.front(points).sorted { (costs[$0][0], $0) < (costs[$1][0], $1) }.map { i in
                    .record(
                        Record(
                            [
                                ("arch", value(ok[i].model)), ("accuracy", .number(ok[i].outcome.accuracy!)),
                                ("cost", .number(costs[i][0])),
                            ]
                                + zip(o.names, costs[i]).map { ($0, .number($1)) }))
                }
            }
        }
    }

    var typeName: String { "search session" }

    static let members: [Member<AskTellObject>] = [
        Member("ask", "s.ask(n): the next n models to evaluate") { o in
            return .builtin(
                BuiltinFunction(
                    "ask", [BuiltinParameter("n", .int, default: .int(1), "how many models at most")],
                    doc: "Up to n models to evaluate (fewer, or none, while the iteration waits for results)."
                ) { c in
                    .list(try o.ask(try c.int("n", min: 0, max: 1_000_000)))
                })
        },
        Member("tell", "s.tell(a, accuracy): an evaluated model's accuracy") { o in
            return .builtin(
                BuiltinFunction(
                    "tell",
                    [
                        BuiltinParameter("a", .any, "a model from ask"), BuiltinParameter("accuracy", .number),
                        BuiltinParameter(
                            "metrics", .optional(.record), default: .nil,
                            "other numbers measured, e.g. {latency_ms: 3.2} (a multi-objective search's costs)"),
                    ],
                    doc: "Records a model's accuracy (%) and any other metrics."
                ) { c in
                    var metrics: [String: Double] = [:]
                    if case .record(let r) = c["metrics"] {
                        for (k, v) in zip(r.keys, r.values) {
                            guard let d = v.asDouble, d.isFinite else {
                                throw c.fail("metrics", "\(k): a finite number expected, got \(v.describeForError)")
                            }
                            metrics[k] = d
                        }
                    }
                    try o.answer(c["a"], try c.double("accuracy"), metrics)
                    return .nil
                })
        },
        Member("fail", "s.fail(a): a model whose evaluation failed for good") { o in
            return .builtin(
                BuiltinFunction(
                    "fail", [BuiltinParameter("a", .any, "a model from ask")],
                    doc:
                        "Records that a model's evaluation failed (it uses budget, the predictor does not train on it)."
                ) { c in
                    try o.answer(c["a"], nil, [:])
                    return .nil
                })
        },
        Member("best", "the best model told so far and its accuracy") { o in
            let told = o.state().history.filter { $0.2 != nil }
            guard let b = told.max(by: { $0.2! < $1.2! }) else { return .nil }
            let first = told.first { $0.2 == b.2 }!
            return .record(Record([("arch", first.0), ("accuracy", .number(first.2!))]))
        },
        Member("history", "every model told, in order, with its accuracy") { o in
            return .list(
                o.state().history.map { h in
                    .record(Record([("arch", h.0), ("accuracy", h.2.map(Value.number) ?? .nil)]))
                })
        },
        Member("finished", "whether the budget is used") { o in .bool(o.state().finished) },
        Member("stage", "where the search is (BRP-NAS's iteration)") { o in .string(o.state().stage) },
        Member("curve", "the best accuracy after each told model") { o in
            .list(o.curve().map { $0.isFinite ? .number($0) : .nil })
        },
        Member("front", "multi-objective: the non-dominated models told so far, with their costs") { o in
            try o.front.map { .list(try $0()) } ?? .nil
        },
    ]

    /// The best accuracy after each answered model.
    func curve() -> [Double] {
        var best = -Double.infinity
        return state().history.map { h in
            if let a = h.2 { best = max(best, a) }
            return best
        }
    }

    func display() -> String {
        let s = state()
        let told = s.history.compactMap(\.2)
        let best = told.max().map { String(format: "%.2f", $0) } ?? "-"
        return
            "search(\(method): \(s.history.count)/\(budget) answered\(s.stage.isEmpty ? "" : ", " + s.stage)\(s.finished ? ", finished" : ""), best \(best))"
    }

    func inlineDisplay() -> String { "<search>" }

    func figure() throws -> Figure {
        let c = curve()
        let xs = c.indices.filter { c[$0].isFinite }
        var panel = Figure.Panel(title: "Best accuracy found", xlabel: "evaluated models", ylabel: "best accuracy (%)")
        panel.series.append(
            Figure.Series(label: method, kind: .line, x: xs.map { Double($0 + 1) }, y: xs.map { c[$0] }))
        return Figure(panels: [panel], columns: 1)
    }
}
