import Foundation
import RunRecord
import Testing

@testable import Sweep

/// The sweep library on its own: grids, the task store and the merge's rules (the command line's sweeps, local and
/// on Slurm, are tested end to end in REPLTests/SweepTests.swift).
@Suite struct SweepLibraryTests {
    @Test func grids() throws {
        #expect(try SweepVariable(parsing: "seed=1..4").values == ["1", "2", "3", "4"])
        #expect(try SweepVariable(parsing: "K=50,100").values == ["50", "100"])
        #expect(try SweepVariable(parsing: #"device="m-gpu","a,b""#).values == [#""m-gpu""#, #""a,b""#])
        #expect(try SweepVariable(parsing: "d=[1, 2],[3]").values == ["[1, 2]", "[3]"])
        for bad in ["seed", "=1", "1x=2", "s=3..1", "s=1,,2", "s=[1,2", "s=\"a", "s=1,1", "s=0..100000000"] {
            #expect(throws: (any Error).self, "\(bad)") { try SweepVariable(parsing: bad) }
        }
        let points = try SweepGrid.points([
            SweepVariable(name: "a", values: ["1", "2"]), SweepVariable(name: "b", values: ["x", "y"]),
        ])
        // the first variable varies slowest
        #expect(points.map { $0.map(\.value).joined() } == ["1x", "1y", "2x", "2y"])
        #expect(SweepGrid.taskName(index: 3, points[1]) == "0003_a=1,b=y")
        #expect(SweepGrid.taskName(index: 0, [Assignment(name: "d", value: "[\"m/gpu\"]")]) == "0000_d=__m_gpu__")
        #expect(SlurmBackend.ranges([0, 1, 2, 5, 7, 8]) == "0-2,5,7-8")
        #expect(throws: (any Error).self) {
            try SweepGrid.points([
                SweepVariable(name: "a", values: (0..<1000).map(String.init)),
                SweepVariable(name: "b", values: (0..<1000).map(String.init)),
            ])
        }
    }

    @Test func mergeRules() {
        var w = SweepMerge.Walker(group: "g")
        let merged = w.merge(
            [["v": 1, "s": "x", "b": true, "l": [1]], ["v": 3, "s": "x", "b": true, "l": [1, 2]]], path: "")
        let m = try! #require(merged.object)
        let v = try! #require(m["v"]?.object)
        #expect(v["mean"] == 2 && v["n"] == .int(2) && v["min"] == 1 && v["max"] == 3)
        #expect(abs((v["std"]?.number ?? 0) - 2.0.squareRoot()) < 1e-15)  // n − 1
        #expect(m["s"] == "x")
        #expect(m["b"] == true)  // booleans are not numbers
        #expect(m["l"]?["values"] != nil)  // lists of different lengths are kept per run
        #expect(w.rows.count == 1 && w.rows[0][0] == "v" && w.rows[0][1] == "")
        // Quantities of one unit merge with their unit; mixed units stay per run.
        func q(_ v: Double, _ u: String) -> RecordValue { .quantity(RecordQuantity(v, u)) }
        var qw = SweepMerge.Walker(group: "g")
        let within = try! #require(qw.merge([q(80, "%"), q(82, "%"), q(84, "%")], path: "within5").object)
        #expect(within["mean"] == q(82, "%") && within["std"] == q(2, "%") && within["n"] == .int(3))
        #expect(qw.rows.first?[0] == "within5" && qw.rows.first?[1] == "%")  // the unit in a column of its own
        #expect(qw.merge([q(1, "ms"), q(1, "s")], path: "t")["values"] != nil)
        // A table row is named by its text fields, never by its quantities (one run shows them alike too).
        #expect(SweepMerge.Walker.label([["device": "e-tpu", "within1": q(17.9, "%")]], index: 0) == "[device=e-tpu]")
    }

    static func spec(script: String = "/s.brp", seeds: [String] = ["1", "2"]) -> SweepSpec {
        let v = SweepVariable(name: "seed", values: seeds)
        return SweepSpec(
            script: script, scriptSHA256: "0", brpsh: "brpsh test", dataDirectory: "none", data: "none", fixed: [],
            variables: [v], seedBy: "set",
            tasks: seeds.enumerated().map {
                SweepSpec.Task(
                    name: "000\($0.offset)_seed=\($0.element)",
                    assignments: [Assignment(name: "seed", value: $0.element)])
            })
    }

    @Test func theStoreKeepsStatesDurablyAndRefusesAnotherSweep() throws {
        let dir = NSTemporaryDirectory() + "brpsh-sweep-store-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SweepStore.create(dir, spec: Self.spec())
        #expect(store.toRun(retryFailed: false) == [0, 1])
        var s = store.recorded(1)
        s.state = .done
        try store.write(s, 1)
        // Reopened from disk: the same sweep, with task 1 done.
        let again = try SweepStore.create(dir, spec: Self.spec())
        #expect(again.state(1).state == .done && again.toRun(retryFailed: false) == [0])
        // Another grid in the same directory is refused, naming the difference.
        let e = try #require(throws: SweepError.self) {
            _ = try SweepStore.create(dir, spec: Self.spec(seeds: ["1", "2", "3"]))
        }
        #expect(!e.message.isEmpty)
        #expect(throws: SweepError.self) { _ = try SweepStore.open(dir + "/nothing") }
    }
}
