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
