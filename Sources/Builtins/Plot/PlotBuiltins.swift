import Figures
import Interpreter
import Lang

/// plot, scatter, grid.
enum PlotBuiltins {
    static func all() -> [BuiltinFunction] {
        BuiltinFunction.category("Plots", [plot, scatter, grid, BarsAndHeat.bars, BarsAndHeat.heatmap])
    }

    static let labelParams = [
        BuiltinParameter("title", .string, default: .string("")),
        BuiltinParameter("xlabel", .string, default: .string("")),
        BuiltinParameter("ylabel", .string, default: .string("")),
        BuiltinParameter("ylog", .bool, default: .bool(false), "a logarithmic y axis (y values must be positive)"),
        BuiltinParameter(
            "xlim", .any, default: .nil,
            "[low, high] of the x axis, in its unit (points outside are not drawn, and counted)"),
        BuiltinParameter("ylim", .any, default: .nil, "[low, high] of the y axis, in its unit"),
    ]

    /// `[low, high]`: numbers, or quantities converted to the axis's unit; either end may be nil.
    static func limits(_ c: BuiltinCall, _ name: String, unit: String?) throws -> (Double?, Double?)? {
        guard !c.isNil(name) else { return nil }
        guard case .list(let items) = c[name], items.count == 2 else {
            throw c.fail(name, "give [low, high] (either may be nil), got \(c[name].describeForError)")
        }
        let ends = try items.map { v -> Double? in
            switch v {
            case .nil: return nil
            case .int(let i): return Double(i)
            case .number(let d) where d.isFinite: return d
            case .quantity(let q):
                guard let symbol = unit, let u = PhysicalUnit.allCases.first(where: { $0.symbol == symbol }),
                    u.dimension == q.unit.dimension
                else {
                    throw c.fail(
                        name, "\(q) does not match the axis's unit\(unit.map { " (\($0))" } ?? " (the axis has none)")")
                }
                return q.unit.convert(q.value, to: u)
            default: throw c.fail(name, "limits are numbers or quantities, got \(v.describeForError)")
            }
        }
        if let lo = ends[0], let hi = ends[1], !(lo < hi) {
            throw c.fail(name, "the low end must be below the high end")
        }
        return (ends[0], ends[1])
    }

    static let plot = BuiltinFunction(
        "plot",
        [
            BuiltinParameter(
                "data", .any, default: .nil,
                "a list of series records {x, y, label, kind}, a list of records to plot by field, or an object (an oracle result, a training history, a search)"
            ),
            BuiltinParameter("x", .any, default: .nil, "x values (numbers or quantities)"),
            BuiltinParameter("y", .any, default: .nil, "y values"),
            BuiltinParameter("label", .string, default: .string("")),
            BuiltinParameter("kind", .string, default: .string("line"), "line or scatter"),
        ] + labelParams,
        doc:
            "A figure: line or scatter series with a legend, drawn on the terminal and saved as SVG with save(fig, \"f.svg\")."
    ) { c in
        .object(FigureObject(try figure(c, kind: try c.string("kind"))))
    }

    static let scatter = BuiltinFunction(
        "scatter",
        [
            BuiltinParameter("data", .any, default: .nil, "a list of series records or of records"),
            BuiltinParameter("x", .any, default: .nil), BuiltinParameter("y", .any, default: .nil),
            BuiltinParameter("label", .string, default: .string("")),
        ] + labelParams,
        doc: "A scatter plot (like plot with kind: \"scatter\")."
    ) { c in
        .object(FigureObject(try figure(c, kind: "scatter")))
    }

    static let grid = BuiltinFunction(
        "grid",
        [
            BuiltinParameter("figures", .list, "figures (their panels are laid out in order)"),
            BuiltinParameter("cols", .int, default: .int(3)),
            BuiltinParameter("title", .optional(.string), default: .nil),
        ],
        doc: "Lays the panels of several figures out in a grid."
    ) { c in
        var panels: [Figure.Panel] = []
        for v in try c.list("figures") {
            guard case .object(let o) = v, let p = o as? Plottable else {
                throw c.fail("figures", "figures expected, got \(v.describeForError)")
            }
            panels += try p.figure().panels
        }
        return .object(
            FigureObject(
                Figure(
                    panels: panels, columns: try c.int("cols", min: 1, max: 64), title: try c.optionalString("title"))))
    }

    static func figure(_ c: BuiltinCall, kind: String) throws -> Figure {
        guard let k = Figure.Series.Kind(rawValue: kind), k != .bar else {
            throw c.fail(
                "kind",
                "use line or scatter, got \"\(kind)\"\(kind == "bar" ? " (bar charts: bars(rows, x:, y:, by:))" : "")")
        }
        var f: Figure
        if case .object(let o) = c["data"] {
            guard let p = o as? Plottable else { throw c.fail("data", "\(o.typeName) cannot be plotted") }
            f = try p.figure()
        } else if !c.isNil("data") {
            f = try fromList(try c.list("data"), kind: k, c)
        } else {
            guard !c.isNil("x"), !c.isNil("y") else { throw c.fail("plot needs data, or x: and y:") }
            let (xs, xu) = try numbers(c["x"], c, "x")
            let (ys, yu) = try numbers(c["y"], c, "y")
            guard xs.count == ys.count else { throw c.fail("y", "\(ys.count) y values for \(xs.count) x values") }
            var panel = Figure.Panel()
            panel.xlabel = withUnit("", xu)
            panel.ylabel = withUnit("", yu)
            panel.series = [Figure.Series(label: try c.string("label"), kind: k, x: xs, y: ys)]
            f = Figure(panels: [panel], columns: 1)
        }
        // Explicit labels override the ones the data brought (single-panel figures).
        if f.panels.count == 1 {
            if case .string(let t) = c["title"], !t.isEmpty { f.panels[0].title = t }
            if case .string(let t) = c["xlabel"], !t.isEmpty {
                f.panels[0].xlabel = withUnit(t, unitOf(f.panels[0].xlabel))
            }
            if case .string(let t) = c["ylabel"], !t.isEmpty {
                f.panels[0].ylabel = withUnit(t, unitOf(f.panels[0].ylabel))
            }
        } else if case .string(let t) = c["title"], !t.isEmpty {
            f.title = t
        }
        for i in f.panels.indices {
            if let (lo, hi) = try limits(c, "xlim", unit: unitOf(f.panels[i].xlabel)) {
                f.panels[i].xMin = lo
                f.panels[i].xMax = hi
            }
            if let (lo, hi) = try limits(c, "ylim", unit: unitOf(f.panels[i].ylabel)) {
                f.panels[i].yMin = lo
                f.panels[i].yMax = hi
            }
        }
        if try c.bool("ylog") {
            for i in f.panels.indices {
                if let bad = f.panels[i].yValues.first(where: { $0.isFinite && $0 <= 0 }) {
                    throw c.fail("ylog", "a logarithmic axis needs positive y values, found \(Axis.label(bad))")
                }
                f.panels[i].yLog = true
            }
        }
        return f
    }

    /// Series records {x, y, label?, kind?, lower?, upper?}, or plain records (the first numeric
    /// field is x, the others are y series).
    static func fromList(_ items: [Value], kind: Figure.Series.Kind, _ c: BuiltinCall) throws -> Figure {
        var panel = Figure.Panel()
        let records = items.compactMap { v -> Record? in if case .record(let r) = v { return r } else { return nil } }
        guard records.count == items.count, !records.isEmpty else { throw c.fail("data", "a list of records expected") }
        if let x = records[0]["x"], records[0]["y"] != nil, isSequence(x) {
            for r in records {
                let (xs, xu) = try numbers(r["x"]!, c, "data")
                let (ys, yu) = try numbers(r["y"]!, c, "data")
                var s = Figure.Series(label: r["label"].map(Format.str) ?? "", kind: kind, x: xs, y: ys)
                if case .string(let k)? = r["kind"], let kk = Figure.Series.Kind(rawValue: k) { s.kind = kk }
                if let lo = r["lower"], let hi = r["upper"] {
                    s.lower = try numbers(lo, c, "data").0
                    s.upper = try numbers(hi, c, "data").0
                }
                panel.series.append(s)
                if panel.xlabel.isEmpty { panel.xlabel = withUnit("", xu) }
                if panel.ylabel.isEmpty { panel.ylabel = withUnit("", yu) }
            }
            return Figure(panels: [panel], columns: 1)
        }
        // A training history.
        if ["epoch", "train_loss", "valid_loss", "lr"].allSatisfy({ records[0][$0] != nil }) {
            return TrainingCurves.figure(
                records.map { r in
                    (
                        Int(r["epoch"]!.asDouble ?? 0), r["train_loss"]!.asDouble ?? .nan,
                        r["valid_loss"]!.asDouble ?? .nan, r["lr"]!.asDouble ?? .nan
                    )
                }, title: "training")
        }
        // Records as rows: x is the first numeric field.
        let keys = records[0].keys.filter { k in records.allSatisfy { r in r[k].map(isNumber) ?? false } }
        guard let xKey = keys.first, keys.count >= 2 else {
            throw c.fail("data", "records need at least two numeric fields (x and y)")
        }
        let (xs, xu) = try numbers(.list(records.map { $0[xKey]! }), c, "data")
        panel.xlabel = withUnit(xKey, xu)
        var yUnit: String? = nil
        for k in keys.dropFirst() {
            let (ys, yu) = try numbers(.list(records.map { $0[k]! }), c, "data")
            yUnit = yUnit ?? yu
            panel.series.append(Figure.Series(label: k, kind: kind, x: xs, y: ys))
        }
        panel.ylabel = withUnit("", yUnit)
        return Figure(panels: [panel], columns: 1)
    }

    static func isSequence(_ v: Value) -> Bool {
        switch v {
        case .list, .range: return true
        default: return false
        }
    }

    static func isNumber(_ v: Value) -> Bool {
        switch v {
        case .int, .number, .quantity, .nil: return true
        default: return false
        }
    }

    /// Numbers from a list or range (quantities in the unit of the first one; nil → NaN).
    static func numbers(_ v: Value, _ c: BuiltinCall, _ name: String) throws -> ([Double], String?) {
        let items: [Value]
        switch v {
        case .list(let xs): items = xs
        case .range(let r): items = (try r.elements())
        default: throw c.fail(name, "a list of numbers expected, got \(v.describeForError)")
        }
        var unit: PhysicalUnit? = nil
        let out = try items.map { x -> Double in
            switch x {
            case .int, .number: return x.asDouble!
            case .nil: return .nan
            case .quantity(let q):
                if unit == nil { unit = q.unit }
                guard q.unit.dimension == unit!.dimension else {
                    throw c.fail(name, "mixes units '\(unit!.symbol)' and '\(q.unit.symbol)'")
                }
                return q.unit.convert(q.value, to: unit!)
            default: throw c.fail(name, "numbers expected, found \(x.describeForError)")
            }
        }
        return (out, unit?.symbol)
    }

    /// "latency" + "ms" → "latency (ms)".
    static func withUnit(_ label: String, _ unit: String?) -> String {
        guard let u = unit, !label.hasSuffix("(\(u))") else { return label }
        return label.isEmpty ? "(\(u))" : "\(label) (\(u))"
    }

    static func unitOf(_ label: String) -> String? {
        guard label.hasSuffix(")"), let open = label.lastIndex(of: "(") else { return nil }
        return String(label[label.index(after: open)..<label.index(before: label.endIndex)])
    }
}
