import Foundation
import Infra
import Interpreter
import Lang
import NASLib

/// BRP-NAS as a NAS driver (docs/search.md, "Searches with real evaluations"): `brp(space:, evaluate:, dir:)`
/// over NB201 or DARTS with an external command or a brpsh function as evaluator, journaled and resumable.
enum DriverBuiltins {
    static func all() -> [BuiltinFunction] { BuiltinFunction.category("Search", [run, AskTellBuiltins.search]) }

    static let run = BuiltinFunction(
        "run",
        [
            BuiltinParameter(
                "command", .string,
                "shell command per model: {arch} is the model (quoted), {dir} its directory, {id} its number"),
            BuiltinParameter(
                "timeout", .optional(.quantity(.time)), default: .nil,
                "a longer attempt is killed (on Slurm: the job's --time)"),
            BuiltinParameter("retries", .int, default: .int(0), "more attempts after a failed one"),
            BuiltinParameter(
                "parallel", .int, default: .int(1), "evaluations at a time (processes here, or jobs in the Slurm queue)"
            ),
            BuiltinParameter("slurm", .bool, default: .bool(false), "each attempt is a Slurm job (sbatch --wait)"),
            BuiltinParameter(
                "sbatch", .list, default: .list([]),
                "extra sbatch options, e.g. [\"--partition=gpu\", \"--gres=gpu:1\"]"),
            BuiltinParameter(
                "max_processes", .optional(.int), default: .nil,
                "limit on processes per evaluation (RLIMIT_NPROC; binds users other than root)"),
        ],
        doc:
            "An external evaluator for brp(evaluate:): the last JSON line of the command's output gives the accuracy ({\"accuracy\": 94.1, ...})."
    ) { c in
        let template = try c.string("command")
        guard template.contains("{arch}") else {
            throw c.fail("command", "the command must contain {arch}, where the model goes")
        }
        var e = EvaluationCommand(template)
        if !c.isNil("timeout") {
            let t = try c.quantity("timeout", .time).base
            guard t > 0 && t.isFinite else { throw c.fail("timeout", "must be positive") }
            e.timeout = t
        }
        e.retries = try c.int("retries", min: 0, max: 100)
        e.parallel = try c.int("parallel", min: 1, max: 4096)
        e.maxProcesses = try c.optionalInt("max_processes")
        if let n = e.maxProcesses, n < 1 || n > 1_000_000 {
            throw c.fail("max_processes", "must be between 1 and 1000000, got \(n)")
        }
        if try c.bool("slurm") {
            let options = try c.list("sbatch").map { v -> String in
                guard case .string(let s) = v, s.hasPrefix("-") else {
                    throw c.fail("sbatch", "options are strings like \"--partition=gpu\"")
                }
                return s
            }
            e.backend = .slurm(options: options)
        } else if !(try c.list("sbatch")).isEmpty {
            throw c.fail("sbatch", "sbatch options need slurm: true")
        }
        return .object(EvaluatorObject(e))
    }

    /// A multi-objective search's costs, for its result: their names and each evaluated model's values as shown.
    struct Objectives<Model> {
        let names: [String]
        let costs: (Model, SearchJournal.Outcome) throws -> [Double]
    }

    /// The brp(...) call with `evaluate:` or a space other than NB201's benchmark.
    static func search(_ c: BuiltinCall, _ o: BRPNAS.Options, _ spec: PairPredictor.Spec, kind: String) throws -> Value
    {
        let space = try SpaceChoice.of(c)
        guard kind == "brp" else {
            throw c.fail("predictor", "searches with evaluate: use the binary relation predictor (predictor: \"brp\")")
        }
        if !c.isNil("objectives") { try MultiObjectiveBuiltins.noLimit(c) }
        guard c.isNil("limit") else {
            throw c.fail("limit", "a latency limit applies to NB201 benchmark searches (without evaluate:)")
        }
        guard !c.isNil("evaluate") else {
            throw c.fail(
                "evaluate",
                "the \(space.name) space has no benchmark here: give evaluate: run(\"python3 train.py {arch}\"), a function\(space.name == "nb101" ? ", or an NB101 results file (\"results.jsonl\")" : "")"
            )
        }
        let seed = try c.seed()
        var spec = spec
        spec.config.features = space.features
        switch space {
        case .declared(let s):
            let header: [String: Any] = [
                "method": "brp", "seed": seed, "K": o.K, "M": o.M, "alpha": o.alpha, "iterations": o.iterations,
                "epochs": o.epochs, "batch": o.batch,
            ]
            return try DeclaredSearch.brp(c, s, o, spec, header: header, seed: seed, ask: false)
        case .darts, .nb101:
            guard c.isNil("objectives") else {
                throw c.fail("objectives", "multi-objective searches run over NB201 and declared spaces")
            }
        case .nb201: break
        }
        var header: [String: Any] = [
            "method": "brp", "space": space.name, "seed": seed, "K": o.K, "M": o.M, "alpha": o.alpha,
            "iterations": o.iterations, "epochs": o.epochs, "batch": o.batch,
            "predictor": try ExactJSON.object(with: JSONEncoder().encode(spec)),
        ]
        if case .darts = space {
            let pool = try c.int("pool", min: o.M, max: 1_000_000)
            header["pool"] = pool
            let candidates = try dartsPool(pool, seed: seed, c)
            let ranker = SessionRanker<DartsGenotype>(PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1)))
            let session = try nas {
                try BRPNASSession(
                    options: o, ranker: ranker, base: spec.options, candidates: candidates, seed: seed, normalizeBy: nil
                )
            }
            return try drive(
                c, session, header: header, stage: { session.stage }, key: \.description,
                value: { .string($0.description) })
        }
        if case .nb101 = space { return try nb101(c, o, spec, header: header, seed: seed) }
        var candidates = NB201Arch.all
        var objectives: Objectives<NB201Arch>? = nil
        var reorder: (([NB201Arch]) -> [NB201Arch])? = nil
        if !c.isNil("objectives") {
            let s = try MultiObjectiveBuiltins.setup(c, pool: NB201Arch.all, report: nil, metrics: false)
            guard s.costsKnown else {
                throw c.fail(
                    "objectives", "BRP-NAS orders candidates by cost before evaluating them: give devices or predictors"
                )
            }
            guard s.candidates.count >= o.M else {
                throw c.fail("M", "only \(s.candidates.count) models have every cost, fewer than M = \(o.M)")
            }
            candidates = s.candidates
            header["objectives"] = ["accuracy"] + s.costs.map(\.name)
            objectives = s.objectives
            reorder = s.paretoOrder
        }
        let ranker = SessionRanker<NB201Arch>(PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1)))
        let session = try nas {
            try BRPNASSession(
                options: o, ranker: ranker, base: spec.options, candidates: candidates, seed: seed, normalizeBy: nil,
                reorder: reorder)
        }
        let context = NASContext.of(c)
        return try drive(
            c, session, header: header, stage: { session.stage }, key: \.string,
            value: { .object(ArchObject($0, context)) },
            objectives: objectives)
    }

    /// BRP-NAS over NAS-Bench-101 cells: a pool of random valid cells (NAS-Bench-101's random_spec, pruned, distinct)
    /// with an evaluator, or the cells of a user's NB101 results file with their `accuracy` looked up.
    static func nb101(
        _ c: BuiltinCall, _ o: BRPNAS.Options, _ spec: PairPredictor.Spec, header: [String: Any], seed: Int
    ) throws -> Value {
        var header = header
        var candidates: [NB101Cell] = []
        var lookup: [NB101Cell: Double]? = nil
        if case .string(let path) = c["evaluate"] {
            let data = try nas { try NB101Dataset.load(path: path) }
            var table: [NB101Cell: Double] = [:]
            for m in data.models {
                guard let a = m.metrics["accuracy"], a.isFinite else {
                    throw c.fail(
                        "evaluate",
                        "\(path):\(m.line): no numeric \"accuracy\" in \"metrics\" (the value the search looks up)")
                }
                if table[m.cell] == nil { candidates.append(m.cell) }
                table[m.cell] = table[m.cell] ?? a  // a cell listed twice: its first line counts
            }
            lookup = table
            header["evaluator"] = "file sha256 " + (try nas { try SHA256.file(path) })
        } else {
            let pool = try c.int("pool", min: o.M, max: 1_000_000)
            header["pool"] = pool
            // random specs are valid
            candidates = try distinctPool(pool, seed: seed, c) { NB101Spec.random(&$0).cell! }
        }
        // Normalised like a benchmark by the file's range when there is one, else by the accuracies told.
        let range = lookup.map { t in (t.values.min()!, t.values.max()!) }
        let ranker = SessionRanker<NB101Cell>(PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1)))
        let session = try nas {
            try BRPNASSession(
                options: o, ranker: ranker, base: spec.options, candidates: candidates, seed: seed, normalizeBy: range)
        }
        return try drive(
            c, session, header: header, stage: { session.stage }, key: \.description,
            value: { .string($0.description) },
            lookup: lookup.map { t in { t[$0] } })
    }

    /// Runs a session to the end with the call's `evaluate:` (and journal in `dir:`); the result record.
    static func drive<S: AskTellSession>(
        _ c: BuiltinCall, _ session: S, header: [String: Any], stage: @escaping () -> String,
        key: @escaping (S.Model) -> String, value: @escaping (S.Model) -> Value,
        lookup: ((S.Model) -> Double?)? = nil, objectives: Objectives<S.Model>? = nil
    ) throws -> Value {
        guard try c.int("runs", min: 1) == 1 else {
            throw c.fail("runs", "a search with evaluate: is one run; sweep the seed for more")
        }
        let dir = try c.optionalString("dir")
        var header = header
        var command: EvaluationCommand? = nil
        switch c["evaluate"] {
        case .string where lookup != nil: break  // a results file: header["evaluator"] names it
        case .object(let e as EvaluatorObject):
            command = e.command
            header["evaluator"] = e.command.identity
        case .function(let f):
            // A function's results are journaled too; its identity is its source text (what it captures is not part
            // of it: change a captured value and you should change dir: too, docs/search.md).
            header["evaluator"] = "function " + f.declaration.range.text
        case .builtin(let b):
            header["evaluator"] = "builtin " + b.name
        case let v:
            throw c.fail("evaluate", "run(\"command {arch}\") or a function expected, got \(v.describeForError)")
        }
        let journal = try dir.map { d in try nas { try SearchJournal(directory: d, header: header) } }
        if let j = journal, !j.outcomes.isEmpty, !RunContext.of(c.interpreter).quiet {
            c.output.warn("(resuming: \(j.outcomes.count) results from \(j.path) are answered from the journal)\n")
        }
        let total = session.history.count + (header["M"] as? Int ?? header["budget"] as? Int ?? 0)
        var progress = Progress(c, header["method"] as? String ?? "search", total: total)
        defer { progress.finish() }
        let driver = SearchDriver(
            session: session, key: key, journal: journal, parallel: command?.parallel ?? 1, stage: stage)
        let evalRoot =
            dir.map { ($0 as NSString).appendingPathComponent("evals") } ?? NSTemporaryDirectory()
            + "brpsh-evals-\(getpid())"
        let steps = try nas {
            try driver.run(
                inline: command == nil,
                evaluate: { model, id, cancelled in
                    if let cmd = command {
                        return cmd.evaluate(
                            model: key(model), dir: (evalRoot as NSString).appendingPathComponent(String(id)), id: id,
                            cancelled: cancelled)
                    }
                    let start = Date()
                    if let l = lookup {
                        guard let a = l(model) else { throw NASLibError("no accuracy for \(key(model))") }
                        return SearchJournal.Outcome(accuracy: a)
                    }
                    let v = try c.call(c["evaluate"], [value(model)])
                    guard let a = v.asDouble, a.isFinite else {
                        throw BuiltinError(
                            "the evaluate function returned \(v.describeForError) for \(key(model)), a number expected",
                            argument: "evaluate")
                    }
                    return SearchJournal.Outcome(accuracy: a, seconds: Date().timeIntervalSince(start))
                }, wait: { done, detail in try progress.update(done, detail) })
        }
        let label = (header["method"] as? String ?? "search") + ((header["space"] as? String).map { " (\($0))" } ?? "")
        guard case .record(var r) = result(steps, value: value, key: key, dir: journal?.directory) else { return .nil }
        if let o = objectives { r = try front(r, steps, o, value: value, key: key) }
        return .object(DrivenSearchObject(r, name: label))
    }

    /// A multi-objective result: each history row gains the model's costs by name, and `front` lists the
    /// non-dominated evaluated models (accuracy maximised, costs minimised; each model once, by its first
    /// evaluation), by the first cost.
    static func front<Model>(
        _ r: Record, _ steps: [SearchStep<Model>], _ o: Objectives<Model>, value: (Model) -> Value,
        key: (Model) -> String
    ) throws -> Record {
        var costs: [[Double]?] = []
        for s in steps { costs.append(s.outcome.accuracy == nil ? nil : try nas { try o.costs(s.model, s.outcome) }) }
        var fields = Array(zip(r.keys, r.values))
        if let i = fields.firstIndex(where: { $0.0 == "history" }), case .list(let rows) = fields[i].1 {
            fields[i].1 = .list(
                zip(rows, costs).map { row, cs in
                    guard case .record(let h) = row, let cs else { return row }
                    let extra = zip(o.names, cs).filter { h[$0.0] == nil }.map { ($0.0, Value.number($0.1)) }
                    return .record(Record(Array(zip(h.keys, h.values)) + extra))
                })
        }
        var seen = Set<String>()
        let candidates = steps.indices.filter { costs[$0] != nil && seen.insert(key(steps[$0].model)).inserted }
        let points = candidates.map { [-steps[$0].outcome.accuracy!] + costs[$0]! }
        let onFront = Pareto.front(points).map { candidates[$0] }.sorted { (costs[$0]![0], $0) < (costs[$1]![0], $1) }
        fields.append(
            (
                "front",
                .list(
                    onFront.map { i in
                        .record(
                            Record(
                                [
                                    ("id", .int(steps[i].id)), ("arch", value(steps[i].model)),
                                    ("accuracy", .number(steps[i].outcome.accuracy!)),
                                    ("cost", .number(costs[i]![0])),
                                ] + zip(o.names, costs[i]!).map { ($0, .number($1)) }))
                    })
            ))
        fields.append(("objectives", .list([.string("accuracy")] + o.names.map(Value.string))))
        return Record(fields)
    }

    /// `pool` distinct random DARTS genotypes drawn from the seed (the candidates BRP-NAS ranks).
    static func dartsPool(_ pool: Int, seed: Int, _ c: BuiltinCall) throws -> [DartsGenotype] {
        try distinctPool(pool, seed: seed, c) { DartsGenotype.random(&$0) }
    }

    /// `pool` distinct models drawn in order from the seed's stream 1 (the candidates BRP-NAS ranks in a space with
    /// no benchmark).
    static func distinctPool<M: Hashable>(_ pool: Int, seed: Int, _ c: BuiltinCall, draw: (inout SeededRandom) -> M?)
        throws -> [M]
    {
        var rng = SeededRandom(seed: seed).derived(1)
        var seen = Set<M>()
        var candidates: [M] = []
        var draws = 0
        while candidates.count < pool {
            let m = draw(&rng)
            draws += 1
            if let m, seen.insert(m).inserted { candidates.append(m) }
            guard draws < 100 * pool else { throw c.fail("pool", "could not draw \(pool) distinct models") }
        }
        return candidates
    }

    /// The search's result: best accuracy and model, every evaluation in proposal order.
    static func result<Model>(
        _ steps: [SearchStep<Model>], value: (Model) -> Value, key: (Model) -> String, dir: String?
    ) -> Value {
        let ok = steps.filter { $0.outcome.accuracy != nil }
        let best = ok.max { a, b in
            a.outcome.accuracy! < b.outcome.accuracy! || (a.outcome.accuracy! == b.outcome.accuracy! && a.id > b.id)
        }
        let history = steps.map { s -> Value in
            var r: [(String, Value)] = [
                ("id", .int(s.id)), ("arch", .string(key(s.model))),
                ("accuracy", s.outcome.accuracy.map(Value.number) ?? .nil),
                ("status", .string(s.outcome.accuracy == nil ? "failed" : s.source.rawValue)),
                ("seconds", .number(s.outcome.seconds)), ("attempts", .int(s.outcome.attempts)),
            ]
            if let e = s.outcome.error { r.append(("error", .string(e))) }
            for k in s.outcome.metrics.keys.sorted() { r.append((k, .number(s.outcome.metrics[k]!))) }
            return .record(Record(r))
        }
        var curve: [Value] = []
        var running = -Double.infinity
        for s in steps {
            if let a = s.outcome.accuracy { running = max(running, a) }
            curve.append(running.isFinite ? .number(running) : .nil)
        }
        return .record(
            Record([
                ("best", best.map { .number($0.outcome.accuracy!) } ?? .nil),
                ("best_arch", best.map { value($0.model) } ?? .nil),
                ("evaluated", .int(steps.count)),
                ("failed", .int(steps.count - ok.count)),
                ("from_journal", .int(steps.filter(\.resumed).count)),
                ("repeats", .int(steps.filter { $0.source == .repeated }.count)),
                ("curve", .list(curve)),
                ("history", .list(history)),
                ("dir", dir.map(Value.string) ?? .nil),
            ]))
    }
}

/// `run("python3 train.py {arch}")`: an evaluator for searches.
final class EvaluatorObject: HostObject, MemberTable {
    let command: EvaluationCommand
    init(_ command: EvaluationCommand) { self.command = command }
    var typeName: String { "evaluator" }

    static let members: [Member<EvaluatorObject>] = [
        Member("command", "the command line per model") { o in .string(o.command.template) },
        Member("timeout", "the time an attempt may take") { o in
            o.command.timeout.map { .quantity(Quantity.seconds($0, display: .s)) } ?? .nil
        },
        Member("retries", "attempts after a failed one") { o in .int(o.command.retries) },
        Member("parallel", "evaluations at a time") { o in .int(o.command.parallel) },
        Member("slurm", "whether each attempt is a Slurm job") { o in .bool(o.command.backend != .local) },
    ]
    func display() -> String {
        var parts = ["run(\"\(command.template)\""]
        if let t = command.timeout { parts.append("timeout: \(t) s") }
        if command.retries > 0 { parts.append("retries: \(command.retries)") }
        if command.parallel > 1 { parts.append("parallel: \(command.parallel)") }
        if case .slurm(let o) = command.backend { parts.append("slurm: true" + (o.isEmpty ? "" : ", sbatch: \(o)")) }
        return parts.joined(separator: ", ") + ")"
    }
}
