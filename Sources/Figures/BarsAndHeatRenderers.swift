import Foundation

/// How bar charts and heat maps are drawn, in SVG and on the terminal.
extension SVGRenderer {
    /// Bars in groups over the categories, with error bars; the y axis starts at 0 unless limited.
    public func renderBars(_ p: Figure.Panel, index: Int, x ox: Double, y oy: Double) -> String {
        let px = ox + margin.left
        let py = oy + margin.top
        let pw = plotWidth
        let ph = plotHeight
        let cats = p.categories ?? []
        let ay = Axis(p.yValues).limited(p.yMin, p.yMax)
        func sy(_ v: Double) -> Double { py + (1 - min(1, max(0, ay.fraction(v)))) * ph }
        var s = "<g class=\"panel bars\" id=\"panel-\(index)\">\n" + panelTitle(p.title, x: px + pw / 2, y: oy + 18)
        for t in ay.ticks {
            let y = sy(t)
            s +=
                "<line x1=\"\(fmt(px))\" y1=\"\(fmt(y))\" x2=\"\(fmt(px + pw))\" y2=\"\(fmt(y))\" stroke=\"#e6e6e6\" stroke-width=\"0.8\"/>\n"
            s +=
                "<text class=\"tick\" x=\"\(fmt(px - 7))\" y=\"\(fmt(y + 3.5))\" text-anchor=\"end\" font-size=\"10\">\(Axis.label(t))</text>\n"
        }
        let group = pw / Double(max(1, cats.count))
        let bar = group * 0.8 / Double(max(1, p.series.count))
        let base = sy(max(ay.lo, min(ay.hi, 0)))
        let colors = SVGRenderer.colors(p.series)
        for (j, series) in p.series.enumerated() {
            for (i, v) in series.y.enumerated() where v.isFinite {
                let x = px + Double(i) * group + group * 0.1 + Double(j) * bar
                let top = sy(v)
                s +=
                    "<rect class=\"bar\" data-label=\"\(escape(series.label))\" x=\"\(fmt(x))\" y=\"\(fmt(min(top, base)))\" width=\"\(fmt(bar * 0.92))\" height=\"\(fmt(abs(base - top)))\" fill=\"\(colors[j])\"/>\n"
                if let e = series.err?[i], e > 0 {
                    let cx = x + bar * 0.46
                    s +=
                        "<path class=\"err\" d=\"M\(fmt(cx)),\(fmt(sy(v - e)))V\(fmt(sy(v + e)))M\(fmt(cx - 3)),\(fmt(sy(v - e)))h6M\(fmt(cx - 3)),\(fmt(sy(v + e)))h6\" stroke=\"black\" stroke-width=\"1\" fill=\"none\"/>\n"
                }
            }
        }
        for (i, name) in cats.enumerated() {
            s +=
                "<text class=\"tick\" x=\"\(fmt(px + (Double(i) + 0.5) * group))\" y=\"\(fmt(py + ph + 16))\" text-anchor=\"middle\" font-size=\"10\">\(escape(name))</text>\n"
        }
        s += frame(p, ox: ox, px: px, py: py)
        let named = p.series.enumerated().filter { !$0.element.label.isEmpty }
        for (row, (k, series)) in named.enumerated() {
            let y = py + 12 + Double(row) * 14
            s += "<rect x=\"\(fmt(px + 8))\" y=\"\(fmt(y - 8))\" width=\"10\" height=\"8\" fill=\"\(colors[k])\"/>\n"
            s += "<text x=\"\(fmt(px + 22))\" y=\"\(fmt(y))\" font-size=\"10\">\(escape(series.label))</text>\n"
        }
        return s + "</g>\n"
    }

    /// Shaded cells (white to blue from the smallest value to the largest) with their values, labels left and top.
    public func renderHeat(_ h: Figure.Heat, title: String, index: Int, x ox: Double, y oy: Double) -> String {
        let top = oy + margin.top + 14
        let left = ox + margin.left
        let cell = min(plotWidth / Double(h.cols.count), (plotHeight - 14) / Double(h.rows.count))
        var s =
            "<g class=\"panel heatmap\" id=\"panel-\(index)\">\n"
            + panelTitle(title, x: left + cell * Double(h.cols.count) / 2, y: oy + 18)
        for (j, name) in h.cols.enumerated() {
            s +=
                "<text class=\"col\" x=\"\(fmt(left + (Double(j) + 0.5) * cell))\" y=\"\(fmt(top - 4))\" text-anchor=\"middle\" font-size=\"9\">\(escape(name))</text>\n"
        }
        for (i, name) in h.rows.enumerated() {
            let y = top + Double(i) * cell
            s +=
                "<text class=\"row\" x=\"\(fmt(left - 4))\" y=\"\(fmt(y + cell / 2 + 3))\" text-anchor=\"end\" font-size=\"9\">\(escape(name))</text>\n"
            for (j, v) in h.values[i].enumerated() {
                let x = left + Double(j) * cell
                guard v.isFinite else {
                    s +=
                        "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(cell))\" height=\"\(fmt(cell))\" fill=\"#f4f4f4\" stroke=\"white\"/>\n"
                    continue
                }
                let f = h.shade(v)
                let (r, g, b) = (255 - f * (255 - 31), 255 - f * (255 - 119), 255 - f * (255 - 180))
                let fill = String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
                s +=
                    "<rect class=\"cell\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(cell))\" height=\"\(fmt(cell))\" fill=\"\(fill)\" stroke=\"white\"/>\n"
                s +=
                    "<text x=\"\(fmt(x + cell / 2))\" y=\"\(fmt(y + cell / 2 + 3))\" text-anchor=\"middle\" font-size=\"\(fmt(min(10, cell / 4)))\" fill=\"\(f > 0.6 ? "white" : "black")\">\(h.text(v))</text>\n"
            }
        }
        return s + "</g>\n"
    }
}

extension TerminalRenderer {
    /// One line per bar: group, label, a bar of block characters scaled to the largest value, the value (± error).
    public func renderBars(_ p: Figure.Panel, width: Int) -> [String] {
        let cats = p.categories ?? []
        var lines: [String] = p.title.isEmpty ? [] : [p.title]
        let catWidth = cats.map(\.count).max() ?? 0
        let labelWidth = p.series.map(\.label.count).max() ?? 0
        let top =
            p.series.flatMap { s in zip(s.y, s.err ?? s.y.map { _ in 0 }).map { $0 + $1 } }.filter(\.isFinite).max()
            ?? 1
        let room = max(8, width - catWidth - labelWidth - 20)
        for (i, cat) in cats.enumerated() {
            for (k, s) in p.series.enumerated() {
                let v = s.y[i]
                let head =
                    (k == 0 ? cat : "").padding(toLength: catWidth, withPad: " ", startingAt: 0) + "  "
                    + s.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                guard v.isFinite else {
                    lines.append(head + "  –")
                    continue
                }
                let eighths = top > 0 ? Int((max(0, v) / top * Double(room) * 8).rounded()) : 0
                var bar = String(repeating: "█", count: eighths / 8)
                if eighths % 8 > 0 { bar += String(["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]) }
                if color { bar = TerminalRenderer.ansi[k % TerminalRenderer.ansi.count] + bar + "\u{1B}[0m" }
                let err = s.err.map { $0[i] > 0 ? " ± " + TerminalRenderer.short($0[i]) : "" } ?? ""
                lines.append(head + "  " + bar + " " + TerminalRenderer.short(v) + err)
            }
        }
        if !p.ylabel.isEmpty { lines.append("(\(p.ylabel))") }
        return lines
    }

    /// A value for a bar's label: one decimal from 10 up, two below.
    public static func short(_ v: Double) -> String { String(format: abs(v) >= 10 ? "%.1f" : "%.2f", v) }

    /// The matrix as a table, each value with a shade block (░ ▒ ▓ █ from the smallest to the largest).
    public func renderHeat(_ h: Figure.Heat, title: String) -> [String] {
        let rowWidth = h.rows.map(\.count).max() ?? 0
        let cellWidth = max(h.digits + 5, (h.cols.map(\.count).max() ?? 0) + 1)
        var lines: [String] = title.isEmpty ? [] : [title]
        lines.append(
            String(repeating: " ", count: rowWidth)
                + h.cols.map { " " + String(repeating: " ", count: max(0, cellWidth - $0.count)) + $0 }.joined())
        for (i, name) in h.rows.enumerated() {
            var line = name.padding(toLength: rowWidth, withPad: " ", startingAt: 0)
            for v in h.values[i] {
                let text = v.isFinite ? ["░", "▒", "▓", "█"][min(3, Int(h.shade(v) * 4))] + " " + h.text(v) : ""
                line += String(repeating: " ", count: max(1, cellWidth - text.count + 1)) + text
            }
            lines.append(line)
        }
        return lines
    }
}
