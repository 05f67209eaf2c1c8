import Foundation

/// A figure as plain JSON data (in `results.json` beside each saved SVG), and the figure of several runs of the
/// same script drawn as one: each series' mean with a ±1 std band (what `brpsh merge` writes for a sweep).
extension Figure {
    public var plainData: [String: Any] {
        var d: [String: Any] = ["columns": columns, "panels": panels.map(\.plainData)]
        if let t = title { d["title"] = t }
        return d
    }

    public init?(plainData d: [String: Any]) {
        guard let columns = d["columns"] as? Int, let panels = d["panels"] as? [[String: Any]] else { return nil }
        let ps = panels.compactMap(Panel.init(plainData:))
        guard ps.count == panels.count else { return nil }
        self.init(panels: ps, columns: columns, title: d["title"] as? String)
    }
}

extension Figure.Panel {
    public var plainData: [String: Any] {
        var d: [String: Any] = [
            "title": title, "xlabel": xlabel, "ylabel": ylabel, "ylog": yLog,
            "series": series.map(\.plainData),
        ]
        for (k, v) in [("ymin", yMin), ("ymax", yMax), ("xmin", xMin), ("xmax", xMax)] { if let v { d[k] = v } }
        return d
    }

    public init?(plainData d: [String: Any]) {
        guard let series = d["series"] as? [[String: Any]] else { return nil }
        let ss = series.compactMap(Figure.Series.init(plainData:))
        guard ss.count == series.count else { return nil }
        self.init(
            title: d["title"] as? String ?? "", xlabel: d["xlabel"] as? String ?? "",
            ylabel: d["ylabel"] as? String ?? "", series: ss, yMin: FigureNumbers.double(d["ymin"]),
            yMax: FigureNumbers.double(d["ymax"]), xMin: FigureNumbers.double(d["xmin"]),
            xMax: FigureNumbers.double(d["xmax"]), yLog: d["ylog"] as? Bool ?? false)
    }
}

extension Figure.Series {
    public var plainData: [String: Any] {
        var d: [String: Any] = [
            "label": label, "kind": kind.rawValue, "x": x.map(FigureNumbers.plain),
            "y": y.map(FigureNumbers.plain), "reference": reference,
        ]
        if let l = lower { d["lower"] = l.map(FigureNumbers.plain) }
        if let u = upper { d["upper"] = u.map(FigureNumbers.plain) }
        return d
    }

    public init?(plainData d: [String: Any]) {
        guard let kind = (d["kind"] as? String).flatMap(Kind.init(rawValue:)),
            let x = FigureNumbers.doubles(d["x"]), let y = FigureNumbers.doubles(d["y"]), x.count == y.count
        else { return nil }
        self.init(
            label: d["label"] as? String ?? "", kind: kind, x: x, y: y,
            lower: FigureNumbers.doubles(d["lower"]), upper: FigureNumbers.doubles(d["upper"]),
            reference: d["reference"] as? Bool ?? false)
    }
}

/// JSON has no NaN or infinity: a missing point is null in the data and NaN in a series.
public enum FigureNumbers {
    public static func plain(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
    public static func double(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue ?? (v as? Double) }
    public static func doubles(_ v: Any?) -> [Double]? {
        guard let xs = v as? [Any] else { return nil }
        return xs.map { double($0) ?? .nan }
    }
}

/// Figures of several runs of one script drawn as one (what `brpsh merge` writes for a sweep).
public enum MergedFigure {
    /// One figure from the same figure of several runs: every line series becomes its mean over the runs with a
    /// band of ±1 sample standard deviation (n − 1); scatter and reference series are kept from the first run.
    /// Nil when the runs' figures differ in layout (panels, series, x values), which a merge reports.
    public static func svg(_ runs: [[String: Any]]) -> String? {
        let figures = runs.compactMap(Figure.init(plainData:))
        guard figures.count == runs.count, var merged = figures.first else { return nil }
        for (p, panel) in merged.panels.enumerated() {
            for (s, series) in panel.series.enumerated() where series.kind == .line && !series.reference {
                var ys: [[Double]] = []
                for f in figures {
                    guard p < f.panels.count, s < f.panels[p].series.count else { return nil }
                    let other = f.panels[p].series[s]
                    guard
                        other.x == series.x || zip(other.x, series.x).allSatisfy({ $0.isNaN && $1.isNaN || $0 == $1 }),
                        other.x.count == series.x.count
                    else { return nil }
                    ys.append(other.y)
                }
                var mean = [Double]()
                var lower = [Double]()
                var upper = [Double]()
                for i in series.x.indices {
                    let column = ys.map { $0[i] }
                    let m = column.reduce(0, +) / Double(column.count)
                    let sd =
                        column.count > 1
                        ? (column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(column.count - 1)).squareRoot() : 0
                    mean.append(m)
                    lower.append(m - sd)
                    upper.append(m + sd)
                }
                merged.panels[p].series[s].y = mean
                merged.panels[p].series[s].lower = figures.count > 1 ? lower : series.lower
                merged.panels[p].series[s].upper = figures.count > 1 ? upper : series.upper
                if figures.count > 1 {
                    merged.panels[p].series[s].label =
                        series.label.isEmpty ? "" : "\(series.label) (n = \(figures.count))"
                }
            }
        }
        return SVGRenderer().render(merged)
    }
}

/// A saved figure kept for results.json.
public final class FigureBox {
    public let figure: Figure
    public init(_ f: Figure) { figure = f }
}
