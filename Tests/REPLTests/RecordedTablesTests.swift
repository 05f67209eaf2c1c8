import Foundation
import RunRecord
import TestSupport
import Testing

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
        page = page.replacingOccurrences(
            of: "| d-gpu | brp-nas | 0.9458 ± 0.0069 |", with: "| d-gpu | brp-nas | 0.9558 ± 0.0069 |")
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
        try "a\n<!-- recorded nothing out.csv columns=a -->\n\n<!-- end recorded -->\n".write(
            toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (status, _, err) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(status == 1 && err.contains("p.md:2") && err.contains("reproductions/nothing"), "\(err)")
        try "<!-- recorded x out.csv columns=a -->\n| a |\n".write(
            toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (s2, _, e2) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(s2 == 1 && e2.contains("without <!-- end recorded -->"), "\(e2)")
    }

    @Test func whereKeepsTheRowsItNames() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/reproductions/x", withIntermediateDirectories: true)
        try #"{"outputs": {"o.csv": [["n", "method", "v"], [5, "a", 1.5], [10, "a", 2.5], [10, "b", 3.5]]}}"#
            .write(toFile: dir + "/reproductions/x/results.json", atomically: true, encoding: .utf8)
        try
            #"{"kind": "run", "brpsh": {"version": "0.1.0", "sources": "ab"}, "script": {"path": "s.brp", "sha256": "f"}}"#
            .write(toFile: dir + "/reproductions/x/provenance.json", atomically: true, encoding: .utf8)
        try "<!-- recorded x o.csv columns=method,v:1 where=n:10 -->\n<!-- end recorded -->\n"
            .write(toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (w, _, werr) = try CommandLineTests.brpsh(["reproduce", "write", "--root", dir])
        #expect(w == 0, "\(werr)")
        let page = try String(contentsOfFile: dir + "/docs/p.md", encoding: .utf8)
        #expect(page.contains("| a | 2.5 |") && page.contains("| b | 3.5 |") && !page.contains("1.5"), "\(page)")
        try "<!-- recorded x o.csv columns=v where=n:10 where=method:b -->\n<!-- end recorded -->\n"
            .write(toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        _ = try CommandLineTests.brpsh(["reproduce", "write", "--root", dir])
        let two = try String(contentsOfFile: dir + "/docs/p.md", encoding: .utf8)
        #expect(two.contains("3.5") && !two.contains("2.5"), "\(two)")
        try "<!-- recorded x o.csv columns=v where=k:1 -->\n<!-- end recorded -->\n".write(
            toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (s3, _, e3) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(s3 == 1 && e3.contains("no column k"), "\(e3)")
    }

    /// A tiny Table S2 recording: D.CPU GCN 900 at the paper's mean + 0.5 SD within 1 % and − 2 SD within 5 %.
    static func judgedRecording(_ dir: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/reproductions/s2", withIntermediateDirectories: true)
        try
            #"{"outputs": {"t.csv": [["device", "predictor", "w1", "w5"], ["d-cpu", "gcn 900", 38.15, 81.6], ["x", "gcn 900", 1, 2]]}}"#
            .write(toFile: dir + "/reproductions/s2/results.json", atomically: true, encoding: .utf8)
        try
            #"{"kind": "run", "brpsh": {"version": "0.1.0", "sources": "ab"}, "script": {"path": "s.brp", "sha256": "f"}}"#
            .write(toFile: dir + "/reproductions/s2/provenance.json", atomically: true, encoding: .utf8)
    }

    @Test func aJudgedTableCountsTheCellsWithinThePapersSpread() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.judgedRecording(dir)
        try """
        | row | status |
        |---|---|
        | S2 | <!-- judged s2 -->reproduced<!-- end judged --> (hand-written) |

        <!-- recorded s2 t.csv columns=device,predictor,w1:1=±1_%,w5:1=±5_% judge=table_s2:w1,w5 -->
        <!-- end recorded -->

        """.write(toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (s, _, e) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(s == 1 && e.contains("p.md:3: the status differs") && e.contains("the page has 'reproduced'"), "\(e)")
        let (w, _, werr) = try CommandLineTests.brpsh(["reproduce", "write", "--root", dir])
        #expect(w == 0, "\(werr)")
        let page = try String(contentsOfFile: dir + "/docs/p.md", encoding: .utf8)
        // The row the paper has no value for ("x") is shown but not judged.
        #expect(
            page.contains(
                "| S2 | <!-- judged s2 -->partly: 1 of 2 cells within one of the paper's standard deviations<!-- end judged --> (hand-written) |"
            ), "\(page)")
        #expect(page.contains("| x | gcn 900 | 1.0 | 2.0 |"), "\(page)")
        #expect(page.contains("outside, in the paper's standard deviations: d-cpu gcn 900 ±5 % −2.0."), "\(page)")
        let (again, _, _) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(again == 0)
        // A status naming a recording no judged block renders is an error, as is an unknown paper table.
        try "| <!-- judged nothing -->partly<!-- end judged --> |\n".write(
            toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (s2, _, e2) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(s2 == 1 && e2.contains("p.md:1") && e2.contains("reproductions/nothing"), "\(e2)")
        try "<!-- recorded s2 t.csv columns=w1 judge=table_s9:w1 -->\n<!-- end recorded -->\n".write(
            toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (s3, _, e3) = try CommandLineTests.brpsh(["reproduce", "check", "--root", dir])
        #expect(s3 == 1 && e3.contains("judge=TABLE") && e3.contains("table_s2"), "\(e3)")
    }

    /// The paper's means that `scripts/table_s2.brp` writes beside each cell are the ones the judge uses.
    @Test func thePapersTableS2AgreesWithTheScripts() throws {
        var checked = 0
        for name in ["table_s2_gcn900", "table_s2_gcn900_rest", "table_s2_small"] {
            let spec = try RecordedTables.Spec.parse("<!-- recorded \(name) out/table_s2.csv columns=device -->")
            for row in try RecordedTables.rows(spec, root: Self.repo).rows {
                let text = row.mapValues { RecordedTables.cell($0, nil) }
                for (i, key) in ["paper1", "paper5", "paper10"].enumerated() {
                    guard let paper = PaperReference.value(table: "table_s2", row: text, index: i) else {
                        #expect(text[key] == "-", "\(name) \(text)")
                        continue
                    }
                    #expect(RecordedTables.cell(row[key], 1) == String(format: "%.1f", paper.mean), "\(name) \(text)")
                    checked += 1
                }
            }
        }
        #expect(checked == 45)
    }

    /// `brpsh-bench --record DIR` writes its figures as a run that `brpsh reproduce record` turns into a recording
    /// (what the documentation's timing tables are rendered from), adding its rows to those an earlier process wrote.
    @Test func benchmarkFiguresAreRecorded() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bench = URL(fileURLWithPath: ArtifactTests.binary).deletingLastPathComponent()
            .appendingPathComponent("brpsh-bench").path
        func run(_ args: [String], env: [String: String] = [:]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bench)
            p.arguments = args
            p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        try #require(FileManager.default.fileExists(atPath: bench), "brpsh-bench is built beside brpsh")
        // An earlier process's row (scripts/bench runs one per core count into one folder) is kept.
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        try "figure,precision,value,unit,text\nearlier,float32,1,s,1 s\n".write(
            toFile: dir + "/run/bench.csv", atomically: true, encoding: .utf8)
        #expect(try run(["gemm", "--record", dir + "/run"], env: ["BRPSH_BENCH_COMMAND": "scripts/bench gemm"]) == 0)
        let csv = try String(contentsOfFile: dir + "/run/bench.csv", encoding: .utf8)
        #expect(
            csv.hasPrefix(
                "figure,precision,value,unit,text\nearlier,float32,1,s,1 s\n\"GEMM 2048³, OpenBLAS, 2 parts\",float64,"),
            "\(csv)")
        #expect(csv.contains("\n\"GEMM 2048³, OpenBLAS 2 threads\",float32,"), "\(csv)")
        #expect(csv.contains("\n\"GEMM 2048³, exact, 2 parts\",float32,"), "\(csv)")
        let (r, _, rerr) = try CommandLineTests.brpsh(["reproduce", "record", dir + "/run", "bench", "--root", dir])
        #expect(r == 0, "\(rerr)")
        try FileManager.default.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
        try
            "<!-- recorded bench bench.csv columns=figure=_ pivot=precision:float64,float32 value=value:0 -->\n<!-- end recorded -->\n"
            .write(toFile: dir + "/docs/p.md", atomically: true, encoding: .utf8)
        let (w, _, werr) = try CommandLineTests.brpsh(["reproduce", "write", "--root", dir])
        #expect(w == 0, "\(werr)")
        let page = try String(contentsOfFile: dir + "/docs/p.md", encoding: .utf8)
        #expect(page.contains("| earlier | – | 1 |") && page.contains("| GEMM 2048³, OpenBLAS, 2 parts | "), "\(page)")
        // The first process's command names the recording.
        #expect(page.contains("Recorded in `reproductions/bench`: `scripts/bench gemm`, "), "\(page)")
    }
}
