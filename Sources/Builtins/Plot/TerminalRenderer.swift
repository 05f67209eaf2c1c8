/// Renders a figure as compact Unicode charts (Braille dots, 2×4 per character), one per panel,
/// with the axis ranges and a legend; colours by series when `color` is set (ANSI).
struct TerminalRenderer {
    let width = 56
    let height = 12
    let color: Bool

    static let ansi = ["\u{1B}[34m", "\u{1B}[33m", "\u{1B}[32m", "\u{1B}[31m", "\u{1B}[35m", "\u{1B}[36m"]
    static let marks = ["•", "+", "x", "o", "*", "#"]

    func render(_ f: Figure) -> String {
        var out: [String] = []
        if let t = f.title { out.append(t) }
        for p in f.panels { out.append(renderPanel(p)) }
        return out.joined(separator: "\n")
    }

    func renderPanel(_ p: Figure.Panel) -> String {
        let ax = Axis(p.series.flatMap(\.x)), ay = Axis(p.yValues, log: p.yLog)
        let dw = width * 2, dh = height * 4
        var dots = [UInt8](repeating: 0, count: width * height)
        var owner = [Int](repeating: -1, count: width * height)
        func plot(_ x: Double, _ y: Double, _ k: Int) {
            guard x.isFinite, y.isFinite else { return }
            let dx = Int((ax.fraction(x) * Double(dw - 1)).rounded()), dy = Int(((1 - ay.fraction(y)) * Double(dh - 1)).rounded())
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
        let yLabels = (hi: Axis.label(ay.hi), lo: Axis.label(ay.lo))
        let pad = max(yLabels.hi.count, yLabels.lo.count)
        var lines: [String] = []
        if !p.title.isEmpty { lines.append(String(repeating: " ", count: pad + 1) + p.title) }
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
            let label = r == 0 ? yLabels.hi : (r == height - 1 ? yLabels.lo : "")
            lines.append(String(repeating: " ", count: pad - label.count) + label + "┤" + row)
        }
        lines.append(String(repeating: " ", count: pad) + "└" + String(repeating: "─", count: width))
        let xl = Axis.label(ax.lo), xh = Axis.label(ax.hi)
        let axisText = xl + String(repeating: " ", count: max(1, width - xl.count - xh.count)) + xh
        lines.append(String(repeating: " ", count: pad + 1) + axisText)
        var caption = p.xlabel.isEmpty ? "" : "x: \(p.xlabel)"
        if !p.ylabel.isEmpty { caption += (caption.isEmpty ? "" : "   ") + "y: \(p.ylabel)" }
        if !caption.isEmpty { lines.append(String(repeating: " ", count: pad + 1) + caption) }
        let legend = p.series.enumerated().filter { !$0.element.label.isEmpty }.map { k, s -> String in
            let mark = color ? TerminalRenderer.ansi[k % TerminalRenderer.ansi.count] + "━━" + "\u{1B}[0m" : "series \(k + 1)"
            return "\(mark) \(s.label)"
        }
        if !legend.isEmpty { lines.append(String(repeating: " ", count: pad + 1) + legend.joined(separator: "   ")) }
        return lines.joined(separator: "\n")
    }
}
