import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Renders a figure as compact Unicode charts (Braille dots, 2×4 per character), one per panel, as wide as the
/// terminal and side by side when it has room; each axis labelled at its ticks, a legend, the number of points
/// outside the axes' limits; colours by series when `color` is set (ANSI).
public struct TerminalRenderer {
    public let color: Bool
    /// The columns available (the terminal's width).
    public let columns: Int
    public let height = 12
    /// The narrowest panel worth drawing (axis labels included).
    public static let minPanel = 44

    public static let ansi = ["\u{1B}[34m", "\u{1B}[33m", "\u{1B}[32m", "\u{1B}[31m", "\u{1B}[35m", "\u{1B}[36m"]

    public init(color: Bool, columns: Int = TerminalRenderer.terminalColumns()) {
        self.color = color
        self.columns = max(TerminalRenderer.minPanel, min(columns, 400))
    }

    /// The width of the terminal on standard output, else $COLUMNS, else 80.
    public static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 80
    }

    public func render(_ f: Figure) -> String {
        var out: [String] = []
        if let t = f.title { out.append(t) }
        let perRow = max(1, min(f.panels.count, min(max(1, f.columns), columns / (TerminalRenderer.minPanel + 2))))
        let panelWidth = perRow == 1 ? columns : (columns - 2 * (perRow - 1)) / perRow
        var i = 0
        while i < f.panels.count {
            let panels = f.panels[i..<min(i + perRow, f.panels.count)]
            let titled = panels.contains { !$0.title.isEmpty }  // a title line for all, so the frames line up
            let row = panels.map { renderPanel($0, width: panelWidth, titleLine: titled) }
            let tallest = row.map(\.count).max() ?? 0
            for line in 0..<tallest {
                out.append(
                    row.map { lines in
                        let text = line < lines.count ? lines[line] : ""
                        return text
                            + String(repeating: " ", count: max(0, panelWidth - TerminalRenderer.visibleWidth(text)))
                    }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
            i += perRow
        }
        return out.joined(separator: "\n")
    }

    /// Characters a line takes on screen (ANSI colour codes take none).
    public static func visibleWidth(_ s: String) -> Int {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).count
    }

    public func renderPanel(_ p: Figure.Panel, width total: Int, titleLine: Bool = false) -> [String] {
        if let h = p.heat { return renderHeat(h, title: p.title) }
        if p.categories != nil { return renderBars(p, width: total) }
        let ax = Axis(p.xValues).limited(p.xMin, p.xMax)
        let ay = Axis(p.yValues, log: p.yLog).limited(p.yMin, p.yMax)
        // Tick labels on the y axis: every tick that gets a row of its own.
        var yLabels: [Int: String] = [:]
        for t in ay.ticks {
            let r = Int(((1 - ay.fraction(t)) * Double(height - 1)).rounded())
            if r >= 0, r < height, yLabels[r] == nil { yLabels[r] = Axis.label(t) }
        }
        let pad = yLabels.values.map(\.count).max() ?? 1
        let width = max(10, total - pad - 1)
        let dw = width * 2
        let dh = height * 4
        var dots = [UInt8](repeating: 0, count: width * height)
        var owner = [Int](repeating: -1, count: width * height)
        func plot(_ x: Double, _ y: Double, _ k: Int) {
            guard x.isFinite, y.isFinite else { return }
            let fx = ax.fraction(x)
            let fy = ay.fraction(y)
            guard fx >= -1e-9, fx <= 1 + 1e-9, fy >= -1e-9, fy <= 1 + 1e-9 else { return }  // outside the limits
            let dx = Int((fx * Double(dw - 1)).rounded())
            let dy = Int(((1 - fy) * Double(dh - 1)).rounded())
            guard dx >= 0, dx < dw, dy >= 0, dy < dh else { return }
            let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
            let cell = (dy / 4) * width + dx / 2
            dots[cell] |= bits[dy % 4][dx % 2]
            owner[cell] = k
        }
        for (k, s) in p.series.enumerated() {
            let pts = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }
            if s.kind == .line {
                for (a, b) in zip(pts, pts.dropFirst()) {
                    let steps = 2 * max(dw, dh)
                    for i in 0...steps {
                        let t = Double(i) / Double(steps)
                        plot(a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, k)
                    }
                }
            }
            for (x, y) in pts { plot(x, y, k) }
        }
        let indent = String(repeating: " ", count: pad + 1)
        var lines: [String] = []
        if !p.title.isEmpty || titleLine { lines.append(indent + p.title) }
        for r in 0..<height {
            var row = ""
            for c in 0..<width {
                let cell = r * width + c
                let ch = dots[cell] == 0 ? " " : String(UnicodeScalar(0x2800 + UInt32(dots[cell]))!)
                if color, owner[cell] >= 0, dots[cell] != 0 {
                    row += TerminalRenderer.ansi[owner[cell] % TerminalRenderer.ansi.count] + ch + "\u{1B}[0m"
                } else {
                    row += ch
                }
            }
            let label = yLabels[r] ?? ""
            lines.append(
                String(repeating: " ", count: pad - label.count) + label + (yLabels[r] == nil ? "│" : "┤") + row)
        }
        // The x axis: a tick mark and a label at each tick whose label fits without touching the previous one.
        var axis = [Character](repeating: "─", count: width)
        var text = [Character](repeating: " ", count: width)
        var free = 0
        for t in ax.ticks {
            let c = Int((ax.fraction(t) * Double(width - 1)).rounded())
            guard c >= 0, c < width else { continue }
            axis[c] = "┬"
            let label = Array(Axis.label(t))
            let start = min(max(0, c - label.count / 2), width - label.count)
            guard start >= free, label.count <= width else { continue }
            for (j, ch) in label.enumerated() { text[start + j] = ch }
            free = start + label.count + 1
        }
        lines.append(String(repeating: " ", count: pad) + "└" + String(axis))
        lines.append(indent + String(text).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        var caption = p.xlabel.isEmpty ? "" : "x: \(p.xlabel)"
        if !p.ylabel.isEmpty { caption += (caption.isEmpty ? "" : "   ") + "y: \(p.ylabel)" }
        if !caption.isEmpty { lines.append(indent + caption) }
        if let note = p.clippedNote { lines.append(indent + "(" + note + ")") }
        let legend = p.series.enumerated().filter { !$0.element.label.isEmpty }.map { k, s -> String in
            let mark =
                color ? TerminalRenderer.ansi[k % TerminalRenderer.ansi.count] + "━━" + "\u{1B}[0m" : "series \(k + 1)"
            return "\(mark) \(s.label)"
        }
        if !legend.isEmpty { lines.append(indent + legend.joined(separator: "   ")) }
        return lines
    }
}
