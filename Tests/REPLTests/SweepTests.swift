import Foundation
import Infra
import TestSupport
import Testing

@testable import App
@testable import Sweep

/// `brpsh sweep` and `brpsh merge`: grids, durable task states, resuming, refusing mixed results, merging, and
/// the same sweep on a real one-node Slurm (scripts/slurm-local) giving bit-identical merged results.
@Suite struct SweepTests {
    static func brpsh(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> (Int32, String, String) {
        try CommandLineTests.brpsh(args, env: env, cwd: cwd)
    }

    static let script = """
        seed = 1
        scale = 2
        xs = [1, 2, 3, 4]
        ys = map(xs) { x -> x * scale + seed * 0.5 }
        table([{name: "a", v: seed * 1.5}, {name: "b", v: scale}])
        w = if seed == 2 { warn("seed", seed, "is odd") } else { nil }
        save(plot([{x: xs, y: ys, label: "line"}]), "f.svg")
        {total: sum(ys), ok: true, tag: "t\\(seed)"}
        """

    /// A script whose tasks take a moment (to be interrupted) and whose seed 3 fails.
    static let slow = """
        seed = 1
        x = 0
        for i in 1..(\(slowLoop)) { x = x + i * seed }
        assert(seed != 3, "seed 3 fails on purpose")
        {x: x}
        """
    static let slowLoop = 300_000

    /// A task's recorded state, or nil before it has one.
    static func peek(_ dir: String, _ name: String) -> [String: Any]? {
        FileManager.default.contents(atPath: "\(dir)/tasks/\(name).json").flatMap {
            try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
        }
    }

    static func state(_ dir: String, _ name: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: "\(dir)/tasks/\(name).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func localSweepMergesResumesAndRefusesMixing() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/t.brp", atomically: true, encoding: .utf8)
        let args = ["sweep", "t.brp", "--over", "seed=1..3", "--over", "scale=2,3", "--out", "s", "--local", "2", "-q"]
        let (status, out, err) = try Self.brpsh(args, cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(out.contains("scale=2 (n = 3; seed 1, 2, 3)"))
        let merged = try TestJSON.object(dir + "/s/merged/results.json")
        let groups = try #require(merged["groups"] as? [[String: Any]])
        #expect(groups.count == 2)
        #expect((groups[1]["point"] as? [String: String]) == ["scale": "3"])
        let record = try #require((groups[1]["displays"] as? [Any])?[1] as? [String: Any])
        let total = try #require(record["total"] as? [String: Any])
        // total = 4·(1+2+3+4)... per seed: scale·10 + 4·0.5·seed = 30 + 2·seed → 32, 34, 36.
        #expect(total["mean"] as? Double == 34 && total["std"] as? Double == 2 && total["n"] as? Int == 3)
        #expect((record["tag"] as? [String: Any])?["values"] as? [String] == ["t1", "t2", "t3"])
        #expect(FileManager.default.fileExists(atPath: dir + "/s/merged/scale=2/f.svg"))
        let svg = try String(contentsOfFile: dir + "/s/merged/scale=2/f.svg", encoding: .utf8)
        #expect(svg.contains("line (n = 3)"))
        // summary.csv is tidy: a column per grouping variable, numbers as numbers, the unit in its own column.
        let csv = try String(contentsOfFile: dir + "/s/merged/summary.csv", encoding: .utf8).split(separator: "\n").map
        {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(csv.first == ["scale", "value", "unit", "mean", "std", "n", "min", "max"], "\(csv.first ?? [])")
        #expect(
            csv.contains {
                $0.count == 8 && $0[0] == "3" && $0[1].hasSuffix("total") && $0[3] == "34" && $0[4] == "2"
                    && $0[5] == "3"
            },
            "\(csv)")
        // Every task's provenance is in the merged one.
        let provenance = try TestJSON.object(dir + "/s/merged/provenance.json")
        #expect((provenance["tasks"] as? [Any])?.count == 6)
        // The tasks' OpenBLAS kernels are listed; tasks trained on two kernels merge with a warning naming both.
        let kernels = try #require(provenance["blas_kernels"] as? [String: [String]])
        #expect(kernels.count == 1 && kernels.values.first?.count == 6, "\(kernels)")
        // Tasks that warned (seed 2 of each scale) are counted, named and quoted; their provenance keeps the warnings.
        let plain = try Self.brpsh(["merge", "s"], cwd: dir).2
        #expect(!plain.contains("OpenBLAS kernels"), "\(plain)")
        #expect(
            plain.contains("2 of 6 tasks warned while they ran (0002_seed=2,scale=2, 0003_seed=2,scale=3)")
                && plain.contains("\"seed 2 is odd\""), "\(plain)")
        let warned = (provenance["tasks"] as? [[String: Any]])?.compactMap {
            ($0["provenance"] as? [String: Any])?["warnings"] as? [String]
        }
        #expect(warned == [[], [], ["seed 2 is odd"], ["seed 2 is odd"], [], []], "\(warned ?? [])")
        let pointProvenance = dir + "/s/points/0000_seed=1,scale=2/provenance.json"
        let original = try #require(FileManager.default.contents(atPath: pointProvenance))
        var otherKernel = try TestJSON.object(pointProvenance)
        otherKernel["blas"] = ["kernel": "OtherKernel"]
        try JSONSerialization.data(withJSONObject: otherKernel).write(to: URL(fileURLWithPath: pointProvenance))
        let mixed = try Self.brpsh(["merge", "s"], cwd: dir)
        #expect(
            mixed.0 == 0 && mixed.2.contains("2 OpenBLAS kernels") && mixed.2.contains("OtherKernel: 1 task"),
            "\(mixed.2)")
        try original.write(to: URL(fileURLWithPath: pointProvenance))
        // Two point directories swapped (scale=2 <-> scale=3) are refused, not merged under each other's values.
        let a = dir + "/s/points/0000_seed=1,scale=2"
        let b = dir + "/s/points/0001_seed=1,scale=3"
        try FileManager.default.moveItem(atPath: a, toPath: a + ".tmp")
        try FileManager.default.moveItem(atPath: b, toPath: a)
        try FileManager.default.moveItem(atPath: a + ".tmp", toPath: b)
        let swapped = try Self.brpsh(["merge", "s"], cwd: dir)
        #expect(swapped.0 != 0 && swapped.2.contains("should have run with scale=2"), "\(swapped.2)")
        try FileManager.default.moveItem(atPath: a, toPath: a + ".tmp")
        try FileManager.default.moveItem(atPath: b, toPath: a)
        try FileManager.default.moveItem(atPath: a + ".tmp", toPath: b)
        // A point whose provenance names no script (copied from elsewhere, with it removed) is refused.
        var noScript = try TestJSON.object(pointProvenance)
        noScript.removeValue(forKey: "script")
        try JSONSerialization.data(withJSONObject: noScript).write(to: URL(fileURLWithPath: pointProvenance))
        let copied = try Self.brpsh(["merge", "s"], cwd: dir)
        #expect(
            copied.0 != 0 && copied.2.contains("task 0000_seed=1,scale=2:") && copied.2.contains("no field 'script'"),
            "\(copied.2)")
        try original.write(to: URL(fileURLWithPath: pointProvenance))
        #expect(try Self.brpsh(["merge", "s"], cwd: dir).0 == 0)

        // Running it again runs nothing.
        let again = try Self.brpsh(
            ["sweep", "t.brp", "--over", "seed=1..3", "--over", "scale=2,3", "--out", "s", "--local", "2"], cwd: dir)
        #expect(again.0 == 0 && again.2.contains("0 tasks to run"))
        #expect(try Self.state(dir + "/s", "0000_seed=1,scale=2")["attempts"] as? Int == 1)
        // Another grid, or a changed script, is refused for the same directory.
        let grid = try Self.brpsh(["sweep", "t.brp", "--over", "seed=1..4", "--out", "s"], cwd: dir)
        #expect(grid.0 == 1 && grid.2.contains("different experiment") && grid.2.contains("--over grid"))
        try (Self.script + "\n# edited\n").write(toFile: dir + "/t.brp", atomically: true, encoding: .utf8)
        let edited = try Self.brpsh(args, cwd: dir)
        #expect(edited.0 == 1 && edited.2.contains("the script"))
        // A task started by hand after the edit refuses to run the changed script.
        try FileManager.default.removeItem(atPath: dir + "/s/tasks/0001_seed=1,scale=3.json")
        let task = try Self.brpsh(["sweep", "run-task", "s", "1"], cwd: dir)
        #expect(task.0 == 1)
        #expect(
            (try Self.state(dir + "/s", "0001_seed=1,scale=3")["reason"] as? String)?.contains(
                "changed since the sweep was created") == true)
        // Usage errors.
        #expect(
            try Self.brpsh(["sweep", "t.brp", "--over", "nope=1,2", "--out", "u"], cwd: dir).2.contains(
                "no top-level assignment 'nope"))
        #expect(
            try Self.brpsh(["sweep", "t.brp", "--over", "seed=1", "--out", "u", "--local", "2", "--slurm"], cwd: dir).0
                == 64)
        #expect(try Self.brpsh(["merge", "nowhere"], cwd: dir).2.contains("not a sweep directory"))
    }

    @Test func failedTasksAreReportedAndRetriedOnRequest() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.slow.write(toFile: dir + "/slow.brp", atomically: true, encoding: .utf8)
        let args = ["sweep", "slow.brp", "--over", "seed=2..4", "--out", "s", "--local", "2"]
        let first = try Self.brpsh(args, cwd: dir)
        #expect(first.0 == 1)
        #expect(first.2.contains("0001_seed=3: failed: the script failed (exit status 70)"))
        #expect(first.2.contains("seed 3 fails on purpose"))  // the stderr tail
        let status = try Self.brpsh(["sweep", "status", "s"], cwd: dir)
        #expect(status.1.contains("2 done, 1 failed") && status.1.contains("runs again with --retry-failed"))
        // Without --retry-failed the failed task is not run again; with it, it is (and fails again).
        #expect(try Self.brpsh(args, cwd: dir).2.contains("0 tasks to run"))
        #expect(try Self.brpsh(args + ["--retry-failed"], cwd: dir).2.contains("1 task to run"))
        #expect(try Self.state(dir + "/s", "0001_seed=3")["attempts"] as? Int == 2)
        // A partial merge lists what is missing.
        let partial = try Self.brpsh(["merge", "--partial", "s"], cwd: dir)
        #expect(partial.0 == 0 && partial.1.contains("missing: 0001_seed=3") && partial.1.contains("n = 2"))
        #expect(try Self.brpsh(["merge", "s"], cwd: dir).0 == 1)
    }

    /// SIGTERM to a running local sweep: running tasks are recorded as killed, finished ones are kept, and the same
    /// command resumes; the merged result equals an uninterrupted sweep's, bit for bit.
    @Test func interruptedSweepResumesWithoutRerunningFinishedTasks() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = Self.slow.replacingOccurrences(of: "\(Self.slowLoop)", with: "1000000").replacingOccurrences(
            of: "seed != 3", with: "seed != 99")
        try script.write(toFile: dir + "/slow.brp", atomically: true, encoding: .utf8)
        let args = ["sweep", "slow.brp", "--over", "seed=1..4", "--out", "s", "--local", "1", "-q"]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until the first task is done and the second runs, then stop the sweep.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if Self.peek(dir + "/s", "0000_seed=1")?["state"] as? String == "done",
                Self.peek(dir + "/s", "0001_seed=2")?["state"] as? String == "running"
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        let killed = try Self.state(dir + "/s", "0001_seed=2")
        #expect(killed["state"] as? String == "failed" && killed["cause"] as? String == "killed", "\(killed)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/s/tasks/0002_seed=3.json"))  // never started
        // Reported with the word the docs use: killed, not failed.
        let status = try Self.brpsh(["sweep", "status", "s"], cwd: dir)
        #expect(
            status.1.contains("0001_seed=2: killed") && status.1.contains("1 killed") && !status.1.contains("failed"),
            "\(status.1)")
        let resumed = try Self.brpsh(args, cwd: dir)
        #expect(resumed.0 == 0, "\(resumed.2)")
        #expect(try Self.state(dir + "/s", "0000_seed=1")["attempts"] as? Int == 1)  // not run again
        #expect(try Self.state(dir + "/s", "0001_seed=2")["attempts"] as? Int == 2)
        let whole = try Self.brpsh(
            ["sweep", "slow.brp", "--over", "seed=1..4", "--out", "w", "--local", "2", "-q"], cwd: dir)
        #expect(whole.0 == 0)
        #expect(
            FileManager.default.contents(atPath: dir + "/s/merged/results.json")
                == FileManager.default.contents(atPath: dir + "/w/merged/results.json"))
    }

    /// A signal that reaches the task's `brpsh run` but not (or not yet) its runner — scancel and time limits signal
    /// every process of a job, and the runner's handler may run late on a loaded machine — is still recorded as a
    /// kill (the run's own provenance says stopped_by), not as a failed script.
    @Test func signalToTheRunOnlyIsRecordedAsKilled() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = Self.slow.replacingOccurrences(of: "\(Self.slowLoop)", with: "3000000").replacingOccurrences(
            of: "seed != 3", with: "seed != 99")
        try script.write(toFile: dir + "/slow.brp", atomically: true, encoding: .utf8)
        #expect(
            try Self.brpsh(["sweep", "slow.brp", "--over", "seed=1", "--out", "s", "--print-commands"], cwd: dir).0 == 0
        )
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        runner.arguments = ["sweep", "run-task", "s", "0"]
        runner.currentDirectoryURL = URL(fileURLWithPath: dir)
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        try runner.run()
        // The task's `brpsh run`: the process whose command line names the point's --out directory (Linux /proc; the
        // runner may start other short-lived children first, such as git for the sweep's identity).
        let point = Paths.canonical(dir + "/s") + "/points/0000_seed=1"  // as the runner names it
        var child: Int32?
        let deadline = Date().addingTimeInterval(120)
        while child == nil, Date() < deadline {
            let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
            child = pids.first { pid in
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                return cmdline.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == point }
            }
            if child == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let pid = try #require(child, "the runner started no brpsh run for the task")
        // The run creates its --out directory after it installs its SIGTERM handler: from then on it is in the script.
        while !FileManager.default.fileExists(atPath: point), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(FileManager.default.fileExists(atPath: point), "the run never created \(point)")
        kill(pid, SIGTERM)
        runner.waitUntilExit()
        let state = try Self.state(dir + "/s", "0000_seed=1")
        #expect(state["state"] as? String == "failed" && state["cause"] as? String == "killed", "\(state)")
        #expect((state["reason"] as? String)?.contains("stopped by SIGTERM") == true, "\(state)")
    }

    /// A sweep prepares its script as `brpsh run` does (the Pipeline): a command statement such as `load latbench`
    /// is fine; a script the static check refuses is refused before any task exists.
    @Test func sweepPreparesTheScriptAsRunDoes() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "load latbench\nseed = 1\nprint(seed)\n".write(toFile: dir + "/load.brp", atomically: true, encoding: .utf8)
        let (ok, out, err) = try Self.brpsh(
            ["sweep", "load.brp", "--over", "seed=1..2", "--out", "s", "--dry-run"], cwd: dir)
        #expect(ok == 0 && out.contains("2 of 2 tasks would run"), "\(out)\(err)")
        try "seed = 1\np = gcn(device: \"m-gpx\")\n".write(toFile: dir + "/bad.brp", atomically: true, encoding: .utf8)
        let (bad, _, err2) = try Self.brpsh(
            ["sweep", "bad.brp", "--over", "seed=1..2", "--out", "b", "--dry-run"], cwd: dir)
        #expect(bad != 0 && err2.contains("unknown device \"m-gpx\""), "\(err2)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b/tasks"))
    }

    @Test func printCommandsAndDryRun() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/t.brp", atomically: true, encoding: .utf8)
        let dry = try Self.brpsh(
            [
                "sweep", "t.brp", "--over", "seed=1..3", "--out", "s", "--slurm", "--dry-run", "--partition", "gpu",
                "--time", "1:00:00", "--mem", "4G", "--cpus-per-task", "4", "--account", "lab", "--sbatch",
                "--qos=short",
            ], cwd: dir)
        #expect(dry.0 == 0)
        for line in [
            "#SBATCH --array=0-2", "#SBATCH --cpus-per-task=4", "#SBATCH --partition=gpu", "#SBATCH --time=1:00:00",
            "#SBATCH --mem=4G", "#SBATCH --account=lab", "#SBATCH --qos=short", "sweep run-task", " merge ",
        ] {
            #expect(dry.1.contains(line), "\(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/s"))  // a dry run writes nothing
        let commands = try Self.brpsh(
            ["sweep", "t.brp", "--over", "seed=1..3", "--out", "s", "--print-commands"], cwd: dir)
        let lines = commands.1.split(separator: "\n")
        #expect(lines.count == 3 && lines[2].hasSuffix("sweep run-task \(Paths.canonical(dir))/s 2"))
        // What xargs -P would do: run them, then merge.
        for line in lines {
            let r = try Self.brpsh(Array(line.split(separator: " ").dropFirst().map(String.init)), cwd: dir)
            #expect(r.0 == 0)
        }
        #expect(try Self.brpsh(["merge", "s"], cwd: dir).1.contains("n = 3"))
    }
}

/// The one-node Slurm of scripts/slurm-local, started for the tests (root and Debian's slurm-wlm and munge
/// needed); when it cannot start, the Slurm tests are skipped with the reason.
enum SlurmCluster {
    static let started: Result<String, SlurmUnavailable> = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let log = NSTemporaryDirectory() + "brpsh-slurm-local-\(getpid())"
        defer { for s in ["out", "err"] { try? FileManager.default.removeItem(atPath: "\(log).\(s)") } }
        for s in ["out", "err"] { _ = FileManager.default.createFile(atPath: "\(log).\(s)", contents: nil) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [repo.appendingPathComponent("scripts/slurm-local").path, "start"]
        p.standardOutput = FileHandle(forWritingAtPath: "\(log).out")
        p.standardError = FileHandle(forWritingAtPath: "\(log).err")
        do { try p.run() } catch {
            return .failure(SlurmUnavailable(reason: "cannot run scripts/slurm-local: \(error)"))
        }
        // Bounded: a start that does not finish is reported, never waited on forever.
        let deadline = Date().addingTimeInterval(180)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if p.isRunning {
            p.terminate()
            return .failure(SlurmUnavailable(reason: "scripts/slurm-local start did not finish within 180 s"))
        }
        let o = (try? String(contentsOfFile: "\(log).out", encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: "\(log).err", encoding: .utf8)) ?? ""
        guard p.terminationStatus == 0,
            let line = o.split(separator: "\n").first(where: { $0.hasPrefix("SLURM_CONF=") })
        else {
            return .failure(
                SlurmUnavailable(reason: "Slurm did not start: " + e.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return .success(String(line.dropFirst("SLURM_CONF=".count)))
    }()

    static var conf: String? { try? started.get() }
    static var reason: String {
        if case .failure(let f) = started { return "skipped: \(f.reason)" }
        return "a one-node Slurm is running"
    }
}

struct SlurmUnavailable: Error {
    let reason: String
}

@Suite(.serialized, .enabled(if: SlurmCluster.conf != nil, Comment(rawValue: SlurmCluster.reason)))
struct SlurmSweepTests {
    static func brpsh(_ args: [String], cwd: String) throws -> (Int32, String, String) {
        try CommandLineTests.brpsh(args, env: ["SLURM_CONF": SlurmCluster.conf!], cwd: cwd)
    }

    @Test func slurmSweepEqualsLocalSweep() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SweepTests.script.write(toFile: dir + "/t.brp", atomically: true, encoding: .utf8)
        let slurm = try Self.brpsh(
            ["sweep", "t.brp", "--over", "seed=1..4", "--out", "slurm", "--slurm", "--wait", "--wait-timeout", "300"],
            cwd: dir)
        #expect(slurm.0 == 0, "\(slurm.2)")
        #expect(slurm.2.contains("submitted job array"))
        let local = try Self.brpsh(
            ["sweep", "t.brp", "--over", "seed=1..4", "--out", "local", "--local", "2", "-q"], cwd: dir)
        #expect(local.0 == 0)
        let a = FileManager.default.contents(atPath: dir + "/slurm/merged/results.json")
        #expect(a != nil && a == FileManager.default.contents(atPath: dir + "/local/merged/results.json"))
        // Every task ran as a Slurm array task; the merge job wrote its output.
        let state = try SweepTests.state(dir + "/slurm", "0002_seed=3")
        #expect((state["slurmJob"] as? String)?.hasSuffix("_2") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/slurm/slurm")
        #expect(files.contains { $0.hasPrefix("merge-") })
        #expect(try Self.brpsh(["sweep", "status", "slurm"], cwd: dir).1.contains("4 done"))
    }

    @Test func scancelledTaskIsReportedAndRerun() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = SweepTests.slow.replacingOccurrences(of: "\(SweepTests.slowLoop)", with: "1500000")
            .replacingOccurrences(of: "seed != 3", with: "seed != 99")
        try script.write(toFile: dir + "/slow.brp", atomically: true, encoding: .utf8)
        let args = ["sweep", "slow.brp", "--over", "seed=1..3", "--out", "s", "--slurm", "-q"]
        #expect(try Self.brpsh(args, cwd: dir).0 == 0)
        let jobs = try TestJSON.object(dir + "/s/slurm/jobs.json")
        let array = try #require(jobs["array"] as? String)
        // Cancel task 1 once it runs.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, SweepTests.peek(dir + "/s", "0001_seed=2")?["state"] as? String != "running" {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["scancel", "\(array)_1"]
        p.environment = ProcessInfo.processInfo.environment.merging(["SLURM_CONF": SlurmCluster.conf!]) { $1 }
        try p.run()
        p.waitUntilExit()
        // Wait for the array and the merge job to end.
        while Date() < deadline,
            try Self.brpsh(["sweep", "status", "s"], cwd: dir).1.contains("RUNNING")
                || (try Self.brpsh(["sweep", "status", "s"], cwd: dir).1.contains("PENDING"))
        {
            Thread.sleep(forTimeInterval: 0.5)
        }
        let killed = try SweepTests.state(dir + "/s", "0001_seed=2")
        #expect(killed["state"] as? String == "failed" && killed["cause"] as? String == "killed", "\(killed)")
        #expect(try Self.brpsh(["sweep", "status", "s"], cwd: dir).1.contains("runs again with the next sweep"))
        // The next sweep call resubmits only that task, and the sweep completes.
        let again = try Self.brpsh(
            ["sweep", "slow.brp", "--over", "seed=1..3", "--out", "s", "--slurm", "--wait", "--wait-timeout", "300"],
            cwd: dir)
        #expect(again.0 == 0, "\(again.2)")
        #expect(again.2.contains("(1 task)"))
        #expect(try SweepTests.state(dir + "/s", "0000_seed=1")["attempts"] as? Int == 1)
        #expect(try SweepTests.state(dir + "/s", "0001_seed=2")["attempts"] as? Int == 2)
    }
}

/// A script run stopped by SIGTERM (a scheduler's kill, `timeout`) still writes its bundle, marked incomplete.
@Suite struct TerminatedRunTests {
    @Test func sigtermWritesAnIncompleteBundle() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = ["-c", "print(\"started\")\nx = 0\nfor i in 1..100000000 { x = x + 1 }\nx", "--out", "b"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        _ = out.fileHandleForReading.availableData  // "started": the loop runs
        Thread.sleep(forTimeInterval: 0.3)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 70)
        let provenance = try TestJSON.object(dir + "/b/provenance.json")
        #expect(provenance["complete"] as? Bool == false)
        #expect(provenance["stopped_by"] as? String == "SIGTERM")
        let transcript = try String(contentsOfFile: dir + "/b/transcript.txt", encoding: .utf8)
        #expect(transcript.contains("started") && transcript.contains("interrupted"))
        #expect(FileManager.default.fileExists(atPath: dir + "/b/results.json"))
    }
}

/// `--notebook` keeps a script's comments: the lines above a statement and a comment at the end of its line.
@Suite struct NotebookCommentTests {
    @Test func commentsStayWithTheirStatements() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "#!/usr/bin/env brpsh\n# about x\nx = 1  # trailing\n\n# about y\n# more\ny = x + 1\ny\n"
            .write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        #expect(try CommandLineTests.brpsh(["s.brp", "--notebook", "s.ipynb"], cwd: dir).0 == 0)
        let nb = try TestJSON.object(dir + "/s.ipynb")
        let cells = try #require(nb["cells"] as? [[String: Any]])
        let sources = cells.map { ($0["source"] as? [String] ?? []).joined() }
        #expect(sources == ["# about x\nx = 1  # trailing", "# about y\n# more\ny = x + 1", "y"])
    }
}

/// Off a terminal, long work prints plain progress lines to stderr (every 10 s; BRPSH_PROGRESS_SECONDS here) and
/// says when it is done; `--quiet` silences them; every predictor call, layerwise too, is in provenance.json.
@Suite struct OffTerminalProgressTests {
    @Test(.needsData) func progressLinesAndProvenanceCalls() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code =
            "p = gcn(device: \"d-cpu\", n: 40, valid: 10, epochs: 30, hidden: 32, patience: 0)\nl = layerwise(device: \"d-cpu\", n: 50)"
        let env = ["BRPSH_PROGRESS_SECONDS": "0.01", "BRPSH_CACHE": dir + "/cache"]
        let (status, _, err) = try CommandLineTests.brpsh(["-c", code, "--out", "b"], env: env, cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(err.contains("gcn d-cpu ") && err.contains("/30") && err.contains("ETA"))
        #expect(err.contains("gcn d-cpu done in"))
        let calls = try #require(try TestJSON.object(dir + "/b/provenance.json")["calls"] as? [[String: Any]])
        #expect(calls.map { $0["builtin"] as? String } == ["gcn", "layerwise"])
        let quiet = try CommandLineTests.brpsh(["-c", code, "-q", "--no-cache"], env: env, cwd: dir)
        #expect(quiet.0 == 0 && !quiet.2.contains("gcn d-cpu"))
    }
}
