import Foundation

/// Renders a figure as a standalone SVG document that looks like a paper's figure: framed axes
/// with ticks and tick labels, axis labels with units, light grid lines, a legend.
public struct SVGRenderer {
    public let panelWidth = 380.0
    public let panelHeight = 270.0
    public let margin = (left: 62.0, right: 14.0, top: 28.0, bottom: 46.0)
    /// The plot area of a panel (inside the axes).
    public init() {}

    public var plotWidth: Double { panelWidth - margin.left - margin.right }
    public var plotHeight: Double { panelHeight - margin.top - margin.bottom }

    /// The legend's box for a panel: wide enough for the longest label, a row per named series.
    public func legendSize(_ p: Figure.Panel) -> (width: Double, height: Double)? {
        let named = p.series.filter { !$0.label.isEmpty }
        guard let longest = named.map(\.label.count).max() else { return nil }
        return (Double(longest) * 6.2 + 34, Double(named.count) * 15 + 6)
    }

    /// A legend taller than a third of the plot area or wider than half of it would hide data in
    /// any corner; then every panel of the figure gets a column to the right of its frame for it.
    public func outsideLegendWidth(_ f: Figure) -> Double {
        let sizes = f.panels.compactMap(legendSize)
        guard sizes.contains(where: { $0.height > plotHeight / 3 || $0.width > plotWidth / 2 }) else { return 0 }
        return (sizes.map(\.width).max() ?? 0) + 10
    }

    public func render(_ f: Figure) -> String {
        let cols = max(1, min(f.columns, f.panels.count))
        let rows = (f.panels.count + cols - 1) / cols
        let titleHeight = f.title == nil ? 0.0 : 26
        let legendColumn = outsideLegendWidth(f)
        let cellWidth = panelWidth + legendColumn
        let width = Double(cols) * cellWidth
        let height = Double(rows) * panelHeight + titleHeight
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>

            """
        if let t = f.title {
            out +=
                "<text class=\"figure-title\" x=\"\(fmt(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(escape(t))</text>\n"
        }
        for (i, panel) in f.panels.enumerated() {
            let ox = Double(i % cols) * cellWidth
            let oy = Double(i / cols) * panelHeight + titleHeight
            out += renderPanel(panel, index: i, x: ox, y: oy, legendOutside: legendColumn > 0)
        }
        return out + "</svg>\n"
    }

    public func renderPanel(_ p: Figure.Panel, index: Int, x ox: Double, y oy: Double, legendOutside: Bool = false)
        -> String
    {
        if let h = p.heat { return renderHeat(h, title: p.title, index: index, x: ox, y: oy) }
        if p.categories != nil { return renderBars(p, index: index, x: ox, y: oy) }
        let px = ox + margin.left
        let py = oy + margin.top
        let pw = plotWidth
        let ph = plotHeight
        let xs = p.xValues
        let ys = p.yValues
        let ax = Axis(xs).limited(p.xMin, p.xMax)
        let ay = Axis(ys, log: p.yLog).limited(p.yMin, p.yMax)
        func sx(_ v: Double) -> Double { px + ax.fraction(v) * pw }
        func sy(_ v: Double) -> Double { py + (1 - ay.fraction(v)) * ph }
        var s = "<g class=\"panel\" id=\"panel-\(index)\">\n"
        s += panelTitle(p.title, x: px + pw / 2, y: oy + 18)
        // Grid and ticks.
        for t in ax.ticks {
            let x = sx(t)
            s +=
                "<line x1=\"\(fmt(x))\" y1=\"\(fmt(py))\" x2=\"\(fmt(x))\" y2=\"\(fmt(py + ph))\" stroke=\"#e6e6e6\" stroke-width=\"0.8\"/>\n"
            s +=
                "<line x1=\"\(fmt(x))\" y1=\"\(fmt(py + ph))\" x2=\"\(fmt(x))\" y2=\"\(fmt(py + ph + 4))\" stroke=\"black\"/>\n"
            s +=
                "<text class=\"tick\" x=\"\(fmt(x))\" y=\"\(fmt(py + ph + 16))\" text-anchor=\"middle\" font-size=\"10\">\(Axis.label(t))</text>\n"
        }
        for t in ay.ticks {
            let y = sy(t)
            s +=
                "<line x1=\"\(fmt(px))\" y1=\"\(fmt(y))\" x2=\"\(fmt(px + pw))\" y2=\"\(fmt(y))\" stroke=\"#e6e6e6\" stroke-width=\"0.8\"/>\n"
            s += "<line x1=\"\(fmt(px - 4))\" y1=\"\(fmt(y))\" x2=\"\(fmt(px))\" y2=\"\(fmt(y))\" stroke=\"black\"/>\n"
            s +=
                "<text class=\"tick\" x=\"\(fmt(px - 7))\" y=\"\(fmt(y + 3.5))\" text-anchor=\"end\" font-size=\"10\">\(Axis.label(t))</text>\n"
        }
        s += frame(p, ox: ox, px: px, py: py)
        if let note = p.clippedNote {
            s +=
                "<text class=\"clipped\" x=\"\(fmt(px + pw - 4))\" y=\"\(fmt(py + ph - 5))\" text-anchor=\"end\" font-size=\"9\" fill=\"#666\">\(escape(note))</text>\n"
        }
        // Series, clipped to the plot area.
        s +=
            "<clipPath id=\"clip-\(index)\"><rect x=\"\(fmt(px))\" y=\"\(fmt(py))\" width=\"\(fmt(pw))\" height=\"\(fmt(ph))\"/></clipPath>\n"
        s += "<g clip-path=\"url(#clip-\(index))\">\n"
        let colors = SVGRenderer.colors(p.series)
        // References first, so the data is drawn over them.
        for k in p.series.indices.sorted(by: {
            (p.series[$0].reference ? 0 : 1, $0) < (p.series[$1].reference ? 0 : 1, $1)
        }) {
            let series = p.series[k]
            let color = colors[k]
            let dash = SVGRenderer.dash(series)
            let label = escape(series.label)
            if let lo = series.lower, let hi = series.upper {
                let upper = zip(series.x, hi).filter { $0.0.isFinite && $0.1.isFinite }.map {
                    "\(fmt(sx($0.0))),\(fmt(sy($0.1)))"
                }
                let lower = zip(series.x, lo).filter { $0.0.isFinite && $0.1.isFinite }.reversed().map {
                    "\(fmt(sx($0.0))),\(fmt(sy($0.1)))"
                }
                s +=
                    "<polygon class=\"band\" data-label=\"\(label)\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
            switch series.kind {
            case .line:
                // Missing values (NaN) break the line into segments.
                var segments: [[String]] = [[]]
                for (x, y) in zip(series.x, series.y) {
                    if x.isFinite && y.isFinite {
                        segments[segments.count - 1].append("\(fmt(sx(x))),\(fmt(sy(y)))")
                    } else if !(segments.last?.isEmpty ?? true) {
                        segments.append([])
                    }
                }
                for seg in segments where !seg.isEmpty {
                    s +=
                        "<polyline class=\"series\" data-label=\"\(label)\" points=\"\(seg.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(series.reference ? "1.2" : "1.6")\"\(dash)/>\n"
                }
            case .scatter, .bar:
                s += "<g class=\"series\" data-label=\"\(label)\" fill=\"\(color)\" fill-opacity=\"0.55\">\n"
                for (x, y) in zip(series.x, series.y) where x.isFinite && y.isFinite {
                    s += "<circle cx=\"\(fmt(sx(x)))\" cy=\"\(fmt(sy(y)))\" r=\"1.3\"/>\n"
                }
                s += "</g>\n"
            }
        }
        s += "</g>\n"
        // Legend: beside the frame when the figure reserved a column for it, otherwise in the
        // corner of the frame that covers the fewest data points.
        let named = p.series.enumerated().filter { !$0.element.label.isEmpty }
        if let (lw, lh) = legendSize(p) {
            let lx: Double
            let ly: Double
            if legendOutside {
                (lx, ly) = (px + pw + 10, py)
            } else {
                let points = p.series.flatMap { sr in
                    zip(sr.x, sr.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (sx($0.0), sy($0.1)) }
                }
                let corners = [
                    (px + 6, py + 6), (px + pw - lw - 6, py + 6), (px + 6, py + ph - lh - 6),
                    (px + pw - lw - 6, py + ph - lh - 6),
                ]
                let covered = corners.map { c in
                    points.filter { $0.0 >= c.0 && $0.0 <= c.0 + lw && $0.1 >= c.1 && $0.1 <= c.1 + lh }.count
                }
                (lx, ly) = corners[covered.firstIndex(of: covered.min()!)!]
            }
            s +=
                "<g class=\"legend\">\n<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly))\" width=\"\(fmt(lw))\" height=\"\(fmt(lh))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbbbbb\"/>\n"
            for (row, (k, series)) in named.enumerated() {
                let color = colors[k]
                let y = ly + 13 + Double(row) * 15
                if series.kind == .scatter {
                    s += "<circle cx=\"\(fmt(lx + 14))\" cy=\"\(fmt(y - 4))\" r=\"3\" fill=\"\(color)\"/>\n"
                } else {
                    s +=
                        "<line x1=\"\(fmt(lx + 6))\" y1=\"\(fmt(y - 4))\" x2=\"\(fmt(lx + 22))\" y2=\"\(fmt(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(SVGRenderer.dash(series))/>\n"
                }
                s += "<text x=\"\(fmt(lx + 27))\" y=\"\(fmt(y))\" font-size=\"10\">\(escape(series.label))</text>\n"
            }
            s += "</g>\n"
        }
        return s + "</g>\n"
    }

    public func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    public func panelTitle(_ title: String, x: Double, y: Double) -> String {
        "<text class=\"panel-title\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">\(escape(title))</text>\n"
    }

    /// The plot area's frame and the axis labels.
    public func frame(_ p: Figure.Panel, ox: Double, px: Double, py: Double) -> String {
        let pw = plotWidth
        let ph = plotHeight
        return
            "<rect x=\"\(fmt(px))\" y=\"\(fmt(py))\" width=\"\(fmt(pw))\" height=\"\(fmt(ph))\" fill=\"none\" stroke=\"black\"/>\n"
            + "<text class=\"xlabel\" x=\"\(fmt(px + pw / 2))\" y=\"\(fmt(py + ph + 34))\" text-anchor=\"middle\" font-size=\"11\">\(escape(p.xlabel))</text>\n"
            + "<text class=\"ylabel\" transform=\"translate(\(fmt(ox + 14)),\(fmt(py + ph / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\">\(escape(p.ylabel))</text>\n"
    }

    public func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The dash attribute of a reference line (empty for data series).
    public static func dash(_ s: Figure.Series) -> String { s.reference ? " stroke-dasharray=\"5,4\"" : "" }

    /// Palette colours for the data series in order; grey for references.
    public static func colors(_ series: [Figure.Series]) -> [String] {
        var next = 0
        return series.map { s in
            if s.reference { return "#555555" }
            defer { next += 1 }
            return Figure.palette[next % Figure.palette.count]
        }
    }
}
