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
        /// Lower end of the y axis (values below are clipped), when the interesting range is narrow.
        var yMin: Double? = nil

        /// The y values that set the axis range.
        var yValues: [Double] {
            let all = series.flatMap { $0.y + ($0.lower ?? []) + ($0.upper ?? []) }
            guard let lo = yMin else { return all }
            return all.filter { $0 >= lo } + [lo]
        }
    }

    struct Series {
        enum Kind: String {
            case line
            case scatter
        }

        var label: String
        var kind: Kind
        var x: [Double]
        var y: [Double]
        /// A shaded band (mean ± std) drawn under a line.
        var lower: [Double]?
        var upper: [Double]?
        /// A reference line (an optimum, a limit): dashed, grey, drawn under the data series,
        /// and not taking a colour from the palette.
        var reference = false
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
}

/// Axis scales: data bounds and "nice" ticks (steps of 1, 2 or 5 × 10^k).
struct Axis {
    let lo: Double
    let hi: Double
    let ticks: [Double]

    init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / 5
        let magnitude = pow10(floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = (lo / step).rounded(.down) * step, last = (hi / step).rounded(.up) * step
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

    /// Position of v in [0, 1].
    func fraction(_ v: Double) -> Double { (v - lo) / (hi - lo) }

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
