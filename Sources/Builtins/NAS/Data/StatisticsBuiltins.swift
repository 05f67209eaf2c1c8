import Interpreter
import Lang
import NASLib

/// Correlations between two lists of numbers or quantities.
enum StatisticsBuiltins {
    static func all() -> [BuiltinFunction] {
        BuiltinFunction.category(
            "Numbers and statistics",
            [
                pair("pearson", "Pearson's correlation r of two lists.", Statistics.pearson),
                pair(
                    "spearman", "Spearman's rank correlation ρ of two lists (ties get average ranks).",
                    Statistics.spearman),
                pair("kendall", "Kendall's τ-b of two lists (ties accounted for).", Statistics.kendallTauB),
            ])
    }

    static func pair(_ name: String, _ doc: String, _ f: @escaping ([Double], [Double]) -> Double) -> BuiltinFunction {
        BuiltinFunction(
            name, [BuiltinParameter("xs", .any, "numbers or quantities"), BuiltinParameter("ys", .any)], doc: doc
        ) { c in
            let xs = try PlotBuiltins.numbers(c["xs"], c, "xs").0
            let ys = try PlotBuiltins.numbers(c["ys"], c, "ys").0
            guard xs.count == ys.count, xs.count > 1 else {
                throw c.fail("ys", "needs two lists of the same length (≥ 2), got \(xs.count) and \(ys.count)")
            }
            guard !xs.contains(where: \.isNaN), !ys.contains(where: \.isNaN) else { throw c.fail("xs", "contains nil") }
            return .number(f(xs, ys))
        }
    }
}
