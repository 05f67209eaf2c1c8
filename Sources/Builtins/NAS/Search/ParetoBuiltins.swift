import Figures
import Foundation
import Interpreter
import Lang
import NASLib

/// One cost of a trade-off (minimised): a benchmark table (its truth), a latency predictor (its predictions; the
/// truth is its device's table), or a metric the evaluator reports (`{"accuracy": ..., "latency_ms": ...}`).
struct CostObjective {
    enum Source {
        case table(Device)
        case predictor(LatencyModel)
        case metric(String)
    }
    let source: Source

    /// The device whose table holds the truth (nil for an evaluator's metric).
    var device: Device? {
        switch source {
        case .table(let d): return d
        case .predictor(let m): return m.device
        case .metric: return nil
        }
    }

    /// The label in tables and plots.
    var name: String {
        switch source {
        case .table(let d): return d.aliases.first ?? d.name
        case .predictor(let m): return "\(m.modelName)(\(m.device.aliases.first ?? m.device.name))"
        case .metric(let k): return k
        }
    }

    /// Tables hold seconds or joules; brpsh shows milliseconds and millijoules. A metric is shown as reported.
    var scale: Double { device == nil ? 1 : 1000 }
    var unit: String {
        guard let d = device else { return "" }
        return d.measure == .energy ? "mJ" : "ms"
    }
    var axisLabel: String { unit.isEmpty ? name : "\(name) \(device?.measure.rawValue ?? "") (\(unit))" }

    /// A cost table over the given models: the truth, or the predictor's values (a metric has none).
    func table(_ context: NASContext, over models: [NB201Arch]) throws -> MetricTable? {
        switch source {
        case .table(let d): return try nas { try context.benchmark().table(d) }
        case .predictor(let m):
            var values = [Double](repeating: .nan, count: NB201Arch.count)
            for (a, v) in zip(models, try m.latencies(models)) where v.isFinite { values[a.code] = v }
            return MetricTable(name: name, values: values)
        case .metric: return nil
        }
    }

    /// The measured table (for scoring against the exact front).
    func truth(_ context: NASContext) throws -> MetricTable? {
        guard let d = device else { return nil }
        return try nas { try context.benchmark().table(d) }
    }
}

/// `pareto(...)`, `hypervolume(...)` and what multi-objective searches share: parsing objectives, the exact front.
enum ParetoBuiltins {
    static func all() -> [BuiltinFunction] { BuiltinFunction.category("Search", [pareto, hypervolume]) }

    static let objectivesDoc =
        "[\"accuracy\", cost, ...]: the accuracy (maximised), then each cost (minimised): a device name, a latency table, a predictor (gcn, layerwise, truth), or with evaluate: a metric of the evaluator's JSON (\"latency_ms\")"

    /// One cost from a value: a device name or table, a predictor object, or (`metrics`) a metric name.
    static func cost(_ v: Value, _ c: BuiltinCall, _ argument: String, metrics: Bool) throws -> CostObjective {
        switch v {
        case .object(let m as LatencyModel):
            if let t = m as? TruthObject { return CostObjective(source: .table(t.device)) }
            return CostObjective(source: .predictor(m))
        case .string(let s):
            do {
                return CostObjective(source: .table(try NASContext.of(c).device(v, c, argument)))
            } catch let e as BuiltinError {
                guard metrics, s.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                    throw BuiltinError(
                        e.message
                            + (metrics
                                ? ""
                                : "; a metric of the evaluator's JSON line (like \"latency_ms\") is a cost only with evaluate: or ask: true"),
                        argument: argument)
                }
                return CostObjective(source: .metric(s))
            }
        default:
            return CostObjective(source: .table(try NASContext.of(c).device(v, c, argument)))
        }
    }

    /// `objectives: ["accuracy", cost, ...]`.
    static func objectives(_ c: BuiltinCall, _ name: String = "objectives", metrics: Bool) throws -> [CostObjective] {
        let items = try c.list(name)
        guard case .string("accuracy")? = items.first else {
            throw c.fail(
                name,
                "the first objective is \"accuracy\" (maximised), then the costs (minimised), e.g. [\"accuracy\", \"d-gpu\"]"
            )
        }
        guard items.count >= 2 else {
            throw c.fail(name, "give at least one cost after \"accuracy\", e.g. [\"accuracy\", \"d-gpu\"]")
        }
        guard items.count <= 5 else { throw c.fail(name, "at most four costs (the exact hypervolume grows as n^d)") }
        let costs = try items.dropFirst().map { try cost($0, c, name, metrics: metrics) }
        let names = costs.map(\.name)
        if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw c.fail(name, "\(dup) is given twice")
        }
        return costs
    }

    /// The reported accuracy of a trade-off (the test accuracy of `accuracy:`, or `split:`).
    static func accuracyTable(_ c: BuiltinCall) throws -> (MetricTable, String) {
        let (dataset, split) = try datasetAndSplit(c, datasetName: "accuracy")
        return (
            try nas { try NASContext.of(c).benchmark().accuracy(dataset, split) },
            "\(dataset.rawValue) \(split.rawValue)"
        )
    }

    /// A reference point given in natural form ([worst accuracy, largest cost, ...], costs in ms/mJ as shown) in
    /// minimisation form and table units.
    static func reference(_ c: BuiltinCall, _ costs: [CostObjective]) throws -> [Double]? {
        guard !c.isNil("reference") else { return nil }
        let r = try c.list("reference").map { try number($0, c, "reference") }
        guard r.count == costs.count + 1 else {
            throw c.fail(
                "reference", "give \(costs.count + 1) values: the worst accuracy, then the largest value of each cost")
        }
        return [-r[0]] + zip(r.dropFirst(), costs).map { $0 / $1.scale }
    }

    /// A number, or a quantity: a time in ms, an energy in mJ, a percentage as its number.
    static func number(_ v: Value, _ c: BuiltinCall, _ argument: String) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .number(let d): return d
        case .quantity(let q):
            switch q.unit.dimension {
            case .time, .energy: return q.base * 1000
            case .percentage: return q.value
            }
        default: throw c.fail(argument, "numbers expected, got \(v.describeForError)")
        }
    }

    static let pareto = BuiltinFunction(
        "pareto",
        [
            BuiltinParameter(
                "device", .any, default: .nil,
                "the cost: a device name, a latency table, or a predictor (its predicted cost decides the front)"),
            BuiltinParameter(
                "accuracy", .string, default: .string("cifar100"),
                "dataset of the accuracy: cifar10, cifar100, imagenet16-120"),
            BuiltinParameter("split", .string, default: .string("test"), "test (mean over seeds) or valid"),
            BuiltinParameter("objectives", .optional(.list), default: .nil, "instead of device: " + objectivesDoc),
            BuiltinParameter(
                "reference", .optional(.list), default: .nil,
                "the hypervolume's reference [accuracy, cost, ...] (default: the worst accuracy and the largest cost of the models)"
            ),
        ],
        doc:
            "The exact Pareto front of the benchmark: the models no other model beats in accuracy and cost; f.rows, f.hypervolume, plot(f)."
    ) { c in
        let costs: [CostObjective]
        switch (c.isNil("device"), c.isNil("objectives")) {
        case (false, true): costs = [try cost(c["device"], c, "device", metrics: false)]
        case (true, false): costs = try objectives(c, metrics: false)
        case (false, false): throw c.fail("objectives", "give device or objectives:, not both")
        case (true, true):
            throw c.fail(
                "device",
                "give the cost: a device (\"d-gpu\"), a latency table or a predictor, or objectives: [\"accuracy\", ...]"
            )
        }
        return .object(try ParetoObject.make(c, costs))
    }

    static let hypervolume = BuiltinFunction(
        "hypervolume",
        [
            BuiltinParameter(
                "points", .any,
                "a list of [accuracy, cost, ...] lists, or records with accuracy and cost (f.rows, r.front)"),
            BuiltinParameter(
                "reference", .list, "[worst accuracy, largest cost, ...]: the corner the volume is measured to"),
        ],
        doc:
            "The exact hypervolume the points dominate up to the reference (accuracy maximised, costs minimised; costs in ms or mJ as rows show them)."
    ) { c in
        let reference = try c.list("reference").map { try number($0, c, "reference") }
        guard reference.count >= 2 else { throw c.fail("reference", "give the worst accuracy and at least one cost") }
        let items: [Value]
        switch c["points"] {
        case .list(let xs): items = xs
        case .object(let f as ParetoObject): items = f.rows
        default: throw c.fail("points", "a list of points expected, got \(c["points"].describeForError)")
        }
        let points = try items.map { v -> [Double] in
            var p: [Double]
            switch v {
            case .list(let xs): p = try xs.map { try number($0, c, "points") }
            case .record(let r):
                guard let a = r["accuracy"] else {
                    throw c.fail("points", "a record point needs accuracy and cost fields")
                }
                p = [try number(a, c, "points")]
                if case .list(let cs)? = r["costs"] {
                    p += try cs.map { try number($0, c, "points") }
                } else if let cost = r["cost"] {
                    p.append(try number(cost, c, "points"))
                } else {
                    throw c.fail("points", "a record point needs accuracy and cost fields")
                }
            default:
                throw c.fail(
                    "points", "each point is a list [accuracy, cost, ...] or a record, got \(v.describeForError)")
            }
            guard p.count == reference.count else {
                throw c.fail("points", "a point has \(p.count) values, the reference \(reference.count)")
            }
            guard p.allSatisfy(\.isFinite) else { throw c.fail("points", "a point has a value that is not a number") }
            return [-p[0]] + p.dropFirst()
        }
        guard reference.count <= 5 else { throw c.fail("reference", "at most five objectives") }
        return .number(Pareto.hypervolume(points, reference: [-reference[0]] + reference.dropFirst()))
    }
}

/// `pareto(...)`: the exact front of accuracy against one or more costs.
final class ParetoObject: HostObject, MemberTable, Plottable {
    let problem: ParetoProblem
    let costs: [CostObjective]
    let accuracyName: String
    let context: NASContext
    /// With a predicted cost: the measured problem (the truth the predicted front is scored against).
    let measured: ParetoProblem?

    init(
        _ problem: ParetoProblem, _ costs: [CostObjective], accuracy: String, measured: ParetoProblem?,
        _ context: NASContext
    ) {
        self.problem = problem
        self.costs = costs
        accuracyName = accuracy
        self.measured = measured
        self.context = context
    }

    static func make(_ c: BuiltinCall, _ costs: [CostObjective]) throws -> ParetoObject {
        let context = NASContext.of(c)
        let (acc, accName) = try ParetoBuiltins.accuracyTable(c)
        let reference = try ParetoBuiltins.reference(c, costs)
        // The models: those with an accuracy and every measured cost (a predictor is asked about its device's models).
        let truths = try costs.map { try $0.truth(context)! }
        let pool = acc.measured.filter { a in truths.allSatisfy { $0[a] != nil } }
        let tables = try costs.map { try $0.table(context, over: pool)! }
        let predicted = costs.contains { if case .predictor = $0.source { return true } else { return false } }
        let measured = predicted ? try nas { try ParetoProblem(accuracy: acc, costs: truths, models: pool) } : nil
        let problem = try nas { try ParetoProblem(accuracy: acc, costs: tables, models: pool, reference: reference) }
        return ParetoObject(problem, costs, accuracy: accName, measured: measured, context)
    }

    var typeName: String { "pareto front" }

    static let members: [Member<ParetoObject>] = [
        Member(
            "rows", "the front's models by cost: arch, accuracy, cost (ms or mJ), with several costs each one by name"
        ) { o in .list(o.rows) },
        Member("hypervolume", "the front's exact hypervolume (accuracy in % × cost in ms or mJ) up to the reference") {
            o in .number(o.displayHypervolume)
        },
        Member("reference", "the reference point: the worst accuracy and the largest cost of the models") { o in
            o.referenceValue
        },
        Member("size", "models on the front") { o in .int(o.problem.front.count) },
        Member("models", "models with an accuracy and every cost (what the front is taken over)") { o in
            .int(o.problem.models.count)
        },
        Member("objectives", "the objectives' names") { o in
            .list([.string("accuracy")] + o.costs.map { .string($0.name) })
        },
        Member(
            "hv_ratio",
            "with a predicted cost: the hypervolume of the predicted front at its measured costs over the exact front's"
        ) { o in o.hvRatio.map(Value.number) ?? .nil },
    ]

    func costValues(_ a: NB201Arch, _ p: ParetoProblem) -> [Double] { zip(p.costs, costs).map { $0[a]! * $1.scale } }

    func row(_ a: NB201Arch) -> Value {
        let cs = costValues(a, problem)
        var fields: [(String, Value)] = [
            ("arch", .object(ArchObject(a, context))), ("accuracy", .number(problem.accuracy[a]!)),
            ("cost", .number(cs[0])),
        ]
        if costs.count > 1 { fields.append(("costs", .list(cs.map(Value.number)))) }
        if let m = measured { fields.append(("measured", .list(costValues(a, m).map(Value.number)))) }
        return .record(Record(fields))
    }

    var rows: [Value] { problem.front.map(row) }

    var referenceValue: Value {
        .record(
            Record(
                [("accuracy", .number(-problem.reference[0]))]
                    + zip(costs, problem.reference.dropFirst()).map { ($0.name, .number($1 * $0.scale)) }))
    }

    /// The hypervolume in display units (costs in ms or mJ).
    var displayHypervolume: Double { costs.reduce(problem.hypervolume) { $0 * $1.scale } }

    var hvRatio: Double? {
        guard let m = measured, m.hypervolume > 0 else { return nil }
        return m.hypervolume(of: problem.front) / m.hypervolume
    }

    func display() -> String {
        var head = String(
            format: "Pareto front of %@ accuracy × %@: %d of %d models, hypervolume %.6g", accuracyName,
            costs.map(\.name).joined(separator: " × "), problem.front.count, problem.models.count, displayHypervolume)
        if let r = hvRatio {
            head += String(format: "; at measured cost the predicted front reaches %.4f of the exact hypervolume", r)
        }
        let shown =
            problem.front.count > 12 ? Array(problem.front.prefix(6)) + Array(problem.front.suffix(6)) : problem.front
        let table =
            Table(
                records: shown.map { a -> Value in
                    let cs = costValues(a, problem)
                    return .record(
                        Record(
                            [("arch", .string(a.string)), ("accuracy", .number(problem.accuracy[a]!))]
                                + zip(costs, cs).map {
                                    ("\($0.name) (\($0.unit.isEmpty ? "value" : $0.unit))", .number($1))
                                }))
                })?.render() ?? ""
        let more =
            problem.front.count > 12
            ? "\n(the 6 cheapest and the 6 most accurate; f.rows has all \(problem.front.count))" : ""
        return head + "\n" + table + more
    }

    func inlineDisplay() -> String { "pareto(\(costs.map(\.name).joined(separator: ", ")))" }
    func plainValue() -> Value? {
        .record(
            Record([
                ("objectives", .list([.string("accuracy")] + costs.map { .string($0.name) })),
                ("hypervolume", .number(displayHypervolume)), ("reference", referenceValue),
                ("models", .int(problem.models.count)),
                (
                    "rows",
                    .list(
                        problem.front.map { a in
                            .record(
                                Record([
                                    ("arch", .string(a.string)), ("accuracy", .number(problem.accuracy[a]!)),
                                    ("cost", .number(costValues(a, problem)[0])),
                                ]))
                        })
                ),
            ]))
    }

    /// One row per front model: its NB201 index, accuracy and costs by name.
    func csvRows() -> [Value]? {
        let index = try? context.benchmark().index()
        return problem.front.map { a in
            .record(
                Record(
                    [
                        ("arch", index.map { .int($0.index(of: a)) } ?? .string(a.string)),
                        ("accuracy", .number(problem.accuracy[a]!)),
                    ]
                        + zip(costs, costValues(a, problem)).map { ($0.name, .number($1)) }))
        }
    }

    func figure() throws -> Figure { try ParetoObject.figure(self, found: []) }

    /// Accuracy against the first cost: every model faint, the exact front as a step line, and found fronts.
    static func figure(_ f: ParetoObject, found: [(label: String, archs: [NB201Arch])], title: String? = nil) throws
        -> Figure
    {
        let p = f.problem
        let cost = f.costs[0]
        var panel = Figure.Panel(
            title: title ?? "Pareto front: \(f.accuracyName) accuracy × \(cost.name)", xlabel: cost.axisLabel,
            ylabel: "accuracy (%)")
        // The faint background: every model, or every k-th by arch code when there are more than 2,500 (a figure of
        // 15,000 points is megabytes of SVG); the fronts are always exact.
        let k = (p.models.count + 2499) / 2500
        let shown = stride(from: 0, to: p.models.count, by: k).map { p.models[$0] }
        let label = k == 1 ? "all \(p.models.count) models" : "every \(k)th of \(p.models.count) models"
        panel.series.append(
            Figure.Series(
                label: label, kind: .scatter, x: shown.map { p.costs[0][$0]! * cost.scale },
                y: shown.map { p.accuracy[$0]! }, reference: true))
        func step(_ archs: [NB201Arch]) -> (x: [Double], y: [Double]) {
            let unsorted: [(Double, Double)] = archs.map { a in (p.costs[0][a]! * cost.scale, p.accuracy[a]!) }
            let pts = unsorted.sorted { (l: (Double, Double), r: (Double, Double)) -> Bool in l < r }
            var x: [Double] = []
            var y: [Double] = []
            var best = -Double.infinity
            for (cx, ay) in pts where ay > best {
                if let last = y.last {
                    x.append(cx)
                    y.append(last)
                }
                x.append(cx)
                y.append(ay)
                best = ay
            }
            return (x, y)
        }
        let exact = step(p.front)
        panel.series.append(Figure.Series(label: "exact front (\(p.front.count))", kind: .line, x: exact.x, y: exact.y))
        for s in found {
            let mine = s.archs.filter { p.point($0) != nil }
            let pts = mine.map { p.point($0)! }
            let onFront = Pareto.front(pts).map { mine[$0] }
            let line = step(onFront)
            panel.series.append(Figure.Series(label: s.label, kind: .line, x: line.x, y: line.y))
        }
        return Figure(panels: [panel], columns: 1)
    }
}
