/// A figure: panels of series, laid out in a grid. Rendered as SVG (`save(fig, "f.svg")`) or as
/// a Unicode chart in the terminal.
struct Figure {
    var panels: [Panel]
    var columns: Int
    var title: String?

    struct Panel {
        var title = ""
        var xlabel = ""
        var ylabel = ""
        var series: [Series] = []
        /// Axis limits (`xlim:`, `ylim:`, or a lower y end when the interesting range is narrow). Points outside
        /// are not drawn, and the panel says how many (`clipped`): data is never cut off silently.
        var yMin: Double? = nil
        var yMax: Double? = nil
        var xMin: Double? = nil
        var xMax: Double? = nil
        /// A logarithmic y axis (every y value positive or missing).
        var yLog = false
        /// A bar chart: the x positions 0, 1, ... are these categories, the series are groups of bars.
        var categories: [String]? = nil
        /// A heat map instead of series.
        var heat: Heat? = nil

        static func within(_ values: [Double], _ lo: Double?, _ hi: Double?) -> [Double] {
            let low = lo ?? -.infinity
            let high = hi ?? .infinity
            return values.filter { $0 >= low && $0 <= high } + [lo, hi].compactMap { $0 }
        }

        /// The y values that set the axis range (bars start at 0, and their error bars count).
        var yValues: [Double] {
            var values: [Double] = []
            for s in series {
                values += s.y
                values += s.lower ?? []
                values += s.upper ?? []
                if categories != nil, let err = s.err {
                    for (y, e) in zip(s.y, err) { values += [y - e, y + e] }
                }
            }
            if categories != nil { values.append(0) }
            return Panel.within(values, yMin, yMax)
        }

        /// The x values that set the axis range.
        var xValues: [Double] { Panel.within(series.flatMap(\.x), xMin, xMax) }

        /// Data points (of series that are not reference lines) outside the limits.
        var clipped: Int {
            let x0 = xMin ?? -.infinity
            let x1 = xMax ?? .infinity
            let y0 = yMin ?? -.infinity
            let y1 = yMax ?? .infinity
            var n = 0
            for s in series where !s.reference {
                for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite {
                    if x < x0 || x > x1 || y < y0 || y > y1 { n += 1 }
                }
            }
            return n
        }

        /// "3 points outside the axes are not drawn", or nil.
        var clippedNote: String? {
            let n = clipped
            return n == 0 ? nil : "\(n) point\(n == 1 ? "" : "s") outside the axes \(n == 1 ? "is" : "are") not drawn"
        }
    }

    /// A matrix of values over row and column labels, drawn as shaded cells with their values.
    struct Heat {
        var rows: [String]
        var cols: [String]
        /// rows × cols; NaN for a missing value (an empty cell).
        var values: [[Double]]
        var digits = 3
        var finite: [Double] { values.flatMap { $0 }.filter(\.isFinite) }
        /// The shade of a value: 0 for the smallest, 1 for the largest.
        func shade(_ v: Double) -> Double {
            guard let lo = finite.min(), let hi = finite.max(), hi > lo else { return 0.5 }
            return (v - lo) / (hi - lo)
        }
        func text(_ v: Double) -> String { v.isFinite ? String(format: "%.\(digits)f", v) : "" }
    }

    struct Series {
        enum Kind: String {
            case line
            case scatter
            case bar
        }

        var label: String
        var kind: Kind
        var x: [Double]
        var y: [Double]
        /// A shaded band (mean ± std) drawn under a line.
        var lower: [Double]?
        var upper: [Double]?
        /// Error bars (± this) on bars.
        var err: [Double]? = nil
        /// A reference line (an optimum, a limit): dashed, grey, drawn under the data series,
        /// and not taking a colour from the palette.
        var reference = false
    }

    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]
}

/// Axis scales: data bounds and "nice" ticks (steps of 1, 2 or 5 × 10^k); on a logarithmic
/// axis, whole decades with ticks at 10^k (and 2 and 5 × 10^k when it spans at most two decades).
struct Axis {
    let lo: Double
    let hi: Double
    let ticks: [Double]
    let log: Bool

    init(_ values: [Double], log: Bool = false) {
        self.log = log
        if log {
            let positive = values.filter { $0.isFinite && $0 > 0 }
            let a = floor(log10(positive.min() ?? 1))
            let b = max(a + 1, ceil(log10(positive.max() ?? 10)))
            let top = pow10(b)
            let mantissas: [Double] = b - a <= 2 ? [1, 2, 5] : [1]
            lo = pow10(a)
            hi = top
            ticks = stride(from: a, through: b, by: 1).flatMap { e in mantissas.map { $0 * pow10(e) } }.filter {
                $0 <= top * (1 + 1e-9)
            }
            return
        }
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? 1
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / 5
        let magnitude = pow10(floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = (lo / step).rounded(.down) * step
        let last = (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        var t = first
        while t <= last + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        self.lo = first
        self.hi = last
        self.ticks = ticks
    }

    private init(lo: Double, hi: Double, ticks: [Double], log: Bool) {
        self.lo = lo
        self.hi = hi
        self.ticks = ticks
        self.log = log
    }

    /// The axis with the given ends exactly (a limit the user set), its ticks inside them.
    func limited(_ low: Double?, _ high: Double?) -> Axis {
        let l = low ?? lo
        let h = high ?? hi
        guard l < h, !log || l > 0 else { return self }
        return Axis(
            lo: l, hi: h, ticks: ticks.filter { $0 >= l - 1e-12 * abs(l) && $0 <= h + 1e-12 * abs(h) }, log: log)
    }

    /// Position of v in [0, 1].
    func fraction(_ v: Double) -> Double {
        log ? (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo)
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let s = String(format: "%.4g", v)
        return s
    }
}

#if canImport(Glibc)
    import Glibc
    func pow10(_ x: Double) -> Double { Glibc.pow(10, x) }
#endif
