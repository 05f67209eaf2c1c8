/// A physical unit that a number literal may carry (`1ms`, `250us`, `5%`).
///
/// Units of one dimension differ by a power of ten (`exponent`), so a conversion is one
/// exact multiplication or division by 10^k: `1ms + 250us` is exactly `1.25ms`.
public enum PhysicalUnit: String, CaseIterable, Sendable {
    case s, ms, us, ns
    case percent = "%"
    case J, mJ, uJ

    public enum Dimension: String, Sendable {
        case time
        case percentage
        case energy
    }

    public var dimension: Dimension {
        switch self {
        case .s, .ms, .us, .ns: return .time
        case .percent: return .percentage
        case .J, .mJ, .uJ: return .energy
        }
    }

    /// The unit is 10^exponent of its dimension's base (seconds, ratio 1, joules).
    public var exponent: Int {
        switch self {
        case .s, .J: return 0
        case .ms, .mJ: return -3
        case .us, .uJ: return -6
        case .ns: return -9
        case .percent: return -2
        }
    }

    /// The spelling used when printing (`%` for percent).
    public var symbol: String { rawValue }

    /// Parses a unit suffix as written after a number (`µs` is accepted for `us`).
    public init?(suffix: String) {
        if suffix == "µs" || suffix == "μs" {
            self = .us
            return
        }
        self.init(rawValue: suffix)
    }

    /// A quantity as brpsh prints it into results (`"85.2%"`, `"-3.1ms"`, `"1e-05s"`): a finite decimal number
    /// followed directly by a unit symbol; nil for anything else (`"inf ms"`, `"ms"`, `"5 ms"`, `"nan%"`). The one
    /// reader of that form (`brpsh check` and `brpsh merge` both use it).
    public static func parseQuantity(_ text: String) -> (value: Double, unit: PhysicalUnit)? {
        // Longest symbol first, so that "ms" is not read as "s".
        for unit in allCases.sorted(by: { $0.symbol.count > $1.symbol.count }) where text.hasSuffix(unit.symbol) {
            let number = text.dropLast(unit.symbol.count)
            guard let first = number.first, first.isNumber || first == "-" || first == "+" || first == ".",
                number.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), let v = Double(number), v.isFinite
            else { continue }
            return (v, unit)
        }
        return nil
    }

    /// Converts a magnitude in `self` to the same quantity in `other` (same dimension),
    /// with one correctly rounded operation.
    public func convert(_ value: Double, to other: PhysicalUnit) -> Double {
        precondition(dimension == other.dimension, "convert: \(self) and \(other) differ in dimension")
        let k = exponent - other.exponent
        if k == 0 { return value }
        return k > 0 ? value * PhysicalUnit.powerOfTen(k) : value / PhysicalUnit.powerOfTen(-k)
    }

    /// 10^k as an exact Double for 0 ≤ k ≤ 22.
    public static func powerOfTen(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<k { r *= 10 }
        return r
    }

    /// The unit of a dimension that the language uses by default for display.
    public static func preferred(for dimension: Dimension) -> PhysicalUnit {
        switch dimension {
        case .time: return .ms
        case .percentage: return .percent
        case .energy: return .mJ
        }
    }

    /// The units of a dimension, largest first.
    public static func units(of dimension: Dimension) -> [PhysicalUnit] {
        allCases.filter { $0.dimension == dimension }
    }
}
