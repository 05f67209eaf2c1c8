import Foundation
import Testing

@testable import RunRecord

/// The typed run record: results.json and provenance.json written and read back unchanged, quantities as value and
/// unit, and the previous format (quantities as strings) still read.
@Suite struct RecordFormatTests {
    static func roundTrip<T: Codable & Equatable>(_ v: T) throws -> T {
        try JSONDecoder().decode(T.self, from: try RunRecordJSON.data(v))
    }

    @Test func aQuantityIsWrittenAsValueAndUnit() throws {
        let v: RecordValue = ["latency": .quantity(.init(1.25, "ms")), "n": 3, "name": "gcn"]
        let text = try RunRecordJSON.text(v, pretty: false)
        #expect(text == #"{"latency":{"unit":"ms","value":1.25},"n":3,"name":"gcn"}"#)
        #expect(try Self.roundTrip(v) == v)
        // An object with other fields, or a unit brpsh does not have, stays an object.
        let notQuantity: RecordValue = ["value": 1.25, "unit": "parsecs"]
        #expect(try Self.roundTrip(notQuantity) == notQuantity)
        #expect(try Self.roundTrip(["value": 1, "unit": "ms", "n": 2] as RecordValue).object?.count == 3)
    }

    @Test func numbersReadBackBitForBit() throws {
        let xs: [Double] = [
            0.1, 7.6899999999999995, 73.28123456789012, Double.leastNonzeroMagnitude, 1.7976931348623157e308,
        ]
        let back = try Self.roundTrip(RecordValue.list(xs.map(RecordValue.number)))
        for (x, y) in zip(xs, back.list ?? []) { #expect(y.number?.bitPattern == x.bitPattern) }
        // Not finite is written as null (JSON has no NaN).
        #expect(try RunRecordJSON.text(RecordValue.number(.nan), pretty: false) == "null")
        #expect(try Self.roundTrip(RecordValue.int(Int.max)) == .int(Int.max))
    }

    @Test func resultsRoundTrip() throws {
        let r = ResultsRecord(
            brpsh: "0.1.0",
            displays: [.quantity(.init(85.2, "%")), ["rows": [["a": 1], ["a": 2.5]]], "text", nil],
            outputs: [
                "t.csv": .csv([["k", "v"], ["x", .quantity(.init(3, "ms"))]]), "t.json": .json(["a": [1, 2]]),
                "f.svg": .file(sha256: "ab", figure: ["panels": []]), "m.bin": .file(sha256: "cd", figure: nil),
            ])
        let back = try ResultsRecord.decode(try RunRecordJSON.data(r), file: "results.json")
        #expect(back == r && back.format == 2)
    }

    @Test func previousResultsFormatReads() throws {
        let old = #"""
            {"brpsh": "0.1.0",
             "displays": [["85.2%", 3, "gcn"], {"latency": "1.5ms", "name": "x"}],
             "outputs": {"a.csv": [["k", "v"], ["row", "7ms"], ["n", 1.5]], "a.json": {"t": "2s"},
                         "f.svg": {"sha256": "ab", "figure": {"title": "1ms"}}, "b.txt": {"sha256": "cd"}}}
            """#
        let r = try ResultsRecord.decode(Data(old.utf8), file: "old/results.json")
        #expect(r.format == 2 && r.brpsh == "0.1.0")
        #expect(r.displays[0] == [.quantity(.init(85.2, "%")), 3, "gcn"])
        #expect(r.displays[1]["latency"] == .quantity(.init(1.5, "ms")))
        #expect(r.outputs["a.csv"] == .csv([["k", "v"], ["row", .quantity(.init(7, "ms"))], ["n", 1.5]]))
        #expect(r.outputs["a.json"] == .json(["t": .quantity(.init(2, "s"))]))
        // A figure's data is the renderer's, not a quantity to type.
        #expect(r.outputs["f.svg"] == .file(sha256: "ab", figure: ["title": "1ms"]))
        #expect(r.outputs["b.txt"] == .file(sha256: "cd", figure: nil))
    }

    @Test func aNewerFormatIsRefusedByName() throws {
        #expect(throws: RunRecordError.self) {
            try ResultsRecord.decode(Data(#"{"format": 9, "brpsh": "9"}"#.utf8), file: "r.json")
        }
        do {
            _ = try ResultsRecord.decode(Data(#"{"format": 2, "displays": []}"#.utf8), file: "dir/results.json")
            Issue.record("a record without its fields was read")
        } catch {
            #expect("\(error)".hasPrefix("dir/results.json: no field"))
        }
    }

    static let previousProvenance = #"""
        {"brpsh": {"version": "0.1.0", "sources": "abc"}, "command": ["brpsh", "s.brp"],
         "script": {"path": "s.brp", "sha256": "f00"}, "seed": 3, "overrides": {"n": "61"},
         "data": {"directory": "/d", "source": "BRPSH_DATA", "BRPSH_DATA": "/d",
                  "files": [{"file": "a.csv", "path": "/d/a.csv", "sha256": "aa", "bytes": 10, "verified": true}]},
         "blas": {"library": "OpenBLAS", "kernel": "Haswell", "threads_per_call": 1, "parts": 2, "parts_concurrent": true},
         "precision": ["float32"], "cache": true,
         "machine": {"hostname": "h", "os": "Linux", "arch": "x86_64", "cpu": "EPYC", "cores": 2, "memory_gib": 23.5},
         "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:01:00Z", "seconds": 60.0, "exit_status": 0,
         "complete": true, "stopped_by": null,
         "calls": [{"builtin": "oracle", "arguments": {"limit": "7ms", "device": "m-gpu"}, "from_cache": false}],
         "warnings": [], "outputs": [{"file": "o.csv", "sha256": "bb"}]}
        """#

    @Test func previousProvenanceReadsWithTypedQuantities() throws {
        let p = try ProvenanceRecord.decode(Data(Self.previousProvenance.utf8), file: "provenance.json")
        #expect(p.seed == 3 && p.overrides == ["n": "61"] && p.blas?.kernel == "Haswell")
        #expect(p.calls?.first?.arguments["limit"] == .quantity(.init(7, "ms")))
        #expect(p.brpsh.identity == "0.1.0 abc")
        // Written again it is format 2 and reads back equal.
        let back = try ProvenanceRecord.decode(try RunRecordJSON.data(p), file: "p.json")
        #expect(back.format == 2)
        #expect(back.calls == p.calls)
        #expect(back.data == p.data)
        #expect(back.machine == p.machine && back.blas == p.blas && back.seconds == 60)
        // A run recorded before the sources' hash named the git commit: it still reads, by its commit.
        let older = try ProvenanceRecord.decode(
            Data(
                #"{"brpsh": {"version": "0.1.0", "commit": "c0ffee"}, "command": [], "script": {"sha256": "f"}, "seed": 1, "overrides": {}}"#
                    .utf8),
            file: "p.json")
        #expect(older.brpsh.identity == "0.1.0 c0ffee" && older.warnings == nil && older.script.path == nil)
    }

    @Test func previousMergedProvenanceReads() throws {
        var task = try JSONDecoder().decode(RecordValue.self, from: Data(Self.previousProvenance.utf8)).object!
        task["task"] = "t0"
        task["assignments"] = ["seed": "1"]
        let old: RecordValue = [
            "sweep": ["script": "s.brp"], "merged_at": "2026", "merged_by": "brpsh 0.1.0 sources abc",
            "blas_kernels": ["Haswell": ["t0"]], "tasks": [.object(task)],
        ]
        let m = try MergedProvenance.read(try Self.write(old))
        #expect(m.tasks.count == 1 && m.tasks[0].task == "t0" && m.tasks[0].assignments == ["seed": "1"])
        #expect(m.tasks[0].provenance.calls?.first?.arguments["limit"] == .quantity(.init(7, "ms")))
        #expect(try MergedProvenance.read(try Self.write(m)) == m)
    }

    @Test func previousRecordingReads() throws {
        let results: RecordValue = [
            "groups": [
                [
                    "point": ["models": "25"], "n": 3,
                    "outputs": ["t.csv": [["a"], [["mean": "85.3%", "std": "0.1%"]]]],
                ]
            ]
        ]
        let r = try RecordingResults.read(try Self.write(results))
        #expect(r.groups?.first?.outputs["t.csv"]?[1][0]["mean"] == .quantity(.init(85.3, "%")))
        #expect(RecordedTables.cell(r.groups?.first?.outputs["t.csv"]?[1][0], 2) == "85.30% ± 0.10%")
        // A column every run gave alike (the paper's value beside each seed's) is shown once, with its digits.
        #expect(RecordedTables.cell(["mean": 36, "std": 0, "n": 10], 1) == "36.0")
        // Ten equal values need not average to exactly themselves: min = max says they were alike.
        let tenTimes = RecordValue.object([
            "mean": .number(6.1000000000000005), "std": .number(9.4e-16), "n": 10, "min": 6.1, "max": 6.1,
        ])
        #expect(RecordedTables.cell(tenTimes, 1) == "6.1" && RecordedTables.cell(tenTimes, nil) == "6.1")
        #expect(RecordedTables.cell(["mean": 36, "std": 0, "n": 1], 1) == "36.0 ± 0.0")
        let sweep: RecordValue = [
            "kind": "sweep", "brpsh": "brpsh 0.1.0 sources 0123456789abcdef", "script": "s.brp",
            "script_sha256": "f00", "tasks": 3, "blas_kernels": ["Haswell": 3],
        ]
        let p = try RecordingProvenance.read(try Self.write(sweep))
        #expect(
            p.kind == .sweep && p.brpsh.sources == "0123456789abcdef" && p.script == .init(path: "s.brp", sha256: "f00")
        )
        #expect(try RecordingProvenance.read(try Self.write(p)) == p)
    }

    static func write<T: Encodable>(_ v: T) throws -> String {
        let path = NSTemporaryDirectory() + "brpsh-record-\(UUID().uuidString).json"
        try RunRecordJSON.data(v).write(to: URL(fileURLWithPath: path))
        return path
    }
}
