import Figures
import Foundation
import Interpreter
import Lang
import NASLib

/// The result of a search (BRP-NAS or a baseline), over one or more runs.
final class SearchObject: HostObject, MemberTable, Plottable {
    let name: String
    let runs: [SearchTrace]
    let problem: SearchProblem
    let context: NASContext

    init(_ name: String, _ runs: [SearchTrace], _ problem: SearchProblem, _ context: NASContext) {
        self.name = name
        self.runs = runs
        self.problem = problem
        self.context = context
    }

    var typeName: String { "search" }

    static let members: [Member<SearchObject>] = [
        Member("name", "the search's label") { o in .string(o.name) },
        Member(
            "runs", "one record per run: seed, models trained, best accuracy and model, its rank, models to the optimum"
        ) { o in .list(o.runs.map(o.runRecord)) },
        Member("best", "the best accuracy found, mean over runs") { o in
            let b = o.runs.compactMap { $0.best?.accuracy }
            return b.isEmpty ? .nil : .number(b.reduce(0, +) / Double(b.count))
        },
        Member("curve", "best accuracy after each trained model: mean and std over runs") { o in
            return .list(
                o.curveStats().map {
                    .record(Record([("models", .int($0.k)), ("mean", .number($0.mean)), ("std", .number($0.std))]))
                })
        },
        Member("summary", "the curve at round budgets (10, 25, 50, ...)") { o in .list(o.summaryRows) },
        Member("optimum", "the best accuracy in the benchmark (what to_optimum counts towards)") { o in
            o.problem.optimum.map(Value.number) ?? .nil
        },
        Member("trace", "every trained model in order: arch, accuracy, latency, whether it meets the limit") { o in
            o.runs.count == 1 ? o.traceValue(o.runs[0]) : .list(o.runs.map(o.traceValue))
        },
    ]

    /// Budgets reported in summaries: 10, 25, 50, 100, 200, 300, ... up to the longest run.
    var checkpoints: [Int] {
        let n = runs.map(\.steps.count).max() ?? 0
        return [10, 25, 50, 100, 150, 200, 300, 500, 1000].filter { $0 <= n }
            + (n > 0 && ![10, 25, 50, 100, 150, 200, 300, 500, 1000].contains(n) ? [n] : [])
    }

    func runRecord(_ t: SearchTrace) -> Value {
        let best = t.best
        var fields: [(String, Value)] = [
            ("seed", .int(t.seed)), ("trained", .int(t.steps.count)),
            ("best", best.map { .number($0.accuracy) } ?? .nil),
            ("best_arch", best.map { .object(ArchObject($0.arch, context)) } ?? .nil),
            ("rank", t.rank(in: problem).map(Value.int) ?? .nil),
            ("to_optimum", t.modelsToOptimum(problem).map(Value.int) ?? .nil),
        ]
        if let l = best?.latency { fields.append(("best_latency", .quantity(Quantity.seconds(l)))) }
        for (k, v) in t.extras.sorted(by: { $0.key < $1.key }) { fields.append((k, .number(v))) }
        return .record(Record(fields))
    }

    func traceValue(_ t: SearchTrace) -> Value {
        .list(
            t.steps.map { s in
                .record(
                    Record([
                        ("arch", .object(ArchObject(s.arch, context))), ("accuracy", .number(s.accuracy)),
                        ("latency", s.latency.map { .quantity(Quantity.seconds($0)) } ?? .nil),
                        ("feasible", .bool(s.feasible)),
                    ]))
            })
    }

    /// Mean and std of the best accuracy found after k models, over runs.
    func curveStats() -> [(k: Int, mean: Double, std: Double, n: Int)] {
        let n = runs.map(\.steps.count).max() ?? 0
        let curves = runs.map(\.curve)
        return (0..<n).map { i in
            let xs = curves.compactMap { i < $0.count ? $0[i] : $0.last ?? nil }
            let m = xs.isEmpty ? Double.nan : xs.reduce(0, +) / Double(xs.count)
            let sd = xs.count > 1 ? (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot() : 0
            return (i + 1, m, sd, xs.count)
        }
    }

    var summaryRows: [Value] {
        let stats = curveStats()
        return checkpoints.map { k in
            let s = stats[k - 1]
            return .record(
                Record([
                    ("search", .string(name)), ("models", .int(k)), ("mean", .number(s.mean)),
                    ("std", .number(s.std)), ("runs", .int(s.n)),
                ]))
        }
    }

    func display() -> String {
        let bests = runs.compactMap { $0.best?.accuracy }
        let mean = bests.isEmpty ? Double.nan : bests.reduce(0, +) / Double(bests.count)
        let sd =
            bests.count > 1
            ? (bests.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(bests.count - 1)).squareRoot() : 0
        let opt = problem.optimum.map { String(format: "%.2f", $0) } ?? "-"
        let head = String(
            format: "%@: %d run%@, best %.2f ± %.2f after %d models (optimum %@)", name, runs.count,
            runs.count == 1 ? "" : "s",
            mean, sd, runs.map(\.steps.count).max() ?? 0, opt)
        guard runs.count > 1, let t = Table(records: summaryRows) else {
            return head + (runs.count == 1 ? "\n" + (Table(records: [runRecord(runs[0])])?.render() ?? "") : "")
        }
        return head + "\n" + t.render()
    }

    func inlineDisplay() -> String { "search(\(name))" }
    func plainValue() -> Value? {
        .record(
            Record([("name", .string(name)), ("runs", .list(runs.map(runRecord))), ("summary", .list(summaryRows))]))
    }

    func figure() throws -> Figure { SearchObject.figure([self]) }

    /// One row per trained model of every run: the search, the run's seed, the model's number in the run, its
    /// NB201 index, its reported accuracy, its latency (ms) when the search has one, whether it meets the limit,
    /// and the best reported accuracy so far (what the curves plot).
    func csvRows() -> [Value]? {
        var rows: [Value] = []
        let index = try? context.benchmark().index()
        for t in runs {
            let curve = t.curve
            for (i, s) in t.steps.enumerated() {
                let arch: Value = index.map { .int($0.index(of: s.arch)) } ?? .string(s.arch.description)
                var fields: [(String, Value)] = [
                    ("search", .string(name)), ("seed", .int(t.seed)), ("model", .int(i + 1)),
                    ("arch", arch), ("accuracy", .number(s.accuracy)),
                ]
                fields.append(("latency_ms", s.latency.map { .number($0 * 1000) } ?? .nil))
                fields.append(("feasible", .bool(s.feasible)))
                fields.append(("best", curve[i].map(Value.number) ?? .nil))
                rows.append(.record(Record(fields)))
            }
        }
        return rows
    }

    /// Best accuracy found vs models trained, mean ± std band per search.
    static func figure(_ searches: [SearchObject]) -> Figure {
        var panel = Figure.Panel(title: "Best accuracy found", xlabel: "trained models", ylabel: "best accuracy (%)")
        for s in searches {
            let st = s.curveStats()
            panel.series.append(
                Figure.Series(
                    label: "\(s.name) (\(s.runs.count) runs)", kind: .line, x: st.map { Double($0.k) },
                    y: st.map(\.mean), lower: st.map { $0.mean - $0.std }, upper: st.map { $0.mean + $0.std }))
        }
        if let opt = searches.first?.problem.optimum,
            let n = searches.map({ $0.runs.map(\.steps.count).max() ?? 0 }).max()
        {
            panel.series.append(
                Figure.Series(label: "optimum", kind: .line, x: [1, Double(n)], y: [opt, opt], reference: true))
        }
        // Show the range the searches reach after their first 10 models.
        let late = searches.flatMap { $0.curveStats().dropFirst(9).map { $0.mean - $0.std } }.filter(\.isFinite)
        if let lo = late.min() { panel.yMin = lo - 0.2 }
        return Figure(panels: [panel], columns: 1)
    }
}
