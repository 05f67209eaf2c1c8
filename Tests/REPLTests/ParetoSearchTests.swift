import Foundation
import TestSupport
import Testing

/// Multi-objective searches with real evaluations: an evaluator that reports both objectives
/// (`{"accuracy": ..., "latency_ms": ...}`), killed mid-search and resumed through `dir:`, ends with the same front
/// as an uninterrupted run and never evaluates a journaled model again.
@Suite(.serialized) struct ParetoSearchTests {
    static let evaluator = """
        import hashlib, json, os, sys, time
        arch = sys.argv[1]
        h = int(hashlib.sha256(arch.encode()).hexdigest(), 16)
        accuracy = 50 + (h % 2000) / 100 + 3 * arch.count("conv")
        latency = 1 + ((h >> 20) % 300) / 100 + 1.5 * arch.count("conv_3x3") + 0.5 * arch.count("conv_1x1")
        if os.environ.get("EVAL_SLEEP"):
            time.sleep(float(os.environ["EVAL_SLEEP"]))
        with open(os.environ["EVAL_LOG"], "a") as log:
            log.write(arch + "\\n")
        print("epoch 1 done")
        print(json.dumps({"accuracy": accuracy, "latency_ms": latency}))
        """

    static func script(_ dir: String, _ eval: String) -> String {
        """
        r = evolve(objectives: ["accuracy", "latency_ms"], evaluate: run("python3 \(eval) {arch}"), dir: "\(dir)",
                   budget: 30, pool: 8, sample: 3, seed: 2)
        for p in r.front { print(p.id, p.accuracy, p.latency_ms, p.arch) }
        print(r.objectives, len(r.history), r.history[0].latency_ms != nil)
        print("from journal", r.from_journal)
        """
    }

    static func front(_ out: String) -> [String] {
        out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("from journal") }
    }

    @Test(.needsData) func killedMidSearchResumesToTheSameFront() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let eval = dir + "/eval.py"
        try Self.evaluator.write(toFile: eval, atomically: true, encoding: .utf8)
        try Self.script(dir + "/a", eval).write(toFile: dir + "/a.brp", atomically: true, encoding: .utf8)
        try Self.script(dir + "/b", eval).write(toFile: dir + "/b.brp", atomically: true, encoding: .utf8)
        let (s1, reference, e1) = try CommandLineTests.brpsh(
            [dir + "/a.brp", "--quiet"], env: ["EVAL_LOG": dir + "/a.log"])
        #expect(s1 == 0, "\(e1)")
        #expect(reference.contains("[\"accuracy\", \"latency_ms\"] 30 true"))
        #expect(Self.front(reference).count >= 3, "\(reference)")

        let journaled = try SearchDriverTests.killed(
            script: dir + "/b.brp", journal: dir + "/b", after: 12,
            env: ["EVAL_LOG": dir + "/b1.log", "EVAL_SLEEP": "0.2"])
        #expect(journaled.count >= 12 && journaled.count < 30, "\(journaled.count) results journaled when killed")
        sleep(1)

        let (s2, resumed, e2) = try CommandLineTests.brpsh(
            [dir + "/b.brp", "--quiet"], env: ["EVAL_LOG": dir + "/b2.log"])
        #expect(s2 == 0, "\(e2)")
        #expect(Self.front(resumed) == Self.front(reference))
        #expect(resumed.contains("from journal \(journaled.count)"))
        let again =
            (try? String(contentsOfFile: dir + "/b2.log", encoding: .utf8))?.split(separator: "\n").map(String.init)
            ?? []
        #expect(Set(again).isDisjoint(with: journaled), "a journaled model was evaluated again")
    }

    @Test(.needsData) func anEvaluatorWithoutTheCostIsAClearError() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "import json\nprint(json.dumps({\"accuracy\": 60}))\n".write(
            toFile: dir + "/eval.py", atomically: true, encoding: .utf8)
        let script =
            "r = random_search(objectives: [\"accuracy\", \"latency_ms\"], evaluate: run(\"python3 \(dir)/eval.py {arch}\"), budget: 3, seed: 1)\n"
        try script.write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        let (status, _, err) = try CommandLineTests.brpsh([dir + "/s.brp", "--quiet"])
        #expect(status == 70)
        #expect(err.contains("reported no \"latency_ms\""), "\(err)")
    }
}
