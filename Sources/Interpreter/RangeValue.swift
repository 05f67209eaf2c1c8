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
        guard step != 0 else { throw Failure.zeroStep }
        let span = step > 0 ? end - start : start - end
        let n = span < 0 ? 0 : span / abs(step) + 1
        guard n <= 1 << 40 else { throw Failure.tooLarge }
        return RangeValue(kind: .integer(start: start, step: step), count: n, unit: nil)
    }

    /// A real range; magnitudes are in `unit` when given.
    public static func reals(_ start: Double, _ end: Double, step: Double, unit: PhysicalUnit?) throws -> RangeValue {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else { throw Failure.zeroStep }
        let decimal = Decimal.of(start: start, step: step, end: end)
        let n: Int
        if let d = decimal, let e = Decimal.scaled(end, d.scale) {
            let span = d.stepScaled > 0 ? e - d.startScaled : d.startScaled - e
            n = span < 0 ? 0 : span / abs(d.stepScaled) + 1
        } else {
            // Allow for rounding: an end within 1e-9 steps of a grid point is included.
            let q = (end - start) / step
            n = q < -1e-9 ? 0 : Int((q + 1e-9).rounded(.down)) + 1
        }
        guard n <= 1 << 40 else { throw Failure.tooLarge }
        return RangeValue(kind: .real(start: start, step: step, decimal: decimal), count: n, unit: unit)
    }

    public func element(_ i: Int) -> Value {
        precondition(i >= 0 && i < count, "range index \(i) out of 0..<\(count)")
        switch kind {
        case .integer(let start, let step):
            return .int(start + i * step)
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

    public var elements: [Value] { (0..<count).map(element) }
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
