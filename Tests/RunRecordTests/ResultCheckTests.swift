import Foundation
import Testing

@testable import RunRecord

/// The run record on its own: comparing a rerun's results with recorded ones, and results.json's CSV rows (the
/// commands that use them, `brpsh check` and `brpsh reproduce`, are tested end to end in REPLTests).
@Suite struct ResultCheckTests {
    static func differences(_ want: String, _ got: String) throws -> [String] {
        var check = ResultCheck(rtol: 1e-9, atol: 0)
        check.compare(
            try JSONDecoder().decode(RecordValue.self, from: Data(want.utf8)),
            try JSONDecoder().decode(RecordValue.self, from: Data(got.utf8)))
        return check.differences
    }

    @Test func aNumberThatBecameAStringDiffers() throws {
        #expect(
            try Self.differences("[85.2]", "[\"85.2\"]").first?.contains("expected a number 85.2, got a string") == true
        )
        #expect(try !Self.differences("[\"85.2\"]", "[85.2]").isEmpty)
        #expect(try !Self.differences("[1]", "[true]").isEmpty)
        #expect(try !Self.differences("[true]", "[1]").isEmpty)
        #expect(try !Self.differences("[null]", "[\"null\"]").isEmpty)
        let same = #"[85.2, {"value": 1.5, "unit": "ms"}, true, null, 3]"#
        #expect(try Self.differences(same, same).isEmpty)
    }

    @Test func quantitiesCompareByValueWithinTheirUnit() throws {
        let ms = #"[{"value": 1.5, "unit": "ms"}]"#
        #expect(try Self.differences(ms, #"[{"value": 1.5000000001, "unit": "ms"}]"#).isEmpty)
        #expect(try Self.differences(ms, #"[{"value": 1.6, "unit": "ms"}]"#) == ["[0]: expected 1.5ms, got 1.6ms"])
        // Another unit is another kind of value, even with an equal number.
        #expect(try Self.differences(ms, #"[{"value": 1.5, "unit": "%"}]"#).first?.contains("expected") == true)
        #expect(try Self.differences(ms, "[1.5]").first?.contains("expected a quantity 1.5ms, got a number") == true)
    }

    @Test func numbersAgreeWithinTheTolerance() throws {
        var check = ResultCheck(rtol: 1e-3, atol: 0)
        check.compare([100.0, 2.0], [100.05, 2])
        #expect(check.differences.isEmpty && check.compared > 0)
        var strict = ResultCheck(rtol: 1e-9, atol: 0)
        strict.compare([100.0], [100.05])
        #expect(strict.differences.count == 1)
    }

    @Test func aStatisticOverSeedsAgreesWithinItsSpread() throws {
        var check = ResultCheck(rtol: 1e-9, atol: 0, withinStd: 2)
        check.compare(["mean": 72.0, "std": 0.5, "n": 10], ["mean": 72.8, "std": 0.1, "n": 10])
        #expect(check.differences.isEmpty)
        check.compare(["mean": 72.0, "std": 0.5], ["mean": 73.5, "std": 0.5])
        #expect(check.differences.count == 1)
        // A merged quantity's statistics are quantities of its unit.
        var q = ResultCheck(rtol: 1e-9, atol: 0, withinStd: 1)
        q.compare(
            ["mean": .quantity(.init(72.0, "%")), "std": .quantity(.init(0.5, "%"))],
            ["mean": .quantity(.init(72.4, "%")), "std": .quantity(.init(0.1, "%"))])
        #expect(q.differences.isEmpty && q.compared == 1)
    }

    @Test func csvRowsKeepQuotedFieldsWholeAndTypeTheirCells() {
        let rows = ResultsRecord.csvRows("a,b,c\n\"x, y\",1.5,7ms\n", source: "t.csv")
        #expect(rows == [["a", "b", "c"], ["x, y", 1.5, .quantity(.init(7, "ms"))]])
    }
}
