import Lang

/// An inclusive arithmetic range: `1..5`, `0..1 step 0.25`, `1ms..7ms step 0.1`.
///
/// Element i is `start + i·step`, never a running sum. When start and step are decimals
/// with at most 9 digits after the point, the elements are computed on scaled integers and
/// divided once, so each is the double nearest to the exact decimal (`1ms..7ms step 0.1`
/// has 61 elements and the last is exactly 7ms).
public struct RangeValue {
    public enum Kind {
        case integer(start: Int, step: Int)
        case real(start: Double, step: Double, decimal: Decimal?)
    }

    /// start = startScaled / 10^scale, step = stepScaled / 10^scale, exactly.
    public struct Decimal {
        let startScaled: Int
        let stepScaled: Int
        let scale: Int
    }

    public let kind: Kind
    public let count: Int
    public let unit: PhysicalUnit?

    public enum Failure: Error {
        case zeroStep
        case tooLarge
    }

    /// An integer range from `start` to `end` inclusive.
    public static func integers(_ start: Int, _ end: Int, step: Int = 1) throws -> RangeValue {
        guard step != 0, step != Int.min else { throw Failure.zeroStep }
        // The span as an unsigned magnitude: end - start can exceed Int.max (-Int.max..Int.max) while the range has
        // few elements (a large step).
        let (from, to) = step > 0 ? (start, end) : (end, start)
        let n: Int
        if to < from {
            n = 0
        } else {
            let span = UInt(bitPattern: to) &- UInt(bitPattern: from)
            let q = span / UInt(abs(step))
            guard q < UInt(RangeValue.maxCount) else { throw Failure.tooLarge }
            n = Int(q) + 1
        }
        return RangeValue(kind: .integer(start: start, step: step), count: n, unit: nil)
    }

    /// A real range; magnitudes are in `unit` when given.
    public static func reals(_ start: Double, _ end: Double, step: Double, unit: PhysicalUnit?) throws -> RangeValue {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else { throw Failure.zeroStep }
        let decimal = Decimal.of(start: start, step: step, end: end)
        let n: Int
        if let d = decimal, let e = Decimal.scaled(end, d.scale) {
            let (span, overflow) =
                d.stepScaled > 0
                ? e.subtractingReportingOverflow(d.startScaled)
                : d.startScaled.subtractingReportingOverflow(e)
            guard !overflow else { throw Failure.tooLarge }
            n = span < 0 ? 0 : span / abs(d.stepScaled) + 1
        } else {
            // Allow for rounding: an end within 1e-9 steps of a grid point is included.
            let q = (end - start) / step
            guard q.isFinite, q < Double(RangeValue.maxCount) else { throw Failure.tooLarge }
            n = q < -1e-9 ? 0 : Int((q + 1e-9).rounded(.down)) + 1
        }
        guard n <= RangeValue.maxCount else { throw Failure.tooLarge }
        return RangeValue(kind: .real(start: start, step: step, decimal: decimal), count: n, unit: unit)
    }

    public func element(_ i: Int) -> Value {
        precondition(i >= 0 && i < count, "range index \(i) out of 0..<\(count)")
        switch kind {
        case .integer(let start, let step):
            // Exact: every element lies between the ends, so the wrapped sum is the true one even where i * step
            // alone would overflow.
            return .int(start &+ i &* step)
        case .real(let start, let step, let decimal):
            let x: Double
            if let d = decimal {
                x = Double(d.startScaled + i * d.stepScaled) / PhysicalUnit.powerOfTen(d.scale)
            } else {
                x = start + Double(i) * step
            }
            if let u = unit { return .quantity(Quantity(x, u)) }
            return .number(x)
        }
    }

    /// The most elements a range may have (it is lazy: element i is computed when asked for).
    public static let maxCount = 1 << 40
    /// The most elements a range may turn into a list (`list(r)`, `sum(r)`, `json(r)`, comparisons).
    public static let maxMaterialized = 10_000_000

    /// The elements as a list; a range longer than `maxMaterialized` is an error (it would exhaust memory).
    public func elements() throws -> [Value] {
        guard count <= RangeValue.maxMaterialized else { throw RangeValue.TooLong(count: count) }
        return (0..<count).map(element)
    }

    /// Element-wise equality without a list: short ranges element by element, long ones by their definition
    /// (integer and short-decimal ranges are exact, so equal definitions mean equal elements).
    public func equals(_ other: RangeValue) -> Bool {
        guard count == other.count else { return false }
        if count <= RangeValue.maxMaterialized {
            return (0..<count).allSatisfy { Operators.equal(element($0), other.element($0)) }
        }
        switch (kind, other.kind) {
        case (.integer(let a, let s), .integer(let b, let t)): return a == b && s == t
        case (.real(let a, let s, _), .real(let b, let t, _)): return a == b && s == t && unit == other.unit
        default: return false
        }
    }

    /// `x in r`: arithmetic for integers in an integer range, else a scan (an error past `maxMaterialized`).
    public func contains(_ x: Value) throws -> Bool {
        if case .integer(let start, let step) = kind, case .int(let v) = x {
            guard count > 0 else { return false }
            let (offset, o) = v.subtractingReportingOverflow(start)
            let (rem, o2) = offset.remainderReportingOverflow(dividingBy: step)
            if o || o2 || rem != 0 { return false }
            let i = offset / step
            return i >= 0 && i < count
        }
        guard count <= RangeValue.maxMaterialized else { throw TooLong(count: count) }
        return (0..<count).contains { Operators.equal(element($0), x) }
    }

    /// A range too long to make a list of.
    public struct TooLong: Error, CustomStringConvertible {
        public let count: Int
        public var description: String {
            "this range has \(count) elements, too many to make a list of (the limit is \(RangeValue.maxMaterialized)); "
                + "iterate over it with for, or use a shorter range"
        }
    }
}

extension RangeValue.Decimal {
    /// The scaled-integer form of a range, if all three numbers are short decimals.
    static func of(start: Double, step: Double, end: Double) -> RangeValue.Decimal? {
        for scale in 0...9 {
            if let a = scaled(start, scale), let b = scaled(step, scale), scaled(end, scale) != nil {
                return RangeValue.Decimal(startScaled: a, stepScaled: b, scale: scale)
            }
        }
        return nil
    }

    /// x·10^scale as an integer, when x is (to double precision) a decimal with `scale` digits.
    static func scaled(_ x: Double, _ scale: Int) -> Int? {
        let y = x * PhysicalUnit.powerOfTen(scale)
        guard abs(y) < 1e15 else { return nil }
        let r = y.rounded()
        guard abs(y - r) <= 1e-9 * max(1, abs(y)) else { return nil }
        // The decimal must read back as x exactly.
        guard r / PhysicalUnit.powerOfTen(scale) == x else { return nil }
        return Int(r)
    }
}
