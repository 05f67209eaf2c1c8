import Figures
import Foundation
import Interpreter
import Lang

/// Bar charts (`bars`) and heat maps (`heatmap`): the two figure kinds of the paper that are not curves
/// (Figure S2, Table S4's correlation matrix).
enum BarsAndHeat {
    static let bars = BuiltinFunction(
        "bars",
        [
            BuiltinParameter("rows", .list, "records, one bar each"),
            BuiltinParameter("x", .string, "the field naming the group (a category on the x axis)"),
            BuiltinParameter("y", .string, "the field with the bar's height"),
            BuiltinParameter(
                "by", .optional(.string), default: .nil, "the field naming the bar within its group (one colour each)"),
            BuiltinParameter(
                "err", .optional(.string), default: .nil, "the field with an error bar's half length (e.g. a std)"),
            BuiltinParameter("title", .string, default: .string("")),
            BuiltinParameter("ylabel", .string, default: .string("")),
            BuiltinParameter("ylim", .any, default: .nil, "[low, high] of the y axis"),
        ],
        doc:
            "A grouped bar chart from records: bars(rows, x: \"device\", y: \"within1\", by: \"predictor\", err: \"std\")."
    ) { c in
        let rows = try c.list("rows").map { v -> Record in
            guard case .record(let r) = v else { throw c.fail("rows", "records expected, got \(v.describeForError)") }
            return r
        }
        guard !rows.isEmpty else { throw c.fail("rows", "no rows to draw") }
        let xKey = try c.string("x")
        let yKey = try c.string("y")
        let byKey = try c.optionalString("by")
        let errKey = try c.optionalString("err")
        func field(_ r: Record, _ k: String) throws -> Value {
            guard let v = r[k] else {
                throw c.fail("rows", "a row has no field '\(k)' (fields: \(r.keys.joined(separator: ", ")))")
            }
            return v
        }
        func number(_ v: Value, _ k: String) throws -> Double {
            switch v {
            case .int, .number: return v.asDouble!
            case .quantity(let q): return q.value
            case .nil: return .nan
            default: throw c.fail("rows", "field '\(k)' must be a number, got \(v.describeForError)")
            }
        }
        var categories: [String] = []
        var groups: [String] = []
        var cells: [String: (Double, Double)] = [:]
        var unit: String? = nil
        for r in rows {
            let cat = Format.str(try field(r, xKey))
            let group = try byKey.map { Format.str(try field(r, $0)) } ?? ""
            if !categories.contains(cat) { categories.append(cat) }
            if !groups.contains(group) { groups.append(group) }
            let yv = try field(r, yKey)
            if case .quantity(let q) = yv { unit = unit ?? q.unit.symbol }
            guard cells["\(cat)\u{0}\(group)"] == nil else {
                throw c.fail("rows", "two rows for \(xKey) \(cat)\(byKey.map { " and \($0) \(group)" } ?? "")")
            }
            cells["\(cat)\u{0}\(group)"] = (
                try number(yv, yKey), try errKey.map { try number(try field(r, $0), $0) } ?? 0
            )
        }
        var panel = Figure.Panel()
        panel.title = try c.string("title")
        panel.xlabel = xKey
        panel.ylabel = PlotBuiltins.withUnit(try c.string("ylabel").isEmpty ? yKey : try c.string("ylabel"), unit)
        panel.categories = categories
        panel.series = groups.map { g in
            let values = categories.map { cells["\($0)\u{0}\(g)"] ?? (.nan, 0) }
            var s = Figure.Series(label: g, kind: .bar, x: categories.indices.map(Double.init), y: values.map(\.0))
            if errKey != nil { s.err = values.map(\.1) }
            return s
        }
        if let (lo, hi) = try PlotBuiltins.limits(c, "ylim", unit: unit) {
            panel.yMin = lo
            panel.yMax = hi
        }
        return .object(FigureObject(Figure(panels: [panel], columns: 1)))
    }

    static let heatmap = BuiltinFunction(
        "heatmap",
        [
            BuiltinParameter("values", .list, "a list of rows, each a list of numbers (nil: an empty cell)"),
            BuiltinParameter("rows", .list, "row labels"),
            BuiltinParameter("cols", .optional(.list), default: .nil, "column labels (default: the row labels)"),
            BuiltinParameter("title", .string, default: .string("")),
            BuiltinParameter("digits", .int, default: .int(3), "decimals shown in the cells"),
        ],
        doc: "A heat map of a matrix with its values in the cells (e.g. Table S4's correlations)."
    ) { c in
        let rowLabels = try c.list("rows").map(Format.str)
        let colLabels = try c.isNil("cols") ? rowLabels : c.list("cols").map(Format.str)
        let values = try c.list("values").map { row -> [Double] in
            guard case .list(let xs) = row else {
                throw c.fail("values", "each row must be a list of numbers, got \(row.describeForError)")
            }
            return try xs.map { v in
                switch v {
                case .int, .number: return v.asDouble!
                case .nil: return .nan
                default: throw c.fail("values", "numbers expected, found \(v.describeForError)")
                }
            }
        }
        guard values.count == rowLabels.count, values.allSatisfy({ $0.count == colLabels.count }) else {
            throw c.fail(
                "values",
                "a \(values.count)×\(values.first?.count ?? 0) matrix for \(rowLabels.count) row and \(colLabels.count) column labels"
            )
        }
        guard !values.isEmpty, !colLabels.isEmpty else { throw c.fail("values", "an empty matrix") }
        var panel = Figure.Panel()
        panel.title = try c.string("title")
        panel.heat = Figure.Heat(
            rows: rowLabels, cols: colLabels, values: values, digits: try c.int("digits", min: 0, max: 8))
        return .object(FigureObject(Figure(panels: [panel], columns: 1)))
    }
}
