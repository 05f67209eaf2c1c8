import Foundation
import TestSupport
import Testing

@testable import App
@testable import RunRecord
@testable import Sweep

/// `brpsh check` compares kinds as well as values; `save` writes only where the bundle says.
@Suite(.serialized) struct CheckAndSaveTests {
    /// results.json holds a saved CSV's fields whole: a quoted field with a comma is one field (it was split at the
    /// comma before, shifting the row), numbers are numbers, and a non-finite value stays text.
    @Test func savedCSVFieldsKeepTheirQuotedCommas() throws {
        let text = "search,runs,best,note\n\"GCN, K = 100\",10,72.97,\"said \"\"so\"\"\"\nK = 50,10,nan,\n"
        let rows = ResultsRecord.csvRows(text, source: "t.csv")
        #expect(rows.count == 3 && rows.allSatisfy { $0.count == 4 })
        #expect(rows[1] == ["GCN, K = 100", 10, 72.97, "said \"so\""])
        #expect(rows[2] == ["K = 50", 10, "nan", ""])
        #expect(rows[0] == ["search", "runs", "best", "note"])
        // End to end: what `save` writes comes back whole.
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, _, err) = try ArtifactTests.brpsh(
            ["-c", "save([{name: \"GCN, K = 25\", v: 1.5}], \"t.csv\")", "--out", "b"], cwd: dir)
        #expect(status == 0, "\(err)")
        let results =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/b/results.json")))
            as? [String: Any]
        let table = ((results?["outputs"] as? [String: Any])?["t.csv"] as? [String: Any])?["csv"] as? [[Any]]
        #expect(
            table?.count == 2 && table?[1].first as? String == "GCN, K = 25" && table?[1].last as? Double == 1.5,
            "\(String(describing: table))")
    }

    @Test func saveRefusesLinksOutOfTheBundleAndNulNames() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/outside", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/b/link", withDestinationPath: "../outside")
        let (status, _, err) = try ArtifactTests.brpsh(
            ["-c", "save([{a: 1}], \"link/x.csv\")", "--out", "b"], cwd: dir)
        #expect(status == 70 && err.contains("goes through the symbolic link"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/outside/x.csv"))
        let (nul, _, err2) = try ArtifactTests.brpsh(["-c", "save([{a: 1}], \"x\\u{0}y.csv\")"], cwd: dir)
        #expect(nul == 70 && err2.contains("NUL character"), "\(err2)")
    }
}

/// `brpsh check` as a reviewer runs it: on a bundle directory, with the recorded overrides and seed, comparing the
/// transcript too, failing when nothing was compared, naming another BLAS kernel, and `--within-std`.
@Suite(.serialized) struct CheckAsAReviewerTests {
    static let script = """
        n = 3
        print("n is \\(n)")
        [{k: n, mean: 10.0 * n, std: 1.0}]
        """

    @Test func checkDirUsesTheRecordedOverrides() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/small.brp", atomically: true, encoding: .utf8)
        let (made, _, e1) = try ArtifactTests.brpsh(["small.brp", "--set", "n=61", "--out", "b61"], cwd: dir)
        #expect(made == 0, "\(e1)")
        for args in [["check", "b61"], ["check", "small.brp", "b61"], ["check", "small.brp", "b61/results.json"]] {
            let (status, out, err) = try ArtifactTests.brpsh(args, cwd: dir)
            #expect(
                status == 0 && out.contains("with the recorded --set n=61") && out.contains("agree"),
                "\(args) \(out) \(err)")
        }
        // The transcript counts: a recorded printed line that changed is a difference.
        let transcript = dir + "/b61/transcript.txt"
        let text = try String(contentsOfFile: transcript, encoding: .utf8)
        try text.replacingOccurrences(of: "n is 61", with: "n is 62").write(
            toFile: transcript, atomically: true, encoding: .utf8)
        let (differs, out, _) = try ArtifactTests.brpsh(["check", "b61"], cwd: dir)
        #expect(differs == 1 && out.contains("transcript line 1"), "\(out)")
    }

    @Test func nothingComparedFails() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x = 1\n".write(toFile: dir + "/quiet.brp", atomically: true, encoding: .utf8)
        #expect(try ArtifactTests.brpsh(["quiet.brp", "--out", "b"], cwd: dir).0 == 0)
        let (status, out, _) = try ArtifactTests.brpsh(["check", "b"], cwd: dir)
        #expect(status == 1 && out.contains("nothing to compare"), "\(out)")
    }

    @Test func anotherKernelIsNamedAndWithinStdComparesStatistics() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/small.brp", atomically: true, encoding: .utf8)
        #expect(try ArtifactTests.brpsh(["small.brp", "--out", "b"], cwd: dir).0 == 0)
        // Recorded on another kernel, with a mean the rerun does not reproduce exactly (30.5 ± 1 against 30).
        var provenance = try TestJSON.object(dir + "/b/provenance.json")
        provenance["blas"] = ["kernel": "OtherKernel"]
        try JSONSerialization.data(withJSONObject: provenance).write(
            to: URL(fileURLWithPath: dir + "/b/provenance.json"))
        let results = try String(contentsOfFile: dir + "/b/results.json", encoding: .utf8)
        try results.replacingOccurrences(of: "30", with: "30.5").write(
            toFile: dir + "/b/results.json", atomically: true, encoding: .utf8)
        let (strict, out1, _) = try ArtifactTests.brpsh(["check", "b"], cwd: dir)
        #expect(strict == 1 && out1.contains("recorded with OpenBLAS's OtherKernel kernel"), "\(out1)")
        let (lenient, out2, _) = try ArtifactTests.brpsh(["check", "b", "--within-std", "1"], cwd: dir)
        #expect(lenient == 0 && out2.contains("means within 1.0 std"), "\(out2)")
        let (tight, _, _) = try ArtifactTests.brpsh(["check", "b", "--within-std", "0.1"], cwd: dir)
        #expect(tight == 1)
    }
}
