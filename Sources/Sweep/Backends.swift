import Dispatch
import Foundation
import Infra
import NASLib

#if canImport(Glibc)
    import Glibc
#endif

/// `--local N`: the tasks as N concurrent `brpsh sweep run-task` processes on this machine, each with
/// BRPSH_THREADS = cores / N so the cores are not oversubscribed (results do not depend on the thread count).
public enum LocalBackend {
    /// Runs the tasks; false when interrupted (Ctrl-C or SIGTERM: running tasks are stopped and recorded as
    /// killed, so the same command resumes them).
    public static func run(
        _ store: SweepStore, tasks: [Int], jobs: Int, environment: [String: String], log: (String) -> Void
    ) -> Bool {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads = max(1, cores / max(1, jobs))
        let running = RunningSet()
        let forwarder = SignalForwarder { sig in running.signalAll(sig) }
        defer { forwarder.cancel() }
        var queue = tasks[...]
        var done = 0
        var seconds: [Double] = []
        let start = Date()
        log(
            "sweep: \(tasks.count) task\(tasks.count == 1 ? "" : "s") to run, \(jobs) at a time, \(threads) thread\(threads == 1 ? "" : "s") each"
        )
        var env = environment
        env["BRPSH_THREADS"] = String(threads)
        let devnull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if devnull >= 0 { close(devnull) } }
        while !queue.isEmpty || running.count > 0 {
            while forwarder.received == nil, running.count < jobs, let t = queue.popFirst() {
                do {
                    let child = try ChildProcess.start(
                        [TaskRunner.executable, "sweep", "run-task", store.dir, String(t)], environment: env,
                        streams: .init(stdin: devnull, stdout: devnull, stderr: 2))
                    running.add(t, child)
                } catch {
                    log("sweep: cannot start task \(store.spec.tasks[t].name): \(error)")
                }
            }
            if running.count == 0 { break }
            var ended = running.removeFinished()
            while ended.isEmpty {
                usleep(50_000)
                ended = running.removeFinished()
            }
            for (t, exit) in ended {
                done += 1
                let s = store.state(t)
                let what: String
                switch s.state {
                case .done:
                    seconds.append(s.seconds ?? 0)
                    what = String(format: "done in %.1f s", s.seconds ?? 0)
                case .failed: what = "failed: " + (s.reason ?? "exit status \(exit.code)")
                default: what = "ended as \(s.state.rawValue)"
                }
                let remaining = queue.count + running.count
                var line = "sweep: [\(done)/\(tasks.count)] \(store.spec.tasks[t].name) \(what)"
                if remaining > 0, forwarder.received == nil {
                    let elapsed = Date().timeIntervalSince(start)
                    let eta = elapsed / Double(done) * Double(remaining)
                    line += String(format: " · %d running · about %.0f s left", running.count, eta)
                }
                log(line)
            }
        }
        return forwarder.received == nil
    }
}

/// The task processes a local sweep runs.
final class RunningSet: @unchecked Sendable {  // Sendable, unchecked: `processes` is guarded by `lock`
    private let lock = NSLock()
    private var processes: [(Int, ChildProcess)] = []

    public var count: Int { lock.withLock { processes.count } }
    public func add(_ t: Int, _ p: ChildProcess) { lock.withLock { processes.append((t, p)) } }

    /// The tasks whose process has ended, with how it ended (removed from the set).
    public func removeFinished() -> [(Int, ChildProcess.Exit)] {
        lock.withLock {
            var done: [(Int, ChildProcess.Exit)] = []
            processes.removeAll { t, p in
                guard let e = p.poll() else { return false }
                done.append((t, e))
                return true
            }
            return done
        }
    }

    public func signalAll(_ sig: Int32) { lock.withLock { for (_, p) in processes { p.signal(sig) } } }
}

/// `--slurm`: one job array of `brpsh sweep run-task DIR $SLURM_ARRAY_TASK_ID` and a merge job that runs when
/// the array has ended (`--dependency=afterany`), submitted with sbatch.
public struct SlurmBackend {
    public var partition: String?
    public var time: String?
    public var mem: String?
    public var cpusPerTask = 1
    public var account: String?
    public var extra: [String] = []
    public var jobName = "brpsh-sweep"

    public init(
        partition: String? = nil, time: String? = nil, mem: String? = nil, cpusPerTask: Int = 1,
        account: String? = nil, extra: [String] = []
    ) {
        self.partition = partition
        self.time = time
        self.mem = mem
        self.cpusPerTask = cpusPerTask
        self.account = account
        self.extra = extra
    }

    /// The `#SBATCH` lines every job gets (partition, time, memory, account, the user's own lines).
    public var common: [String] {
        var lines: [String] = []
        if let p = partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = time { lines.append("#SBATCH --time=\(t)") }
        if let m = mem { lines.append("#SBATCH --mem=\(m)") }
        if let a = account { lines.append("#SBATCH --account=\(a)") }
        lines += extra.map { $0.hasPrefix("#SBATCH") ? $0 : "#SBATCH \($0)" }
        return lines
    }

    public func arrayScript(_ store: SweepStore, tasks: [Int]) -> String {
        let exe = TaskRunner.executable
        return
            ([
                "#!/bin/bash",
                "# brpsh sweep \(store.spec.script): \(tasks.count) task(s) of \(store.dir)",
                "#SBATCH --job-name=\(jobName)",
                "#SBATCH --array=\(SlurmBackend.ranges(tasks))",
                "#SBATCH --cpus-per-task=\(cpusPerTask)",
                "#SBATCH --output=\(store.path("slurm", "%A_%a.out"))",
            ] + common + [
                "export BRPSH_THREADS=\"${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}\"",
                "exec \(ChildProcess.quote(exe)) sweep run-task \(ChildProcess.quote(store.dir)) \"$SLURM_ARRAY_TASK_ID\"",
            ]).joined(separator: "\n") + "\n"
    }

    public func mergeScript(_ store: SweepStore) -> String {
        ([
            "#!/bin/bash",
            "# brpsh merge \(store.dir), once the sweep's job array has ended",
            "#SBATCH --job-name=\(jobName)-merge",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --output=\(store.path("slurm", "merge-%j.out"))",
        ] + common + [
            "exec \(ChildProcess.quote(TaskRunner.executable)) merge \(ChildProcess.quote(store.dir))"
        ]).joined(separator: "\n") + "\n"
    }

    /// `0-3,7,9-10`: Slurm's array syntax for task numbers.
    public static func ranges(_ xs: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let s = xs.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
            parts.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// Submits the array and the merge job; returns their job ids.
    public func submit(_ store: SweepStore, tasks: [Int]) throws -> (array: String, merge: String) {
        let arrayPath = store.path("slurm", "array.sbatch")
        let mergePath = store.path("slurm", "merge.sbatch")
        try DurableFile.write(arrayScript(store, tasks: tasks), to: arrayPath)
        try DurableFile.write(mergeScript(store), to: mergePath)
        let array = try Slurm.sbatch([arrayPath])
        for t in tasks {
            var s = store.recorded(t)
            s.state = .submitted
            s.slurmJob = "\(array)_\(t)"
            s.cause = nil
            s.reason = nil
            try store.write(s, t)
        }
        let merge = try Slurm.sbatch(["--dependency=afterany:\(array)", mergePath])
        try DurableFile.write(
            try SweepJSON.encode(
                SubmittedJobs(
                    array: array, merge: merge, tasks: tasks, submitted: ISO8601DateFormatter().string(from: Date()))),
            to: store.path("slurm", "jobs.json"))
        return (array, merge)
    }
}

/// `slurm/jobs.json`: the jobs a sweep submitted (the task array and the merge that waits for it).
public struct SubmittedJobs: Codable, Equatable {
    public var array: String
    public var merge: String
    /// The task indices the array runs.
    public var tasks: [Int]
    public var submitted: String
}
