import Foundation
import Testing

@testable import RunRecord

/// The run record on its own: comparing a rerun's results with recorded ones, and results.json's CSV rows (the
/// commands that use them, `brpsh check` and `brpsh reproduce`, are tested end to end in REPLTests).
@Suite struct ResultCheckTests {
    static func differences(_ want: String, _ got: String) throws -> [String] {
        var check = ResultCheck(rtol: 1e-9, atol: 0)
        check.compare(
            try JSONSerialization.jsonObject(with: Data(want.utf8)),
            try JSONSerialization.jsonObject(with: Data(got.utf8)))
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
        #expect(try Self.differences("[85.2, \"1.5ms\", true, null]", "[85.2, \"1.5ms\", true, null]").isEmpty)
    }

    @Test func numbersAgreeWithinTheTolerance() throws {
        var check = ResultCheck(rtol: 1e-3, atol: 0)
        check.compare([100.0, 2.0], [100.05, 2.0])
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
    }

    @Test func csvRowsKeepQuotedFieldsWhole() {
        let rows = ResultsFile.csvRows("a,b\n\"x, y\",1.5\n", source: "t.csv")
        #expect(rows.count == 2 && rows[1][0] as? String == "x, y" && rows[1][1] as? Double == 1.5)
    }
}
