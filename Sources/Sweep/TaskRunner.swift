import Builtins
import Dispatch
import Foundation
import Infra
import NASLib
import RunRecord

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one task of a sweep (`brpsh sweep run-task DIR N`, what every backend starts): checks that the script,
/// brpsh and data are still the sweep's, takes the task's lock, records it as running, runs
/// `brpsh run SCRIPT --set ... --out DIR/points/NAME` as a child process with its output in `DIR/logs/`, and
/// records the end: done (exit 0 and a results.json), failed with the script's error and its stderr tail, or
/// killed (a signal: Ctrl-C, SIGTERM, scancel, a time limit).
public enum TaskRunner {
    public enum Outcome: Int32 {
        case done = 0
        case failed = 1
        case busy = 75
        case killed = 143
    }

    public static func run(dir: String, task t: Int, environment: [String: String], log: (String) -> Void) throws
        -> Outcome
    {
        let store = try SweepStore.open(dir)
        guard store.spec.tasks.indices.contains(t) else {
            throw SweepError("\(dir) has tasks 0...\(store.spec.tasks.count - 1), not \(t)")
        }
        guard let lock = store.lock(t) else {
            log("task \(store.spec.tasks[t].name) is running elsewhere; not started twice")
            return .busy
        }
        // Signals from here on stop the task cleanly (recorded as killed), also before the child starts.
        let child = ChildSlot()
        let stopper = SignalForwarder { sig in child.signal(sig) }
        defer { stopper.cancel() }
        return try withExtendedLifetime(lock) {
            var state = store.recorded(t)
            if state.state == .done { return .done }
            state.state = .running
            state.cause = nil
            state.exitStatus = nil
            state.reason = nil
            state.stderrTail = nil
            state.ended = nil
            state.seconds = nil
            state.attempts += 1
            state.host = ProcessInfo.processInfo.hostName
            state.pid = getpid()
            state.slurmJob =
                environment["SLURM_ARRAY_JOB_ID"].map { "\($0)_\(environment["SLURM_ARRAY_TASK_ID"] ?? "")" }
                ?? environment["SLURM_JOB_ID"]
            let start = Date()
            state.started = ISO8601DateFormatter().string(from: start)
            try store.write(state, t)

            func finish(_ outcome: Outcome, cause: TaskState.Cause? = nil, status: Int32? = nil, reason: String? = nil)
                throws -> Outcome
            {
                state.state = outcome == .done ? .done : .failed
                state.cause = cause
                state.exitStatus = status
                state.reason = reason
                state.ended = ISO8601DateFormatter().string(from: Date())
                state.seconds = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
                state.stderrTail = outcome == .done ? nil : tail(store.logPath(t, "err"))
                try store.write(state, t)
                return outcome
            }

            if let changed = try changedSince(store.spec, environment: environment) {
                return try finish(
                    .failed, cause: .exit, reason: "not run: \(changed) changed since the sweep was created")
            }
            let point = store.pointDir(t)
            try? FileManager.default.removeItem(atPath: point)
            for stream in ["out", "err"] {
                _ = FileManager.default.createFile(atPath: store.logPath(t, stream), contents: nil)
            }
            guard let out = FileHandle(forWritingAtPath: store.logPath(t, "out")),
                let err = FileHandle(forWritingAtPath: store.logPath(t, "err"))
            else {
                return try finish(.failed, cause: .exit, reason: "cannot write the logs in \(store.path("logs"))")
            }
            if let sig = stopper.received {
                return try finish(
                    .killed, cause: .killed, reason: "stopped by \(SignalForwarder.name(sig)) before it started")
            }
            let devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)
            defer { if devnull >= 0 { close(devnull) } }
            let started: ChildProcess
            do {
                started = try ChildProcess.start(
                    [executable] + arguments(store.spec, task: t, out: point), environment: environment,
                    streams: .init(stdin: devnull, stdout: out.fileDescriptor, stderr: err.fileDescriptor))
            } catch {
                return try finish(.failed, cause: .exit, reason: "cannot start \(executable): \(error)")
            }
            child.set(started)
            // a signal during the start
            if let sig = stopper.received { started.signal(sig == SIGINT ? SIGTERM : sig) }
            let exit = started.wait()
            let signal = stopper.received
            try? out.close()
            try? err.close()
            if let sig = signal {
                return try finish(
                    .killed, cause: .killed,
                    reason: "stopped by \(SignalForwarder.name(sig)) (Ctrl-C, kill, scancel or a time limit)")
            }
            if case .signalled(let sig) = exit {
                return try finish(.killed, cause: .killed, reason: "brpsh was killed by \(SignalForwarder.name(sig))")
            }
            let status = exit.code
            // A signal sent to the whole job (scancel, a time limit) reaches the child too, which stops, writes its
            // bundle and exits before this process's handler may have run: the child's own record says so.
            if status != 0, let by = Self.stoppedBy(point) {
                return try finish(
                    .killed, cause: .killed, status: status,
                    reason: "stopped by \(by) (Ctrl-C, kill, scancel or a time limit)")
            }
            guard status == 0 else {
                return try finish(
                    .failed, cause: .exit, status: status, reason: "the script failed (exit status \(status))")
            }
            guard FileManager.default.fileExists(atPath: (point as NSString).appendingPathComponent("results.json"))
            else {
                return try finish(.failed, cause: .exit, status: status, reason: "the run wrote no results.json")
            }
            return try finish(.done, status: 0)
        }
    }

    /// The signal that stopped a run, from the `stopped_by` of the provenance.json it wrote (nil when it ran to its
    /// end or failed by itself).
    public static func stoppedBy(_ point: String) -> String? {
        let path = (point as NSString).appendingPathComponent("provenance.json")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return (try? ProvenanceRecord.read(path))?.stopped_by
    }

    /// The command line of a task: the sweep's fixed `--set`s, then its point's.
    public static func arguments(_ spec: SweepSpec, task t: Int, out: String) -> [String] {
        var args = ["run", spec.script, "--out", out]
        for a in spec.fixed + spec.tasks[t].assignments {
            if a.name == SweepVariable.replicate && spec.seedBy == "option" {
                args += ["--seed", a.value]
            } else {
                args += ["--set", "\(a.name)=\(a.value)"]
            }
        }
        return args
    }

    public static var executable: String { DataLocation.currentExecutable() ?? CommandLine.arguments[0] }

    /// What changed since the sweep was created (the script, brpsh, the data), or nil.
    public static func changedSince(_ spec: SweepSpec, environment: [String: String]) throws -> String? {
        guard let text = FileManager.default.contents(atPath: spec.script) else {
            return "the script \(spec.script) (it is gone)"
        }
        if SweepIdentity.sha256(String(decoding: text, as: UTF8.self)) != spec.scriptSHA256 {
            return "the script \(spec.script)"
        }
        if SweepIdentity.brpsh != spec.brpsh { return "brpsh (\(SweepIdentity.brpsh), the sweep has \(spec.brpsh))" }
        let data = SweepIdentity.data(environment: environment)
        if data.fingerprint != spec.data { return "the data (\(data.directory))" }
        return nil
    }

    /// The last lines of a log (at most 15, from its last 4 KB).
    public static func tail(_ path: String, lines: Int = 15) -> [String] {
        guard let h = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? h.close() }
        let size = (try? h.seekToEnd()) ?? 0
        try? h.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let text = String(decoding: h.readDataToEndOfFile(), as: UTF8.self)
        return Array(text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).map(String.init))
    }
}

/// The task's child process once it has started, for the signal handler (which may run before it starts).
final class ChildSlot: @unchecked Sendable {  // Sendable, unchecked: `child` is guarded by `lock`
    private let lock = NSLock()
    private var child: ChildProcess?

    public func set(_ c: ChildProcess) { lock.withLock { child = c } }
    /// Passes a signal to the child's process group, when it runs.
    public func signal(_ sig: Int32) { lock.withLock { child }?.signal(sig) }
}
