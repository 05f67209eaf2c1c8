import Foundation
import Interpreter
import Lang
import Testing

@Suite struct RangeAndQuantityTests {
    @Test func decimalRangeHasNoDrift() throws {
        let r = try RangeValue.reals(1, 7, step: 0.1, unit: .ms)
        #expect(r.count == 61)
        for i in 0..<61 {
            guard case .quantity(let q) = r.element(i) else { fatalError() }
            // Each element is the double nearest the exact decimal 1 + i/10.
            #expect(q.value == Double("\(10 + i)")! / 10)
        }
    }

    /// Property: every quantity as brpsh prints it reads back as the same unit and the printed number; what is not
    /// that form is not a quantity.
    @Test func printedQuantitiesReadBack() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<2000 {
            let unit = PhysicalUnit.allCases[Int(next() % UInt64(PhysicalUnit.allCases.count))]
            let exponent = Int(next() % 13) - 6
            let value = (Double(next() % 2_000_001) / 1000 - 1000) * pow(10, Double(exponent))
            let q = Quantity(value, unit)
            let text = q.description
            let parsed = PhysicalUnit.parseQuantity(text)
            #expect(parsed?.unit == unit, "\(text)")
            #expect(parsed?.value == Double(text.dropLast(unit.symbol.count)), "\(text)")
        }
        for bad in ["ms", "5 ms", "inf ms", "infms", "nan%", "1e400ms", "ms5", "--1ms", "1.2.3s", "", "85.2", "x%"] {
            #expect(PhysicalUnit.parseQuantity(bad) == nil, "\(bad)")
        }
        #expect(
            PhysicalUnit.parseQuantity("1.25ms")?.unit == .ms && PhysicalUnit.parseQuantity("-3.1uJ")?.value == -3.1)
        #expect(
            PhysicalUnit.parseQuantity("85.2%")?.unit == .percent && PhysicalUnit.parseQuantity("2e-05s")?.unit == .s)
    }

    @Test func irregularStepStillCountsTheEnd() throws {
        let r = try RangeValue.reals(0, 1, step: 1.0 / 3.0, unit: nil)
        #expect(r.count == 4)
    }

    @Test func exactUnitArithmetic() throws {
        let a = Value.quantity(Quantity(1, .ms))
        let b = Value.quantity(Quantity(250, .us))
        let sum = try Operators.apply(.add, a, b)
        #expect(Operators.equal(sum, .quantity(Quantity(1.25, .ms))))
        #expect(Operators.equal(.quantity(Quantity(1.25, .ms)), .quantity(Quantity(1250, .us))))
        #expect(throws: Operators.Failure.self) { try Operators.apply(.add, a, .quantity(Quantity(5, .percent))) }
    }

    @Test func conversions() {
        #expect(PhysicalUnit.ms.convert(1.25, to: .us) == 1250)
        #expect(PhysicalUnit.us.convert(250, to: .ms) == 0.25)
        #expect(Quantity(5, .percent).base == 0.05)
    }
}
