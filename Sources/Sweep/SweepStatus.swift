import Foundation
import Infra

/// What `brpsh sweep status` reports.
public enum SweepStatus {
    /// The word for a task's state: a task stopped by a signal (Ctrl-C, SIGTERM, scancel, a time limit) is "killed",
    /// as docs/scale-out.md says, not "failed" (it runs again with the next sweep, no --retry-failed needed).
    public static func word(_ s: TaskState) -> String {
        s.state == .failed && s.cause == .killed ? "killed" : s.state.rawValue
    }

    public static func counts(_ store: SweepStore) -> String {
        var c: [String: Int] = [:]
        for t in store.spec.tasks.indices { c[word(store.state(t)), default: 0] += 1 }
        return ["done", "running", "submitted", "killed", "failed", "pending"].compactMap { w in
            c[w].map { "\($0) \(w)" }
        }
        .joined(separator: ", ")
    }

    public static func describe(_ store: SweepStore, _ t: Int) -> String {
        let s = store.state(t)
        var line = "  \(store.spec.tasks[t].name): \(word(s))"
        if let j = s.slurmJob { line += " (Slurm job \(j))" }
        if let r = s.reason { line += ": " + r }
        if s.state == .failed {
            line += s.cause == .killed ? " [runs again with the next sweep]" : " [runs again with --retry-failed]"
            if let tail = s.stderrTail, !tail.isEmpty {
                line +=
                    "\n    stderr (\(store.logPath(t, "err"))):\n" + tail.map { "      " + $0 }.joined(separator: "\n")
            }
        }
        return line
    }

    /// The Slurm jobs this sweep submitted (the array and the merge job).
    public static func jobs(_ store: SweepStore) -> [String] {
        guard let data = FileManager.default.contents(atPath: store.path("slurm", "jobs.json")),
            let jobs = try? JSONDecoder().decode(SubmittedJobs.self, from: data)
        else { return [] }
        return [jobs.array, jobs.merge]
    }

    public static func report(_ store: SweepStore) -> String {
        var out = "sweep \(store.dir): \(store.spec.script)\n"
        out +=
            "  over " + store.spec.variables.map { "\($0.name) (\($0.values.count))" }.joined(separator: " × ")
            + " = \(store.spec.tasks.count) tasks: \(counts(store))\n"
        let jobs = jobs(store)
        if !jobs.isEmpty {
            if let q = Slurm.queued(jobs) {
                out += "  Slurm jobs \(jobs.joined(separator: ", ")): "
                out +=
                    q.isEmpty
                    ? "none queued or running\n"
                    : q.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            } else {
                out += "  Slurm: squeue is not available here\n"
            }
            if let acct = Slurm.accounting(jobs) {
                if acct.exit == .exited(0) {
                    out +=
                        acct.stdout.split(separator: "\n").map {
                            "  sacct " + $0.replacingOccurrences(of: "|", with: " ")
                        }
                        .joined(separator: "\n") + "\n"
                } else {
                    out += "  sacct: \(acct.stderr.trimmingCharacters(in: .whitespacesAndNewlines))\n"
                }
            }
        }
        for t in store.spec.tasks.indices where store.state(t).state != .done {
            out += describe(store, t) + "\n"
        }
        if FileManager.default.fileExists(atPath: store.path("merged", "results.json")) {
            out += "  merged: \(store.path("merged", "results.json"))\n"
        }
        return out
    }

    /// Polls until none of the sweep's Slurm jobs is queued or running.
    public static func waitForSlurm(_ store: SweepStore, timeout: Double? = nil, log: (String) -> Void) throws {
        let jobs = jobs(store)
        var last = ""
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let d = deadline, Date() > d {
                throw SweepError(
                    "the Slurm jobs \(jobs.joined(separator: ", ")) have not ended after \(Int(timeout!)) s; they go on (see `brpsh sweep status \(store.dir)`)"
                )
            }
            guard let q = Slurm.queued(jobs) else {
                throw SweepError("squeue is not available; cannot wait for the jobs")
            }
            let now = counts(store)
            if now != last {
                log("sweep: \(now)")
                last = now
            }
            if q.isEmpty { return }
            Thread.sleep(forTimeInterval: 1)
        }
    }
}
