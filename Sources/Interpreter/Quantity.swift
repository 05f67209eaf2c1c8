import Lang

/// A number with a unit (`1.25ms`, `5%`). Arithmetic converts the right operand into the
/// left operand's unit with one exact power-of-ten scaling, so `1ms + 250us == 1.25ms` exactly.
public struct Quantity: CustomStringConvertible {
    public var value: Double
    public var unit: PhysicalUnit

    public init(_ value: Double, _ unit: PhysicalUnit) {
        self.value = value
        self.unit = unit
    }

    /// A time given in seconds, shown in milliseconds.
    public static func seconds(_ s: Double, display: PhysicalUnit = .ms) -> Quantity {
        Quantity(PhysicalUnit.s.convert(s, to: display), display)
    }

    public func converted(to other: PhysicalUnit) -> Quantity { Quantity(unit.convert(value, to: other), other) }

    /// The value in the dimension's base unit (seconds, ratio, joules).
    public var base: Double {
        unit.exponent >= 0
            ? value * PhysicalUnit.powerOfTen(unit.exponent) : value / PhysicalUnit.powerOfTen(-unit.exponent)
    }

    /// Up to 12 significant digits: hides the last-bit noise of unit conversions.
    public var description: String { Format.quantityMagnitude(value) + unit.symbol }

    /// Compares two quantities of one dimension exactly, in the finer of the two units.
    public static func compare(_ a: Quantity, _ b: Quantity) -> (Double, Double) {
        let finer = a.unit.exponent <= b.unit.exponent ? a.unit : b.unit
        return (a.unit.convert(a.value, to: finer), b.unit.convert(b.value, to: finer))
    }
}
