import Foundation
import Testing
import TestSupport

/// The documentation's recorded tables are rendered from `reproductions/`: the pages as committed agree with their
/// recordings, and a number edited by hand is caught with its page and line.
@Suite struct RecordedTablesTests {
    static let repo = SearchDriverTests.repo.path

    @Test func thePagesAgreeWithTheirRecordings() throws {
        let (status, out, err) = try CommandLineTests.brpsh(["reproduce", "check"], cwd: Self.repo)
        #expect(status == 0, "\(out)\(err)")
    }

    @Test func aHandEditedNumberFails() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.repo + "/reproductions", toPath: dir + "/reproductions")
        var page = try String(contentsOfFile: Self.repo + "/docs/search.md", encoding: .utf8)
        #expect(page.contains("| d-gpu | brp-nas | 0.9458 ± 0.0069 |"))
        page = page.replacingOccurrences(of: "| d-gpu | brp-nas | 0.9458 ± 0.0069 |", with: "| d-gpu | brp-nas | 0.9558 ± 0.0069 |")
        try page.write(toFile: dir + "/docs/search.md", atomically: true, encoding: .utf8)
        let (status, _, err) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(status == 1)
        #expect(err.contains("search.md:") && err.contains("0.9558") && err.contains("0.9458"), "\(err)")
        // Writing restores the recorded numbers.
        let (w, _, werr) = try CommandLineTests.brpsh(["reproduce", "write", "--root", dir])
        #expect(w == 0, "\(werr)")
        let (again, _, _) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(again == 0)
    }

    @Test func aBlockWithoutItsEndOrRecordingIsAnError() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
        try "a\n<!-- recorded nothing out.csv columns=a -->\n\n<!-- end recorded -->\n".write(toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (status, _, err) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(status == 1 && err.contains("p.md:2") && err.contains("reproductions/nothing"), "\(err)")
        try "<!-- recorded x out.csv columns=a -->\n| a |\n".write(toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (s2, _, e2) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(s2 == 1 && e2.contains("without <!-- end recorded -->"), "\(e2)")
    }
}
