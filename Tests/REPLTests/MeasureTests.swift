import Foundation
import Testing

/// `measure` in the built brpsh: a measurement killed (SIGKILL, as a crash) resumes without measuring a finished
/// model again, and the table is a device for gcn, layerwise and truth; saved tables read back.
@Suite struct MeasureTests {
    static func journalLines(_ path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        // Complete lines only (a line being written has no newline yet).
        var lines = text.components(separatedBy: "\n")
        lines.removeLast()
        return lines
    }

    @Test func killedMeasurementResumesWithoutMeasuringAgain() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let call = "t = measure(n: 6, runs: 2, per_run: 1, warmup: 0, seed: 3, dataset: \"imagenet16\")"
        let journal = dir + "/measurements/local-cpu/journal.jsonl"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = ["-c", call]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while Self.journalLines(journal).count < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let before = Self.journalLines(journal)
        #expect(before.count >= 3 && before.count < 7, "the kill came after \(before.count - 1) models")
        let code = """
            \(call)
            print(t.count, len(t.failed))
            p = gcn(device: t, n: 3, valid: 1, epochs: 3, seed: 1)
            print(p.device, len(p.test_archs))
            l = layerwise(device: t, n: 4, valid: 0)
            print(arch(t.records[0].arch).latency(t) == t.records[0].latency)
            t.save("t.pickle")
            u = latency_table("t.pickle")
            print(u.count, sort(u.latencies) == sort(t.latencies))
            """
        let (status, out, err) = try CommandLineTests.brpsh(["-c", code], cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(out == "6 0\nlocal-cpu 2\ntrue\n6 true\n", "\(out)")
        #expect(err.contains("\(before.count - 1) of 6 models already in"), "\(err)")
        let after = Self.journalLines(journal)
        #expect(after.count == 7 && Array(after.prefix(before.count)) == before)
        // `brpsh data` lists the journal beside the shipped files.
        let (_, data, _) = try CommandLineTests.brpsh(["data"], cwd: dir)
        #expect(data.contains("user tables") && data.contains("measurements/local-cpu/journal.jsonl  6 "), "\(data)")
        // Other settings in the same directory are refused, not mixed.
        let (bad, _, badErr) = try CommandLineTests.brpsh(["-c", "measure(n: 6, runs: 3, seed: 3)"], cwd: dir)
        #expect(bad != 0 && badErr.contains("taken with other settings"), "\(badErr)")
    }
}

/// Device runners (docs/measure.md): the ONNX Runtime example measures 20 models through the protocol; a runner
/// that crashes or hangs is restarted, the model it was on is recorded as failed, and nothing measured is lost.
@Suite(.serialized) struct DeviceRunnerTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let onnxProblem: String? = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import onnx, onnxruntime"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "python3 is not installed" }
        p.waitUntilExit()
        return p.terminationStatus == 0
            ? nil : "Python's onnx or onnxruntime is missing (scripts/deps test installs them)"
    }()

    @Test(.enabled(if: onnxProblem == nil, Comment(rawValue: onnxProblem ?? "")))
    func onnxExampleRunnerMeasuresTwentyModels() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = """
            t = measure(n: 20, seed: 4, runner: "python3 \(Self.repo)/examples/runner/onnx_runner.py", runs: 3, per_run: 2, warmup: 1, dir: "onnx")
            print(t.count, len(t.failed))
            print(len(filter(t.latencies) { l -> l > 0ms and l < 1s }) == 20)
            print(t.device)
            """
        let (status, out, err) = try CommandLineTests.brpsh(["-c", code, "-q"], cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(out.hasPrefix("20 0\ntrue\n") && out.contains("runner \"ONNX Runtime"), "\(out)")
        #expect(MeasureTests.journalLines(dir + "/onnx/journal.jsonl").count == 21)
    }

    /// A declared space's models through a device runner (examples/spaces/runner.py): the request carries the model's
    /// text form, the journal resumes, two runners measure in parallel, and the native backend is refused.
    @Test func declaredSpaceModelsThroughARunner() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runner = "python3 \(Self.repo)/examples/spaces/runner.py"
        let code = """
            s = space(choices: {width: [16, 24, 32], kernel: [3, 5]}, blocks: 3)
            t = measure(space: s, n: 5, seed: 1, runner: "\(runner)", runs: 3, per_run: 2, warmup: 0, name: "standin")
            print(len(t.rows), len(filter(t.rows, fn(r) { r.latency_ms > 0 })), str(s.parse(t.rows[0].arch)) == t.rows[0].arch)
            two = measure(archs: s.sample(4, seed: 2), runner: {a: "\(runner)", b: "\(runner)"}, runs: 2, per_run: 1, warmup: 0)
            print(len(two.a.rows), two.a.rows == two.b.rows)
            """
        let (status, out, err) = try CommandLineTests.brpsh(["-c", code, "-q"], cwd: dir)
        #expect(status == 0 && out == "5 5 true\n4 true\n", "\(out) \(err)")
        let lines = MeasureTests.journalLines(dir + "/measurements/standin/journal.jsonl")
        #expect(lines.count == 6 && lines[0].contains("\"space\":\"space(choices:"), "\(lines.first ?? "")")
        // The rerun measures nothing (the journal has every model).
        let (again, _, againErr) = try CommandLineTests.brpsh(["-c", code], cwd: dir)
        #expect(again == 0 && againErr.contains("5 of 5 models already in"), "\(againErr)")
        let (native, _, nativeErr) = try CommandLineTests.brpsh(
            ["-c", "measure(space: space(cell: \"edges\", nodes: 3, ops: [\"a\", \"b\"]), n: 2)", "-q"], cwd: dir)
        #expect(native == 70 && nativeErr.contains("need a device runner"), "\(nativeErr)")
    }

    /// A stand-in runner that crashes on its second request and hangs on its fourth (it counts requests in a file,
    /// so the count survives restarts), and prints noise between replies.
    static let flaky = """
        import json, os, sys, time
        print(json.dumps({"device": "flaky test runner"}), flush=True)
        for line in sys.stdin:
            r = json.loads(line)
            n = int(open("count.txt").read()) if os.path.exists("count.txt") else 0
            open("count.txt", "w").write(str(n + 1))
            if n == 1: sys.exit(3)
            if n == 3: time.sleep(60)
            print("some noise")
            print(json.dumps({"id": r["id"], "runs": [[0.001 * (1 + r["vector"][0]), 0.002]]}), flush=True)
        """

    @Test func crashedOrHungRunnerIsRestartedAndLosesNothing() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.flaky.write(toFile: dir + "/flaky.py", atomically: true, encoding: .utf8)
        let code = """
            t = measure(n: 6, seed: 2, runner: "python3 flaky.py", timeout: 2s, runs: 1, per_run: 2, warmup: 0)
            print(t.count, len(t.failed))
            for r in t.records { if r.latency == nil { print(r.error) } }
            """
        let (status, out, err) = try CommandLineTests.brpsh(["-c", code, "-q"], cwd: dir)
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == "4 2", "\(out)")
        #expect(lines.contains { $0.hasPrefix("the runner exited") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix("no reply within 2 s") }, "\(out)")
        #expect(try String(contentsOfFile: dir + "/count.txt", encoding: .utf8) == "6")
        // The rerun measures nothing: finished models are kept, failed ones are recorded (not retried).
        let (again, againOut, _) = try CommandLineTests.brpsh(["-c", code, "-q"], cwd: dir)
        #expect(again == 0 && againOut.hasPrefix("4 2\n"))
        #expect(try String(contentsOfFile: dir + "/count.txt", encoding: .utf8) == "6")
        // A runner that can never answer stops the measurement after three failures in a row.
        let (dead, _, deadErr) = try CommandLineTests.brpsh(
            ["-c", "measure(n: 5, runner: \"exit 1\", dir: \"dead\")", "-q"], cwd: dir)
        #expect(dead == 70 && deadErr.contains("failed 3 models in a row"), "\(deadErr)")
        // the two failures before are kept
        #expect(MeasureTests.journalLines(dir + "/dead/journal.jsonl").count == 1 + 2)
    }

    /// Two runners (devices) measured at once: a record of two tables, each with its own journal.
    @Test func severalRunnersMeasureInParallel() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        import json, sys
        k = float(sys.argv[1])
        for line in sys.stdin:
            r = json.loads(line)
            print(json.dumps({"id": r["id"], "runs": [[0.001 * k * (1 + r["vector"][5])]]}), flush=True)
        """.write(toFile: dir + "/fixed.py", atomically: true, encoding: .utf8)
        let code = """
            ts = measure(n: 7, seed: 5, runner: {slow: "python3 fixed.py 2", fast: "python3 fixed.py 1"}, runs: 1, per_run: 1, warmup: 0)
            print(ts.slow.count, ts.fast.count, ts.slow.name, ts.fast.name)
            print(sort(ts.slow.latencies) == sort(map(ts.fast.latencies) { l -> 2 * l }))
            """
        let (status, out, err) = try CommandLineTests.brpsh(["-c", code, "-q"], cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(out == "7 7 slow fast\ntrue\n", "\(out)")
        #expect(MeasureTests.journalLines(dir + "/measurements/slow/journal.jsonl").count == 8)
        #expect(MeasureTests.journalLines(dir + "/measurements/fast/journal.jsonl").count == 8)
    }
}
