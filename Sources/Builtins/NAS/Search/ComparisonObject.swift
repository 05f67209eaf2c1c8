import Figures
import Interpreter
import Lang
import NASLib

/// `compare(a, b, ...)`: searches side by side.
final class ComparisonObject: HostObject, MemberTable, Plottable {
    let searches: [SearchObject]
    init(_ s: [SearchObject]) { searches = s }

    var typeName: String { "comparison" }

    static let members: [Member<ComparisonObject>] = [
        Member("rows", "one row per search: best accuracy (mean ± std) at round budgets, models to the optimum") { o in
            .list(o.rows)
        },
        Member("searches", "the searches compared") { o in .list(o.searches.map { .object($0) }) },
    ]

    /// The round budgets below the longest run, and always the longest run's own budget (a search of 60 models
    /// reports "best after 60 models"; its last column is best@60).
    var budgets: [Int] {
        ComparisonObject.budgets(longest: searches.map { $0.runs.map(\.steps.count).max() ?? 0 }.max() ?? 0)
    }

    /// The round budgets below the longest run's, then the longest run's own.
    static func budgets(longest n: Int) -> [Int] {
        [10, 25, 50, 100, 150, 200, 300, 500, 1000].filter { $0 < n } + (n > 0 ? [n] : [])
    }

    static func cell(_ m: Double, _ s: Double) -> String { String(format: "%.2f ± %.2f", m, s) }

    var rows: [Value] {
        searches.map { s in
            let stats = s.curveStats()
            var fields: [(String, Value)] = [("search", .string(s.name)), ("runs", .int(s.runs.count))]
            // Every row has every column (a shorter search shows nil), so the table's columns keep their order.
            for b in budgets {
                fields.append(
                    (
                        "best@\(b)",
                        b <= stats.count ? .string(ComparisonObject.cell(stats[b - 1].mean, stats[b - 1].std)) : .nil
                    ))
            }
            let hits = s.runs.compactMap { $0.modelsToOptimum(s.problem) }
            let toOpt =
                hits.isEmpty
                ? "never"
                : String(
                    format: "%.0f (%d/%d runs)", Double(hits.reduce(0, +)) / Double(hits.count),
                    hits.count, s.runs.count)
            fields.append(("to_optimum", .string(toOpt)))
            return .record(Record(fields))
        }
    }

    func display() -> String {
        let opt = searches.first?.problem.optimum.map { String(format: "%.2f", $0) } ?? "-"
        return "best accuracy found (mean ± std over runs); optimum \(opt)\n" + (Table(records: rows)?.render() ?? "")
    }

    func inlineDisplay() -> String { "comparison" }
    func plainValue() -> Value? { .list(rows) }

    /// Tidy rows for CSV: one per search and budget, the mean and std of the best accuracy found as numbers,
    /// how many runs' result after that many models is the benchmark's optimum, and how many runs reached the optimum
    /// at some point with the mean models they needed (picked by a selection signal, a run can reach it and leave it).
    func csvRows() -> [Value]? {
        searches.flatMap { s -> [Value] in
            let stats = s.curveStats()
            let hits = s.runs.compactMap { $0.modelsToOptimum(s.problem) }
            let curves = s.runs.map(\.curve)
            let optimum = s.problem.optimum
            return budgets.filter { $0 <= stats.count }.map { b in
                // A shorter run keeps its last pick, as in the curve's mean.
                let atOptimum = curves.filter { c in
                    (b <= c.count ? c[b - 1] : c.last ?? nil).map { $0 == optimum } ?? false
                }.count
                return .record(
                    Record([
                        ("search", .string(s.name)), ("runs", .int(s.runs.count)), ("models", .int(b)),
                        ("best_mean", .number(stats[b - 1].mean)), ("best_std", .number(stats[b - 1].std)),
                        ("at_optimum", .int(atOptimum)), ("runs_at_optimum", .int(hits.count)),
                        (
                            "models_to_optimum_mean",
                            hits.isEmpty ? .nil : .number(Double(hits.reduce(0, +)) / Double(hits.count))
                        ),
                    ]))
            }
        }
    }
    func figure() throws -> Figure { SearchObject.figure(searches) }
}
