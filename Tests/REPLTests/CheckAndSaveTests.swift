@testable import App
import Foundation
import Testing

/// `brpsh check` compares kinds as well as values; `save` writes only where the bundle says.
@Suite(.serialized) struct CheckAndSaveTests {
    static func differences(_ want: String, _ got: String) throws -> [String] {
        var check = ResultCheck(rtol: 1e-9, atol: 0)
        check.compare(try JSONSerialization.jsonObject(with: Data(want.utf8)), try JSONSerialization.jsonObject(with: Data(got.utf8)))
        return check.differences
    }

    @Test func aNumberThatBecameAStringDiffers() throws {
        #expect(try Self.differences("[85.2]", "[\"85.2\"]").first?.contains("expected a number 85.2, got a string") == true)
        #expect(try !Self.differences("[\"85.2\"]", "[85.2]").isEmpty)
        #expect(try !Self.differences("[1]", "[true]").isEmpty)
        #expect(try !Self.differences("[true]", "[1]").isEmpty)
        #expect(try !Self.differences("[null]", "[\"null\"]").isEmpty)
        #expect(try Self.differences("[85.2, \"1.5ms\", true, null]", "[85.2, \"1.5ms\", true, null]").isEmpty)
    }

    @Test func saveRefusesLinksOutOfTheBundleAndNulNames() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/outside", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/b/link", withDestinationPath: "../outside")
        let (status, _, err) = try ArtifactTests.brpsh(["-c", "save([{a: 1}], \"link/x.csv\")", "--out", "b"], cwd: dir)
        #expect(status == 70 && err.contains("goes through the symbolic link"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/outside/x.csv"))
        let (nul, _, err2) = try ArtifactTests.brpsh(["-c", "save([{a: 1}], \"x\\u{0}y.csv\")"], cwd: dir)
        #expect(nul == 70 && err2.contains("NUL character"), "\(err2)")
    }
}
