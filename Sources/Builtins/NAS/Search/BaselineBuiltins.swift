import Foundation
import Interpreter
import Lang
import NASLib

/// Aging evolution, REINFORCE and random search, on the same problem and budget as `brp`.
enum BaselineBuiltins {
    static func all() -> [BuiltinFunction] { BuiltinFunction.category("Search", [evolve, reinforce, randomSearch]) }

    static let common: [BuiltinParameter] =
        [BuiltinParameter("budget", .int, default: .int(300), "models trained")]
        + SearchBuiltins.limitParams + SearchBuiltins.runParams + AccuracyBuiltins.accuracyParams
        + [
            BuiltinParameter(
                "report", .optional(.string), default: .nil,
                "reported accuracy dataset (test; default: the accuracy dataset)"),
            SearchBuiltins.selectParam, SearchProtocol.param,
            BuiltinParameter(
                "per_seed", .optional(.string), default: .nil,
                "a CSV with columns index,accuracy, one row per training seed: each training draws a random seed's accuracy"
            ),
            BuiltinParameter("name", .optional(.string), default: .nil, "the label in tables and plots"),
            BuiltinParameter(
                "ask", .bool, default: .bool(false),
                "return an ask/tell search (s.ask, s.tell) instead of running with the benchmark"),
            BuiltinParameter(
                "evaluate", .any, default: .nil,
                "instead of the benchmark: run(\"cmd {arch}\") or a function of the arch returning its accuracy"),
            BuiltinParameter(
                "dir", .optional(.string), default: .nil,
                "journal every proposal and result here; the same call resumes"),
        ]

    /// evolve's and random_search's: the multi-objective form.
    static let objectivesParam = MultiObjectiveBuiltins.objectivesParam

    /// evolve's and random_search's search space.
    static let spaceParam = DeclaredSearch.parameter("darts and nb101 need ask: true or evaluate:")

    /// How a space's models appear in the language: the `{arch}` text, the value, and a told-back value parsed.
    struct SpaceForm<Model> {
        let name: String
        /// Whether the space has a benchmark to search without an evaluator (NB201).
        var benchmark = false
        let key: (Model) -> String
        let value: (Model) -> Value
        let parse: (Value) throws -> Model
    }

    static func nb201Form(_ c: BuiltinCall) -> SpaceForm<NB201Arch> {
        let context = NASContext.of(c)
        return SpaceForm(
            name: "nb201", benchmark: true, key: \.string, value: { .object(ArchObject($0, context)) },
            parse: AskTellBuiltins.parseArch)
    }

    static var dartsForm: SpaceForm<DartsGenotype> {
        SpaceForm(
            name: SpaceChoice.darts.name, key: \.description, value: { .string($0.description) },
            parse: { v in
                guard case .string(let s) = v else {
                    throw BuiltinError("a genotype string expected, got \(v.describeForError)", argument: "a")
                }
                return try nas { try DartsGenotype(string: s) }
            })
    }

    /// NB101 models are unpruned specs (what mutation changes); `{arch}` is the pruned cell they stand for.
    static var nb101Form: SpaceForm<NB101Spec> {
        SpaceForm(
            name: SpaceChoice.nb101.name, key: { $0.cell!.description }, value: { .string($0.cell!.description) },
            parse: { _ in throw BuiltinError("NB101 models are told back as the values ask returned", argument: "a") })
    }

    /// The ask/tell or driven form of a baseline call (ask: true, evaluate:, dir:), or nil for a benchmark run.
    static func session<S: AskTellSession>(
        _ c: BuiltinCall, _ method: String, _ form: SpaceForm<S.Model>, budget: Int,
        _ settings: [String: Any], objectives: DriverBuiltins.Objectives<S.Model>? = nil,
        _ make: (Int) -> S
    ) throws -> Value? {
        let asking = try c.bool("ask")
        guard asking || !c.isNil("evaluate") || !c.isNil("dir") else {
            guard form.benchmark else {
                throw c.fail(
                    "evaluate",
                    "the \(form.name) space has no benchmark: give evaluate: run(\"python3 train.py {arch}\"), a function, or ask: true"
                )
            }
            return nil
        }
        guard c.isNil("per_seed") else {
            throw c.fail(
                "per_seed",
                "per-seed accuracies draw benchmark results; with ask:, evaluate: or dir: the results are yours")
        }
        guard c.isNil("limit") || form.benchmark else {
            throw c.fail("limit", "a latency limit applies to the NB201 space")
        }
        guard try c.int("runs", min: 1) == 1 else {
            throw c.fail("runs", "an ask/tell or driven search is one run; sweep the seed for more")
        }
        let seed = try c.seed()
        let session = make(seed)
        var header = settings
        header["method"] = method
        header["space"] = form.name
        header["seed"] = seed
        header["budget"] = budget
        if asking {
            guard c.isNil("evaluate") else {
                throw c.fail("evaluate", "ask: true leaves the evaluations to you (s.tell); evaluate: runs them")
            }
            header["evaluator"] = "ask/tell"
            // NB101's values are cell texts, which do not identify the unpruned spec: told back by identity of text.
            return .object(
                try AskTellObject(
                    session, method: method, budget: budget, header: header, dir: try c.optionalString("dir"),
                    stage: { "" }, key: form.key, value: form.value, parse: form.parse, objectives: objectives))
        }
        guard !c.isNil("evaluate") else { throw c.fail("dir", "dir: journals a search with evaluate: or ask: true") }
        return try DriverBuiltins.drive(
            c, session, header: header, stage: { "" }, key: form.key, value: form.value, objectives: objectives)
    }

    /// An NB201 baseline's ask/tell or driven form: the candidates (after a latency limit) are part of its identity.
    static func nb201Session<S: AskTellSession>(
        _ c: BuiltinCall, _ method: String, _ space: Baselines.Space, budget: Int,
        _ settings: [String: Any], objectives: DriverBuiltins.Objectives<NB201Arch>? = nil,
        _ make: (Int) -> S
    ) throws -> Value? where S.Model == NB201Arch {
        var settings = settings
        settings["candidates"] = SHA256.hex(Data(space.candidates.map { String($0.code) }.joined(separator: ",").utf8))
        return try session(c, method, nb201Form(c), budget: budget, settings, objectives: objectives, make)
    }

    /// evolve / random_search over DARTS or NB101 (no benchmark: ask: true or evaluate:).
    static func otherSpace(
        _ c: BuiltinCall, _ method: String, _ settings: [String: Any],
        evolution: (population: Int, sample: Int, cached: Bool)?
    ) throws -> Value {
        let budget = try c.int("budget", min: 1, max: Limits.budget)
        switch try SpaceChoice.of(c) {
        case .declared(let s):
            return try DeclaredSearch.baseline(c, s, method, settings, evolution: evolution)
        case .darts:
            if let e = evolution {
                return try session(c, method, dartsForm, budget: budget, settings) { seed in
                    EvolutionSession<DartsGenotype>(
                        budget: budget, population: e.population, sample: e.sample, cached: e.cached, seed: seed,
                        draw: { DartsGenotype.random(&$0) }, mutate: { $0.mutated(&$1) },
                        first: { $0.description < $1.description })
                }!
            }
            return try session(c, method, dartsForm, budget: budget, settings) { seed in
                RandomSearchSession<DartsGenotype>(budget: budget, seed: seed) { DartsGenotype.random(&$0) }
            }!
        case .nb101:
            if let e = evolution {
                return try session(c, method, nb101Form, budget: budget, settings) { seed in
                    EvolutionSession<NB101Spec>(
                        budget: budget, population: e.population, sample: e.sample, cached: e.cached, seed: seed,
                        draw: { NB101Spec.random(&$0) }, mutate: { $0.mutated(&$1) },
                        first: { $0.cell!.description < $1.cell!.description })
                }!
            }
            return try session(c, method, nb101Form, budget: budget, settings) { seed in
                RandomSearchSession<NB101Spec>(budget: budget, seed: seed) { NB101Spec.random(&$0) }
            }!
        case .nb201:
            preconditionFailure("NB201 is searched with its benchmark or as an NB201 session")
        }
    }

    /// Whether a baseline call is NB201's multi-objective form (a declared space's objectives go with its own search;
    /// DARTS and NB101 have none).
    static func multiObjectiveOnNB201(_ c: BuiltinCall, _ space: SpaceChoice) throws -> Bool {
        guard !c.isNil("objectives") else { return false }
        switch space {
        case .nb201: return true
        case .declared: return false
        case .darts, .nb101:
            throw c.fail("objectives", "multi-objective searches run over NB201 and declared spaces")
        }
    }

    /// Problem, space, fitness and the runs' seeds of a baseline call.
    static func setup(_ c: BuiltinCall) throws -> (
        SearchProblem, Baselines.Space, Baselines.Fitness, [Int], Int, LatencyModel?
    ) {
        let (signal, _) = try AccuracyBuiltins.signal(c)
        let (problem, model, _) = try SearchBuiltins.problem(c, reportName: c.isNil("report") ? "accuracy" : "report")
        let space = Baselines.Space(try SearchBuiltins.candidates(signal, problem, model))
        guard !space.candidates.isEmpty else { throw c.fail("limit", "no model is predicted under the limit") }
        var perSeed: [Int: [Double]]? = nil
        if let path = try c.optionalString("per_seed") {
            let index = try nas { try NASContext.of(c).benchmark().index() }
            perSeed = try nas { try perSeedTable(path, index, reads: NASContext.of(c).reads) }
        }
        let first = try c.seed()
        let runs = try c.int("runs", min: 1, max: Limits.runs)
        return (
            problem, space, Baselines.Fitness(signal.table, perSeed: perSeed), (0..<runs).map { first + $0 },
            try c.int("budget", min: 1, max: Limits.budget),
            model
        )
    }

    /// `index,accuracy` rows (NB201 index; several rows per model, one per seed) by arch code.
    static func perSeedTable(_ path: String, _ index: NB201Index, reads: ReadRecorder) throws -> [Int: [Double]] {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: full) else { throw NASLibError("cannot read '\(path)'") }
        reads.note(file: full, bytes: Array(data))
        let csv = try CSVTable(text: String(decoding: data, as: UTF8.self), source: path)
        let i = try csv.column("index")
        let a = try csv.column("accuracy")
        var out: [Int: [Double]] = [:]
        for r in 0..<csv.rows.count {
            let idx = Int(try csv.number(r, i))
            out[try index.arch(index: idx).code, default: []].append(try csv.number(r, a))
        }
        return out
    }

    /// Runs (or loads from the cache) one trace per seed with progress; `result` makes the value (by default a
    /// search object over the problem).
    static func finish(
        _ c: BuiltinCall, _ name: String, _ problem: SearchProblem, _ seeds: [Int], _ model: LatencyModel?,
        result: (([SearchTrace]) throws -> Value)? = nil, _ run: (Int) -> SearchTrace
    ) throws -> Value {
        var progress = Progress(c, name, total: seeds.count)
        defer { progress.finish() }
        let traces = try SearchBuiltins.traces(c, problem, model) {
            var traces: [SearchTrace] = []
            for (k, s) in seeds.enumerated() {
                traces.append(run(s))
                try progress.update(k + 1, "")
            }
            return traces
        }
        if let result { return try result(traces) }
        return .object(SearchObject(try c.optionalString("name") ?? name, traces, problem, NASContext.of(c)))
    }

    static let evolve = BuiltinFunction(
        "evolve",
        [
            BuiltinParameter("pool", .int, default: .int(64), "population size"),
            BuiltinParameter("sample", .int, default: .int(16), "tournament size"),
            BuiltinParameter(
                "cached", .bool, default: .bool(false),
                "never train a model twice (by default repeats count, as the paper's AE)"),
        ] + common
            + [spaceParam, objectivesParam],
        doc:
            "Aging (regularized) evolution: tournament of `sample` from the population, mutate one op of the winner, the oldest dies."
    ) { c in
        let c = try SearchProtocol.resolve(c)
        let choice = try SpaceChoice.of(c)
        let isNB201 = choice.hasBenchmark
        if try multiObjectiveOnNB201(c, choice) { return try MultiObjectiveBuiltins.benchmark(c, method: "evolve") }
        // A population larger than the space (NB201 has 15625 models) or than any budget brpsh runs is an error.
        let pool = try c.int("pool", min: 1, max: isNB201 ? NB201Arch.count : Limits.budget)
        let sample = try c.int("sample", min: 1, max: NB201Arch.count)
        let cached = try c.bool("cached")
        if !isNB201 {
            return try otherSpace(
                c, "evolve", ["pool": pool, "sample": sample, "cached": cached], evolution: (pool, sample, cached))
        }
        let (problem, space, fitness, seeds, budget, model) = try setup(c)
        if let s = try nb201Session(
            c, "evolve", space, budget: budget, ["pool": pool, "sample": sample, "cached": cached],
            {
                EvolutionSession(space, budget: budget, population: pool, sample: sample, cached: cached, seed: $0)
            })
        {
            return s
        }
        return try finish(c, cached ? "evolution (cached)" : "evolution", problem, seeds, model) {
            Baselines.evolution(
                space, fitness, problem, budget: budget, population: pool, sample: sample, cached: cached, seed: $0)
        }
    }

    static let reinforce = BuiltinFunction(
        "reinforce",
        [
            BuiltinParameter("lr", .number, default: .number(0.001), "Adam learning rate of the controller"),
            BuiltinParameter("hidden", .int, default: .int(32), "LSTM units"),
            BuiltinParameter(
                "baseline_decay", .number, default: .number(0.9), "moving-average baseline: b ← d·b + (1−d)·R"),
        ] + common,
        doc: "REINFORCE with a single-cell LSTM controller emitting the 6 ops and a moving-average reward baseline."
    ) { c in
        let c = try SearchProtocol.resolve(c)
        let (problem, space, fitness, seeds, budget, model) = try setup(c)
        let lr = try c.double("lr")
        let hidden = try c.int("hidden", min: 1, max: 1024)
        let decay = try c.double("baseline_decay")
        if let s = try nb201Session(
            c, "reinforce", space, budget: budget, ["lr": lr, "hidden": hidden, "baseline_decay": decay],
            {
                ReinforceSession(
                    space, budget: budget, learningRate: lr, hidden: hidden, baselineDecay: decay, seed: $0)
            })
        {
            return s
        }
        return try finish(c, "reinforce", problem, seeds, model) {
            Baselines.reinforce(
                space, fitness, problem, budget: budget, learningRate: lr, hidden: hidden, baselineDecay: decay,
                seed: $0)
        }
    }

    static let randomSearch = BuiltinFunction(
        "random_search", common + [spaceParam, objectivesParam],
        doc: "Random search: 6 uniform choices of 5 ops per model."
    ) { c in
        let c = try SearchProtocol.resolve(c)
        let choice = try SpaceChoice.of(c)
        if try multiObjectiveOnNB201(c, choice) { return try MultiObjectiveBuiltins.benchmark(c, method: "random") }
        if !choice.hasBenchmark { return try otherSpace(c, "random", [:], evolution: nil) }
        let (problem, space, fitness, seeds, budget, model) = try setup(c)
        if let s = try nb201Session(
            c, "random", space, budget: budget, [:], { RandomSearchSession(space, budget: budget, seed: $0) })
        {
            return s
        }
        return try finish(c, "random", problem, seeds, model) {
            Baselines.random(space, fitness, problem, budget: budget, seed: $0)
        }
    }
}
