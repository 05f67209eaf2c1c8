import Foundation
import Testing

/// Evaluation commands that outlive their welcome: a timed-out command that keeps forking leaves no process behind,
/// and `max_processes:` sets the evaluation's process limit. The stand-ins are bounded (300 sleeps at most, each
/// ending by itself within a minute), never an unbounded fork.
@Suite(.serialized) struct RunawayEvaluationTests {
    /// Processes (not zombies) whose command line contains `marker`.
    static func living(_ marker: String) -> [Int32] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
        return pids.filter { pid in
            guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmd.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker),
                let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            else { return false }
            return !status.contains("State:\tZ")
        }
    }

    @Test func aTimedOutCommandThatForksLeavesNothing() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A bounded fork bomb: every process forks two more, 8 levels deep (511 processes at most), each level a few
        // milliseconds after the last, so processes are forking in every part of the group when the 1 s timeout
        // kills it; one SIGKILL to the group can miss a child forked meanwhile.
        try """
        f() { sleep 0.1; if [ $1 -gt 0 ]; then f $(($1-1)) & f $(($1-1)) & fi; exec sleep 61.25; }
        f 8
        """.write(toFile: dir + "/forker.sh", atomically: true, encoding: .utf8)
        let code =
            "r = random_search(budget: 2, seed: 1, evaluate: run(\"sh forker.sh {arch}\", timeout: 1s))\nprint(r.failed)"
        let (status, out, err) = try ArtifactTests.brpsh(["-c", code], cwd: dir)
        #expect(status == 0 && out == "2\n", "\(status) \(out) \(err)")
        let left = Self.living("61.25")
        for pid in left { kill(pid, SIGKILL) }
        #expect(left.isEmpty, "\(left.count) processes of the killed evaluation are still running")
    }

    @Test func maxProcessesSetsTheEvaluationsLimit() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        n=$(grep 'Max processes' /proc/self/limits | tr -s ' ' | cut -d ' ' -f 3)
        echo "{\\"accuracy\\": $n}"
        """.write(toFile: dir + "/limits.sh", atomically: true, encoding: .utf8)
        let code =
            "r = random_search(budget: 1, seed: 1, evaluate: run(\"sh limits.sh {arch}\", max_processes: 37))\nprint(r.best)"
        let (status, out, err) = try ArtifactTests.brpsh(["-c", code], cwd: dir)
        #expect(status == 0 && out == "37.0\n", "\(status) \(out) \(err)")
        let (bad, _, message) = try ArtifactTests.brpsh(["-c", "e = run(\"x {arch}\", max_processes: 0)"], cwd: dir)
        #expect(bad == 70 && message.contains("max_processes"), "\(message)")
    }
}
