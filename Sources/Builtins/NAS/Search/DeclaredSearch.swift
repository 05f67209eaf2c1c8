import Foundation
import Infra
import Interpreter
import NASLib

/// Searches over a declared space (docs/spaces.md): evolve, random_search and brp with `evaluate:` (a function,
/// `run(...)`, Slurm) or `ask: true`, journaled in `dir:` like every other driven search.
enum DeclaredSearch {
    static let declared = "declared space"

    /// The `space:` parameter of the searches.
    static func parameter(_ builtins: String) -> BuiltinParameter {
        BuiltinParameter(
            "space", .oneOf([.string, .object("space"), .object("declared space")]), default: .string("nb201"),
            "nb201, darts or nb101 (\(builtins)), or a space declared with space(...)")
    }

    /// How a declared space's models appear in the language (named by its label; the declaration itself goes into
    /// the journal's header as `declaration`); the constraint's first error surfaces when a model is told back.
    static func form(_ s: DeclaredSpaceObject) -> BaselineBuiltins.SpaceForm<DeclaredArch> {
        BaselineBuiltins.SpaceForm(
            name: s.label, key: \.description, value: s.value,
            parse: { v in
                try s.checkConstraint()
                return try s.model(v, "a")
            })
    }

    /// The costs of a multi-objective search over a declared space (`objectives: ["accuracy", cost, ...]`): a metric
    /// of the evaluator's JSON line by name (known once a model is evaluated), or a function of the model (known
    /// before; what BRP-NAS's candidate order needs).
    struct Costs {
        let names: [String]
        /// What identifies each cost in a journal's header: the metric's name or the function's source.
        let identity: [String]
        let functions: [Value?]
        let space: DeclaredSpaceObject
        let call: (Value, [Value]) throws -> Value

        var knownBefore: Bool { functions.allSatisfy { $0 != nil } }

        func computed(_ f: Value, _ a: DeclaredArch, _ name: String) throws -> Double {
            let v = try call(f, [space.value(a)])
            guard let x = v.asDouble, x.isFinite else {
                throw BuiltinError(
                    "the cost \(name) returned \(v.describeForError) for \(a), a number expected",
                    argument: "objectives")
            }
            return x
        }

        /// Every cost of a model before it is evaluated (all costs functions).
        func before(_ a: DeclaredArch) throws -> [Double] {
            try zip(names, functions).map { try computed($1!, a, $0) }
        }

        /// A told model's costs.
        func told(_ a: DeclaredArch, _ outcome: SearchJournal.Outcome) throws -> [Double] {
            try zip(names, functions).map { name, f in
                if let f { return try computed(f, a, name) }
                guard let v = outcome.metrics[name] else {
                    throw NASLibError(
                        "the evaluation of \(a) reported no \"\(name)\" (the evaluator's JSON line needs {\"accuracy\": ..., \"\(name)\": ...})"
                    )
                }
                return v
            }
        }

        var objectives: DriverBuiltins.Objectives<DeclaredArch> { DriverBuiltins.Objectives(names: names, costs: told) }
    }

    static func costs(_ c: BuiltinCall, _ s: DeclaredSpaceObject) throws -> Costs? {
        guard !c.isNil("objectives") else { return nil }
        try MultiObjectiveBuiltins.noLimit(c)
        let items = try c.list("objectives")
        guard case .string("accuracy")? = items.first, items.count >= 2, items.count <= 5 else {
            throw c.fail(
                "objectives",
                "[\"accuracy\", cost, ...] with one to four costs: a metric of the evaluator's JSON line (\"params_m\") or a function of the model"
            )
        }
        var names: [String] = []
        var identity: [String] = []
        var functions: [Value?] = []
        for (k, item) in items.dropFirst().enumerated() {
            switch item {
            case .string(let m) where m.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil:
                names.append(m)
                identity.append(m)
                functions.append(nil)
            case .function(let f):
                names.append(f.declaration.name ?? "cost\(k + 1)")
                identity.append("function " + f.declaration.range.text)
                functions.append(item)
            default:
                throw c.fail(
                    "objectives",
                    "a cost over a declared space is a metric of the evaluator's JSON line (a name like \"params_m\") or a function of the model, got \(item.describeForError) (devices and latency predictors are NB201's)"
                )
            }
        }
        if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw c.fail("objectives", "\(dup) is given twice")
        }
        return Costs(names: names, identity: identity, functions: functions, space: s, call: c.call)
    }

    /// evolve / random_search over a declared space.
    static func baseline(
        _ c: BuiltinCall, _ s: DeclaredSpaceObject, _ method: String, _ settings: [String: Any],
        evolution: (population: Int, sample: Int, cached: Bool)?
    ) throws -> Value {
        s.calledBy(c)
        let budget = try c.int("budget", min: 1, max: Limits.budget)
        let asking = try c.bool("ask")
        guard !c.isNil("evaluate") || asking else {
            throw c.fail(
                "evaluate",
                "a declared space has no benchmark: give evaluate: run(\"python3 train.py {arch}\"), a function, or ask: true"
            )
        }
        var settings = settings
        settings["declaration"] = s.identity
        let costs = try costs(c, s)
        if let costs { settings["objectives"] = ["accuracy"] + costs.identity }
        let value: Value?
        if let e = evolution {
            value = try BaselineBuiltins.session(
                c, method, form(s), budget: budget, settings, objectives: costs?.objectives
            ) { seed in
                EvolutionSession<DeclaredArch>(
                    budget: budget, population: e.population, sample: e.sample, cached: e.cached, seed: seed,
                    draw: s.draw, mutate: s.mutate, first: { $0.codes.lexicographicallyPrecedes($1.codes) },
                    costs: costs?.told)
            }
        } else {
            value = try BaselineBuiltins.session(
                c, method, form(s), budget: budget, settings, objectives: costs?.objectives
            ) { seed in
                RandomSearchSession<DeclaredArch>(budget: budget, seed: seed, draw: s.draw)
            }
        }
        try s.checkConstraint()
        return value!
    }

    /// The candidates BRP-NAS ranks in a declared space: every valid model when there are at most `pool`, else
    /// `pool` distinct valid models drawn from the seed's stream 1.
    static func candidates(_ c: BuiltinCall, _ s: DeclaredSpaceObject, pool: Int, seed: Int) throws -> [DeclaredArch] {
        if let n = s.space.count, n <= pool {
            return try s.all("the candidate pool")
        }
        let out = try DriverBuiltins.distinctPool(pool, seed: seed, c, draw: s.draw)
        try s.checkConstraint()
        return out
    }

    /// brp(space: s, ...) driven by evaluate: (and search("brp", space: s) asked and told): the binary relation
    /// predictor over the space's graph encoding.
    static func brp(
        _ c: BuiltinCall, _ s: DeclaredSpaceObject, _ o: BRPNAS.Options, _ spec: PairPredictor.Spec,
        header: [String: Any], seed: Int, ask: Bool
    ) throws -> Value {
        s.calledBy(c)
        var spec = spec
        spec.config.features = s.space.featureNames.count
        var header = header
        header["space"] = s.label
        header["declaration"] = s.identity
        header["predictor"] = try ExactJSON.object(with: JSONEncoder().encode(spec))
        let pool = try c.int("pool", min: o.M, max: 1_000_000)
        header["pool"] = pool
        let candidates = try candidates(c, s, pool: pool, seed: seed)
        guard candidates.count >= o.M else {
            throw c.fail("M", "the space has \(candidates.count) valid models, fewer than M = \(o.M)")
        }
        var reorder: (([DeclaredArch]) -> [DeclaredArch])? = nil
        let costs = try costs(c, s)
        if let costs {
            guard costs.knownBefore else {
                throw c.fail(
                    "objectives",
                    "BRP-NAS orders candidates by cost before evaluating them: give the costs as functions of the model"
                )
            }
            // Every candidate's costs, computed once (in candidate order, so a function sees them deterministically).
            var believed: [DeclaredArch: [Double]] = [:]
            for a in candidates { believed[a] = try costs.before(a) }
            header["objectives"] = ["accuracy"] + costs.identity
            reorder = { MultiObjectiveBuiltins.paretoOrder($0) { believed[$0]! } }
        }
        let ranker = SessionRanker<DeclaredArch>(PairPredictor(spec: spec, seed: SeededRandom.subseed(seed, 1)))
        let session = try nas {
            try BRPNASSession(
                options: o, ranker: ranker, base: spec.options, candidates: candidates, seed: seed, normalizeBy: nil,
                reorder: reorder)
        }
        let f = form(s)
        if ask {
            return .object(
                try AskTellObject(
                    session, method: "brp", budget: o.M, header: header, dir: try c.optionalString("dir"),
                    stage: { session.stage }, key: f.key, value: f.value, parse: f.parse, objectives: costs?.objectives)
            )
        }
        return try DriverBuiltins.drive(
            c, session, header: header, stage: { session.stage }, key: f.key, value: f.value,
            objectives: costs?.objectives)
    }
}
