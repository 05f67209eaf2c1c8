import ArgumentParser
import Builtins
import Dispatch
import Foundation
import NASLib

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one task of a sweep (`brpsh sweep run-task DIR N`, what every backend starts): checks that the script,
/// brpsh and data are still the sweep's, takes the task's lock, records it as running, runs
/// `brpsh run SCRIPT --set ... --out DIR/points/NAME` as a child process with its output in `DIR/logs/`, and
/// records the end: done (exit 0 and a results.json), failed with the script's error and its stderr tail, or
/// killed (a signal: Ctrl-C, SIGTERM, scancel, a time limit).
enum TaskRunner {
    enum Outcome: Int32 {
        case done = 0
        case failed = 1
        case busy = 75
        case killed = 143
    }

    static func run(dir: String, task t: Int, environment: [String: String] = App.environment) throws -> Outcome {
        let store = try SweepStore.open(dir)
        guard store.spec.tasks.indices.contains(t) else {
            throw CommandFailure("\(dir) has tasks 0...\(store.spec.tasks.count - 1), not \(t)")
        }
        guard let lock = store.lock(t) else {
            FileHandle.standardError.write(
                Data("brpsh: task \(store.spec.tasks[t].name) is running elsewhere; not started twice\n".utf8))
            return .busy
        }
        // Signals from here on stop the task cleanly (recorded as killed), also before the child starts.
        let child = Process()
        let stopper = SignalForwarder { sig in if child.isRunning { kill(child.processIdentifier, sig) } }
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

            if let changed = try changedSince(store.spec) {
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
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = arguments(store.spec, task: t, out: point)
            child.standardOutput = out
            child.standardError = err
            child.standardInput = FileHandle.nullDevice
            do {
                try child.run()
            } catch {
                return try finish(
                    .failed, cause: .exit, reason: "cannot start \(executable): \(error.localizedDescription)")
            }
            // a signal during the start
            if let sig = stopper.received, child.isRunning { kill(child.processIdentifier, sig) }
            child.waitUntilExit()
            let signal = stopper.received
            try? out.close()
            try? err.close()
            if let sig = signal {
                return try finish(
                    .killed, cause: .killed,
                    reason: "stopped by \(SignalForwarder.name(sig)) (Ctrl-C, kill, scancel or a time limit)")
            }
            if child.terminationReason == .uncaughtSignal {
                let sig = child.terminationStatus
                return try finish(.killed, cause: .killed, reason: "brpsh was killed by \(SignalForwarder.name(sig))")
            }
            let status = child.terminationStatus
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
    static func stoppedBy(_ point: String) -> String? {
        let path = (point as NSString).appendingPathComponent("provenance.json")
        guard let data = FileManager.default.contents(atPath: path),
            let p = try? ExactJSON.object(with: data) as? [String: Any]
        else { return nil }
        return p["stopped_by"] as? String
    }

    /// The command line of a task: the sweep's fixed `--set`s, then its point's.
    static func arguments(_ spec: SweepSpec, task t: Int, out: String) -> [String] {
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

    static var executable: String { DataLocation.currentExecutable() ?? CommandLine.arguments[0] }

    /// What changed since the sweep was created (the script, brpsh, the data), or nil.
    static func changedSince(_ spec: SweepSpec) throws -> String? {
        guard let text = FileManager.default.contents(atPath: spec.script) else {
            return "the script \(spec.script) (it is gone)"
        }
        if SweepIdentity.sha256(String(decoding: text, as: UTF8.self)) != spec.scriptSHA256 {
            return "the script \(spec.script)"
        }
        if SweepIdentity.brpsh != spec.brpsh { return "brpsh (\(SweepIdentity.brpsh), the sweep has \(spec.brpsh))" }
        let data = SweepIdentity.data()
        if data.fingerprint != spec.data { return "the data (\(data.directory))" }
        return nil
    }

    /// The last lines of a log (at most 15, from its last 4 KB).
    static func tail(_ path: String, lines: Int = 15) -> [String] {
        guard let h = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? h.close() }
        let size = (try? h.seekToEnd()) ?? 0
        try? h.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let text = String(decoding: h.readDataToEndOfFile(), as: UTF8.self)
        return Array(text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).map(String.init))
    }
}

/// Catches SIGINT and SIGTERM while a child runs: passes the signal on (through `forward`) and remembers it.
final class SignalForwarder: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var got: Int32?

    var received: Int32? { lock.withLock { got } }

    init(_ forward: @escaping @Sendable (Int32) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                self?.lock.withLock { if self?.got == nil { self?.got = sig } }
                forward(sig == SIGINT ? SIGTERM : sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGKILL: return "SIGKILL"
        case SIGHUP: return "SIGHUP"
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        default: return "signal \(sig)"
        }
    }
}
