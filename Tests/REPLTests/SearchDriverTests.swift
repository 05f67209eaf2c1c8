import Foundation
import TestSupport
import Testing

/// BRP-NAS as a driver of real evaluations : the DARTS space with an external evaluator command, killed
/// halfway and resumed without repeating a finished evaluation, ending exactly as the uninterrupted run; the same
/// search with each evaluation a Slurm job.
@Suite(.serialized) struct SearchDriverTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let eval = repo.appendingPathComponent("examples/darts/eval.py").path

    /// A small search (small predictor so the test is quick) that prints every evaluation and the best result.
    static func script(dir: String, evaluator: String = "parallel: 2", K: Int = 10, M: Int = 30) -> String {
        """
        r = brp(space: "darts", K: \(K), M: \(M), seed: 1, epochs: 20, hidden: 32, pool: 300,
                evaluate: run("python3 \(eval) {arch}", \(evaluator)), dir: "\(dir)")
        for h in r.history { print(h.id, h.accuracy, h.arch) }
        print("best", r.best, r.best_arch)
        print("from journal", r.from_journal, "failed", r.failed)
        """
    }

    static func results(_ out: String) -> [String] {
        out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("from journal") }
    }

    static func journalResults(_ dir: String) -> Set<String> {
        let text = (try? String(contentsOfFile: dir + "/journal.jsonl", encoding: .utf8)) ?? ""
        return Set(
            text.split(separator: "\n").compactMap { line -> String? in
                guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    o["event"] as? String == "result"
                else { return nil }
                return o["model"] as? String
            })
    }

    /// Runs a script and kills it (SIGKILL: no chance to clean up) once its journal has `after` results; the results
    /// journaled by then.
    static func killed(script: String, journal: String, after: Int, env: [String: String]) throws -> Set<String> {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = [script, "--quiet"]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(300)
        while journalResults(journal).count < after && p.isRunning && Date() < deadline { usleep(50_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        return journalResults(journal)
    }

    @Test func killedHalfwayResumesWithoutRepeatingAndEndsIdentical() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SearchDriverTests.script(dir: dir + "/a").write(toFile: dir + "/a.brp", atomically: true, encoding: .utf8)
        try SearchDriverTests.script(dir: dir + "/b").write(toFile: dir + "/b.brp", atomically: true, encoding: .utf8)
        let (s1, reference, e1) = try CommandLineTests.brpsh(
            [dir + "/a.brp", "--quiet"], env: ["EVAL_LOG": dir + "/a.log"])
        #expect(s1 == 0, "\(e1)")
        #expect(reference.contains("from journal 0 failed 0"))
        let all = try String(contentsOfFile: dir + "/a.log", encoding: .utf8).split(separator: "\n")
        #expect(all.count == 30 && Set(all).count == 30)

        // The same search, slowed down, killed (SIGKILL: no chance to clean up) once 12 results are journaled.
        let journaled = try SearchDriverTests.killed(
            script: dir + "/b.brp", journal: dir + "/b", after: 12,
            env: ["EVAL_LOG": dir + "/b1.log", "EVAL_SLEEP": "0.3"])
        #expect(journaled.count >= 12 && journaled.count < 30, "\(journaled.count) results journaled when killed")
        sleep(1)  // evaluations that were running finish on their own (their results were never journaled)

        let (s2, resumed, e2) = try CommandLineTests.brpsh(
            [dir + "/b.brp", "--quiet"], env: ["EVAL_LOG": dir + "/b2.log"])
        #expect(s2 == 0, "\(e2)")
        #expect(SearchDriverTests.results(resumed) == SearchDriverTests.results(reference))
        #expect(resumed.contains("from journal \(journaled.count) failed 0"))
        let again = try String(contentsOfFile: dir + "/b2.log", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Set(again).isDisjoint(with: journaled), "a journaled evaluation ran again")
        #expect(again.count == 30 - journaled.count)

        // Run a third time: everything comes from the journal, nothing is evaluated.
        let (s3, third, _) = try CommandLineTests.brpsh(
            [dir + "/b.brp", "--quiet"], env: ["EVAL_LOG": dir + "/b3.log"])
        #expect(s3 == 0 && third.contains("from journal 30 failed 0"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/b3.log"))

        // Another search in the same directory is refused, naming what differs.
        try SearchDriverTests.script(dir: dir + "/b", K: 12).write(
            toFile: dir + "/c.brp", atomically: true, encoding: .utf8)
        let (s4, _, e4) = try CommandLineTests.brpsh([dir + "/c.brp", "--quiet"])
        #expect(s4 == 70 && e4.contains("holds another search") && e4.contains("K"), "\(e4)")
    }

    /// search("brp", dir:) journals asks and tells: a new session on the same directory (a new brpsh process, after the
    /// first stopped mid-iteration) resumes with the same history, re-offers what was asked and not told, and ends
    /// as an uninterrupted session.
    @Test func askTellSessionResumesFromItsJournal() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let make =
            #"s = search("brp", space: "darts", K: 6, M: 12, iters: 2, epochs: 5, hidden: 16, pool: 100, seed: 4, dir: "j")"#
        let score = #"fn score(g) { len(g) % 7 + 90 }"#
        let finish = """
            while not s.finished { for g in s.ask(4) { s.tell(g, score(g)) } }
            print(s.best.accuracy, len(s.history))
            for h in s.history { print(h.accuracy, h.arch) }
            """
        try [make, score, finish].joined(separator: "\n").write(
            toFile: dir + "/whole.brp", atomically: true, encoding: .utf8)
        try [make, score, "for g in s.ask(5) { s.tell(g, score(g)) }", "x = s.ask(1)", "print(len(s.history))"]
            .joined(separator: "\n").write(toFile: dir + "/part.brp", atomically: true, encoding: .utf8)
        let (s0, whole, e0) = try CommandLineTests.brpsh(["whole.brp"], cwd: dir)
        #expect(s0 == 0, "\(e0)")
        try FileManager.default.removeItem(atPath: dir + "/j")
        let (s1, part, e1) = try CommandLineTests.brpsh(["part.brp"], cwd: dir)
        #expect(s1 == 0 && part == "3\n", "\(part) \(e1)")
        let (s2, resumed, e2) = try CommandLineTests.brpsh(["whole.brp"], cwd: dir)
        #expect(s2 == 0, "\(e2)")
        #expect(resumed == whole)
    }

    /// NAS-Bench-101 cells: a user's results file as the evaluator (the search looks each proposed cell up), and a pool
    /// of random valid cells with a function as evaluator; both reproducible from the seed.
    @Test func nb101SearchesAFileAndAPool() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 400 cells: a chain input → k ops → output plus some skip edges, with a synthetic accuracy.
        var lines: [String] = []
        var state: UInt64 = 12345
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let names = ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"]
        var seen = Set<String>()
        while lines.count < 400 {
            let k = 1 + next(5)
            let n = k + 2
            var m = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
            for i in 0..<(n - 1) { m[i][i + 1] = 1 }
            var edges = n - 1
            for i in 0..<n {
                for j in (i + 2)..<max(i + 2, n) where edges < 9 && next(4) == 0 {
                    m[i][j] = 1
                    edges += 1
                }
            }
            let ops = ["input"] + (0..<k).map { _ in names[next(3)] } + ["output"]
            let acc =
                85 + Double(ops.filter { $0 == "conv3x3-bn-relu" }.count) * 1.5 + Double(edges) * 0.3 + Double(
                    next(100)) / 100
            let rows = m.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",")
            let cell = "\"adjacency\": [\(rows)], \"ops\": [" + ops.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
            if seen.insert(cell).inserted { lines.append("{" + cell + ", \"metrics\": {\"accuracy\": \(acc)}}") }
        }
        try lines.joined(separator: "\n").write(toFile: dir + "/cells.jsonl", atomically: true, encoding: .utf8)
        let script = """
            r = brp(space: "nb101", K: 10, M: 30, iters: 2, epochs: 10, hidden: 16, seed: 1, evaluate: "cells.jsonl")
            print(r.evaluated, r.failed, r.best)
            q = brp(space: "nb101", K: 6, M: 10, iters: 2, epochs: 5, hidden: 16, pool: 200, seed: 2, evaluate: fn(c) { len(c) % 13 + 80 })
            print(q.evaluated, q.best_arch)
            """
        try script.write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        let (s1, out1, e1) = try CommandLineTests.brpsh(["s.brp", "--quiet"], cwd: dir)
        #expect(s1 == 0, "\(e1)")
        let (_, out2, _) = try CommandLineTests.brpsh(["s.brp", "--quiet"], cwd: dir)
        #expect(out1 == out2 && out1.hasPrefix("30 0 "))
        let best = Double(out1.split(separator: "\n")[0].split(separator: " ")[2]) ?? 0
        let accuracies = lines.compactMap {
            Double($0.split(separator: ":").last!.dropLast(2).trimmingCharacters(in: .whitespaces))
        }
        #expect(accuracies.contains(best) && best > accuracies.sorted()[accuracies.count * 3 / 4], "best \(best)")
        #expect(out1.contains("10 {\"adjacency\": [["), "\(out1)")
        // A results file without an accuracy is an error naming the line.
        try "{\"adjacency\": [[0,1],[0,0]], \"ops\": [\"input\", \"output\"], \"metrics\": {\"loss\": 1}}".write(
            toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let (s3, _, e3) = try CommandLineTests.brpsh(
            ["-c", #"brp(space: "nb101", K: 2, iters: 1, evaluate: "bad.jsonl")"#], cwd: dir)
        #expect(s3 == 70 && e3.contains("bad.jsonl:1: no numeric \"accuracy\""), "\(e3)")
    }

    /// A timed-out evaluation is killed and recorded as failed; Ctrl-C stops the search at once, kills running
    /// evaluations (their whole process groups) and keeps what was journaled.
    @Test func timeoutsAndInterruptsKillEvaluations() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let marker = "brpsh-marker-\(UInt32.random(in: 0...UInt32.max))"
        try SearchDriverTests.script(dir: dir + "/t", evaluator: "timeout: 300ms", K: 2, M: 3)
            .replacingOccurrences(of: "K: 2, M: 3, seed: 1,", with: "K: 2, M: 3, iters: 1, seed: 1,")
            .write(toFile: dir + "/t.brp", atomically: true, encoding: .utf8)
        let start = Date()
        let (s1, out, e1) = try CommandLineTests.brpsh([dir + "/t.brp", "--quiet"], env: ["EVAL_SLEEP": "20"])
        #expect(s1 == 0 && out.contains("failed 3"), "\(out) \(e1)")
        #expect(Date().timeIntervalSince(start) < 15, "timeouts took \(Date().timeIntervalSince(start)) s")
        let journal = try String(contentsOfFile: dir + "/t/journal.jsonl", encoding: .utf8)
        #expect(journal.contains("timed out after 0.3 s"))

        try SearchDriverTests.script(dir: dir + "/i", evaluator: "parallel: 2").replacingOccurrences(
            of: "{arch}", with: "{arch} \(marker)"
        )
        .write(toFile: dir + "/i.brp", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = [dir + "/i.brp"]
        p.environment = ProcessInfo.processInfo.environment.merging(["EVAL_SLEEP": "60"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Processes whose command line holds the marker (read from /proc: no procps needed).
        func running() -> Int {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return pids.filter { pid in
                guard pid.allSatisfy(\.isNumber),
                    let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
                else { return false }
                return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
            }.count
        }
        let deadline = Date().addingTimeInterval(60)
        while running() < 2 && Date() < deadline { usleep(100_000) }
        #expect(running() >= 2, "the evaluations did not start")
        kill(p.processIdentifier, SIGINT)
        let stop = Date().addingTimeInterval(10)
        while p.isRunning && Date() < stop { usleep(50_000) }
        #expect(!p.isRunning, "brpsh did not stop on Ctrl-C")
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        usleep(300_000)
        #expect(running() == 0, "evaluations left running after Ctrl-C")
    }

    /// A function evaluator is part of a journal's identity by its source text: another function, another search.
    @Test func changedEvaluatorFunctionIsAnotherSearch() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let call =
            #"brp(space: "darts", K: 2, M: 3, iters: 1, epochs: 2, hidden: 8, pool: 10, evaluate: fn(g) { EXPR }, dir: "j").best"#
        let (s1, o1, e1) = try CommandLineTests.brpsh(
            ["-c", "print(" + call.replacingOccurrences(of: "EXPR", with: "90") + ")"], cwd: dir)
        #expect(s1 == 0 && o1 == "90.0\n", "\(o1) \(e1)")
        let (s2, o2, _) = try CommandLineTests.brpsh(
            ["-c", "print(" + call.replacingOccurrences(of: "EXPR", with: "90") + ")"], cwd: dir)
        #expect(s2 == 0 && o2 == "90.0\n")
        let (s3, _, e3) = try CommandLineTests.brpsh(
            ["-c", "print(" + call.replacingOccurrences(of: "EXPR", with: "91") + ")"], cwd: dir)
        #expect(s3 == 70 && e3.contains("holds another search (it differs in evaluator)"), "\(e3)")
    }

    /// A failing evaluation is retried, then recorded as failed with its stderr; the search goes on.
    @Test func failedEvaluationsAreRecordedNotFatal() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SearchDriverTests.script(dir: dir + "/s", evaluator: "retries: 1", K: 6, M: 10)
            .write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        let (status, out, err) = try CommandLineTests.brpsh(
            [dir + "/s.brp", "--quiet"], env: ["EVAL_FAIL_IF": "max_pool_3x3', 0"])
        #expect(status == 0, "\(err)")
        let failed =
            Int(out.split(separator: "\n").last { $0.hasPrefix("from journal") }?.split(separator: " ").last ?? "")
            ?? -1
        #expect(failed > 0 && failed < 10, "\(out)")
        let journal = try String(contentsOfFile: dir + "/s/journal.jsonl", encoding: .utf8)
        #expect(
            journal.contains("\"event\":\"failed\"") && journal.contains("simulated training failure")
                && journal.contains("\"attempts\":2"))
    }

    /// Each evaluation a Slurm job on the local test cluster: the same results as evaluating here.
    @Test(.enabled(if: SlurmCluster.conf != nil, Comment(rawValue: SlurmCluster.reason)))
    func evaluationsAsSlurmJobs() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SearchDriverTests.script(dir: dir + "/local", K: 5, M: 8).write(
            toFile: dir + "/local.brp", atomically: true, encoding: .utf8)
        try SearchDriverTests.script(
            dir: dir + "/slurm", evaluator: "parallel: 4, slurm: true, timeout: 300s", K: 5, M: 8
        )
        .write(toFile: dir + "/slurm.brp", atomically: true, encoding: .utf8)
        let (s1, local, e1) = try CommandLineTests.brpsh([dir + "/local.brp", "--quiet"])
        #expect(s1 == 0, "\(e1)")
        let (s2, slurm, e2) = try CommandLineTests.brpsh(
            [dir + "/slurm.brp", "--quiet"], env: ["SLURM_CONF": SlurmCluster.conf!], cwd: dir)
        #expect(s2 == 0, "\(e2)")
        #expect(SearchDriverTests.results(slurm) == SearchDriverTests.results(local))
        #expect(FileManager.default.fileExists(atPath: dir + "/slurm/evals/1/sbatch.out"))
    }
}
