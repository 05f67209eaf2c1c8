import Foundation

/// A figure: panels of series, laid out in a grid. Rendered as SVG (`save(fig, "f.svg")`) or as
/// a Unicode chart in the terminal.
public struct Figure {
    public var panels: [Panel]
    public var columns: Int
    public var title: String?

    public init(panels: [Panel], columns: Int, title: String? = nil) {
        self.panels = panels
        self.columns = columns
        self.title = title
    }

    public struct Panel {
        public var title = ""
        public var xlabel = ""
        public var ylabel = ""
        public var series: [Series] = []
        /// Axis limits (`xlim:`, `ylim:`, or a lower y end when the interesting range is narrow). Points outside
        /// are not drawn, and the panel says how many (`clipped`): data is never cut off silently.
        public var yMin: Double? = nil
        public var yMax: Double? = nil
        public var xMin: Double? = nil
        public var xMax: Double? = nil
        /// A logarithmic y axis (every y value positive or missing).
        public var yLog = false
        /// A bar chart: the x positions 0, 1, ... are these categories, the series are groups of bars.
        public var categories: [String]? = nil
        /// A heat map instead of series.
        public var heat: Heat? = nil

        public init(
            title: String = "", xlabel: String = "", ylabel: String = "", series: [Series] = [], yMin: Double? = nil,
            yMax: Double? = nil, xMin: Double? = nil, xMax: Double? = nil, yLog: Bool = false,
            categories: [String]? = nil, heat: Heat? = nil
        ) {
            self.title = title
            self.xlabel = xlabel
            self.ylabel = ylabel
            self.series = series
            self.yMin = yMin
            self.yMax = yMax
            self.xMin = xMin
            self.xMax = xMax
            self.yLog = yLog
            self.categories = categories
            self.heat = heat
        }

        public static func within(_ values: [Double], _ lo: Double?, _ hi: Double?) -> [Double] {
            let low = lo ?? -.infinity
            let high = hi ?? .infinity
            return values.filter { $0 >= low && $0 <= high } + [lo, hi].compactMap { $0 }
        }

        /// The y values that set the axis range (bars start at 0, and their error bars count).
        public var yValues: [Double] {
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
        public var xValues: [Double] { Panel.within(series.flatMap(\.x), xMin, xMax) }

        /// Data points (of series that are not reference lines) outside the limits.
        public var clipped: Int {
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
        public var clippedNote: String? {
            let n = clipped
            return n == 0 ? nil : "\(n) point\(n == 1 ? "" : "s") outside the axes \(n == 1 ? "is" : "are") not drawn"
        }
    }

    /// A matrix of values over row and column labels, drawn as shaded cells with their values.
    public struct Heat {
        public var rows: [String]
        public var cols: [String]
        /// rows × cols; NaN for a missing value (an empty cell).
        public var values: [[Double]]
        public var digits = 3

        public init(rows: [String], cols: [String], values: [[Double]], digits: Int = 3) {
            self.rows = rows
            self.cols = cols
            self.values = values
            self.digits = digits
        }
        public var finite: [Double] { values.flatMap { $0 }.filter(\.isFinite) }
        /// The shade of a value: 0 for the smallest, 1 for the largest.
        public func shade(_ v: Double) -> Double {
            guard let lo = finite.min(), let hi = finite.max(), hi > lo else { return 0.5 }
            return (v - lo) / (hi - lo)
        }
        public func text(_ v: Double) -> String { v.isFinite ? String(format: "%.\(digits)f", v) : "" }
    }

    public struct Series {
        public enum Kind: String {
            case line
            case scatter
            case bar
        }

        public var label: String
        public var kind: Kind
        public var x: [Double]
        public var y: [Double]
        /// A shaded band (mean ± std) drawn under a line.
        public var lower: [Double]?
        public var upper: [Double]?
        /// Error bars (± this) on bars.
        public var err: [Double]? = nil
        /// A reference line (an optimum, a limit): dashed, grey, drawn under the data series,
        /// and not taking a colour from the palette.
        public var reference = false

        public init(
            label: String, kind: Kind, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
            err: [Double]? = nil, reference: Bool = false
        ) {
            self.label = label
            self.kind = kind
            self.x = x
            self.y = y
            self.lower = lower
            self.upper = upper
            self.err = err
            self.reference = reference
        }
    }

    public static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]
}

/// Axis scales: data bounds and "nice" ticks (steps of 1, 2 or 5 × 10^k); on a logarithmic
/// axis, whole decades with ticks at 10^k (and 2 and 5 × 10^k when it spans at most two decades).
public struct Axis {
    public let lo: Double
    public let hi: Double
    public let ticks: [Double]
    public let log: Bool

    public init(_ values: [Double], log: Bool = false) {
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
    public func limited(_ low: Double?, _ high: Double?) -> Axis {
        let l = low ?? lo
        let h = high ?? hi
        guard l < h, !log || l > 0 else { return self }
        return Axis(
            lo: l, hi: h, ticks: ticks.filter { $0 >= l - 1e-12 * abs(l) && $0 <= h + 1e-12 * abs(h) }, log: log)
    }

    /// Position of v in [0, 1].
    public func fraction(_ v: Double) -> Double {
        log ? (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo)
    }

    public static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let s = String(format: "%.4g", v)
        return s
    }
}

#if canImport(Glibc)
    import Glibc
    public func pow10(_ x: Double) -> Double { Glibc.pow(10, x) }
#endif
