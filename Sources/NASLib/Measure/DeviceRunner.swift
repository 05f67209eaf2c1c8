import Foundation
import Infra

/// A device runner (docs/measure.md, "Device runners"): a command brpsh starts and talks to in JSON lines. For each
/// model brpsh writes one request line to the runner's standard input and reads one reply line from its standard
/// output, `{"id": N, "runs": [[seconds, ...], ...]}` or `{"id": N, "error": "..."}`. Lines on standard output that
/// are not JSON objects are ignored (kept for error messages); standard error goes to a log file.
///
/// A runner that exits or breaks the protocol is restarted for the next model and the model it was on is recorded
/// as failed; one that takes longer than `timeout` seconds for a model is killed, and the same. Three failures in a
/// row with no model measured stop the measurement (a runner that cannot work at all is an error, not 15625 failures).
public final class DeviceRunner {
    public let command: String
    public let timeout: Double
    public let log: String?
    private var child: ChildProcess?
    private var input: FileHandle?
    private var output: Int32 = -1
    private var buffer: [UInt8] = []
    private var ignored: [String] = []
    /// The runner's self-description (the `device` field of a first line `{"device": ...}`), if it sent one.
    public private(set) var device: String?
    private var failuresInARow = 0
    public static let maxFailuresInARow = 3

    public init(command: String, timeout: Double, log: String? = nil) {
        self.command = command
        self.timeout = timeout
        self.log = log
    }

    deinit { stop() }

    /// Starts `/bin/sh -c command` in a process group of its own (so a stop reaches whatever it started), its
    /// standard input and output on pipes, its standard error appended to the log.
    func start() throws {
        var toRunner: [Int32] = [0, 0]
        var fromRunner: [Int32] = [0, 0]
        guard pipe(&toRunner) == 0, pipe(&fromRunner) == 0 else {
            throw NASLibError("runner \"\(command)\": cannot create pipes")
        }
        // Not inherited by anything else brpsh starts; the runner gets its ends as 0, 1, 2.
        for fd in toRunner + fromRunner { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let errFD =
            log.map { open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
            ?? open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer {
            close(toRunner[0])
            close(fromRunner[1])
            if errFD >= 0 { close(errFD) }
        }
        let started: ChildProcess
        do {
            started = try ChildProcess.shell(
                command,
                streams: .init(stdin: toRunner[0], stdout: fromRunner[1], stderr: errFD >= 0 ? errFD : fromRunner[1]))
        } catch {
            close(toRunner[1])
            close(fromRunner[0])
            throw NASLibError("runner \(error)")
        }
        child = started
        input = FileHandle(fileDescriptor: toRunner[1], closeOnDealloc: true)
        output = fromRunner[0]
        buffer = []
        ignored = []
    }

    /// Stops the runner and everything it started (SIGKILL to its process group), and reaps it.
    public func stop() {
        guard let running = child else { return }
        try? input?.close()
        input = nil
        running.kill()
        close(output)
        output = -1
        child = nil
    }

    /// The samples for one request, or the reason it failed (the runner is restarted for the next one).
    public func measure(_ request: [String: Any], id: Int) throws -> Result<[[Double]], NASLibError> {
        if child == nil { try start() }
        var r = request
        r["id"] = id
        let result = exchange(r, id: id)
        switch result {
        case .success: failuresInARow = 0
        case .failure(let e):
            stop()
            failuresInARow += 1
            if failuresInARow >= Self.maxFailuresInARow {
                throw NASLibError(
                    "runner \"\(command)\" failed \(failuresInARow) models in a row; the last: \(e.message)")
            }
        }
        return result
    }

    private func exchange(_ request: [String: Any], id: Int) -> Result<[[Double]], NASLibError> {
        guard let line = try? JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]) else {
            return .failure(NASLibError("request \(id) cannot be encoded"))
        }
        // A runner that died makes the write fail; it must not kill brpsh with SIGPIPE.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        do {
            try input?.write(contentsOf: line + Data("\n".utf8))
        } catch {
            return .failure(NASLibError("the runner stopped reading (\(tail()))"))
        }
        let deadline = NativeTimer.now() + timeout
        while true {
            let reply: [UInt8]
            switch readLine(until: deadline) {
            case .line(let l): reply = l
            case .eof: return .failure(NASLibError("the runner exited (\(tail()))"))
            case .timeout:
                return .failure(
                    NASLibError("no reply within \(String(format: "%g", timeout)) s (the runner was killed)"))
            }
            guard let o = try? ExactJSON.object(with: Data(reply)) as? [String: Any] else {
                ignored.append(String(decoding: reply.prefix(200), as: UTF8.self))
                if ignored.count > 5 { ignored.removeFirst() }
                continue
            }
            if o["id"] == nil, let d = o["device"] as? String {
                device = d
                continue
            }
            guard JSONNumber.of(o["id"]) == Double(id) else {
                return .failure(NASLibError("reply for id \(o["id"] ?? "none"), expected \(id)"))
            }
            if let e = o["error"] as? String { return .failure(NASLibError("the runner: \(e)")) }
            return Self.runs(o["runs"], id: id)
        }
    }

    /// A reply's `runs`: a non-empty list of non-empty lists of numbers of seconds (JSON booleans are not numbers,
    /// though Foundation bridges them to 1 and 0), each a plausible latency.
    static func runs(_ value: Any?, id: Int) -> Result<[[Double]], NASLibError> {
        let shape = NASLibError("reply \(id) has no \"runs\" (a list of lists of seconds)")
        guard let lists = value as? [Any], !lists.isEmpty else { return .failure(shape) }
        var runs: [[Double]] = []
        for list in lists {
            guard let items = list as? [Any], !items.isEmpty else { return .failure(shape) }
            var run: [Double] = []
            for item in items {
                guard let s = JSONNumber.of(item) else {
                    return .failure(
                        NASLibError("reply \(id): a sample in \"runs\" is not a number of seconds (\(item))"))
                }
                guard LatencyStatistic.isPlausible(s) else {
                    return .failure(
                        NASLibError(
                            """
                            reply \(id): a sample of \(s) s is not a latency (positive, at most \(Int(LatencyStatistic.maxSeconds)) s)
                            """))
                }
                run.append(s)
            }
            runs.append(run)
        }
        return .success(runs)
    }

    private func tail() -> String {
        ignored.isEmpty ? "no other output" : "last output: " + ignored.suffix(2).joined(separator: " | ")
    }

    enum Read {
        case line([UInt8])
        case eof, timeout
    }

    /// The next line of the runner's output, waiting at most until `deadline` (a monotonic time).
    private func readLine(until deadline: Double) -> Read {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                return .line(line)
            }
            guard buffer.count < 16 << 20 else { return .eof }  // a line of 16 MB is not a reply
            let left = deadline - NativeTimer.now()
            guard left > 0 else { return .timeout }
            var fds = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(left * 1000, 1000).rounded(.up)))
            if ready < 0 && errno != EINTR { return .eof }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(output, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .eof }
            buffer += chunk[..<n]
        }
    }
}

extension DeviceRunner {
    /// The request for one model: the arch in every encoding brpsh knows, the network's shape and cell edges (what
    /// a runner needs to build it), and the timing settings.
    public static func request(_ arch: NB201Arch, index: Int?, _ s: MeasureSettings) -> [String: Any] {
        let shape = NB201Network.Shape(dataset: s.dataset)
        var r: [String: Any] = [
            "arch": arch.description, "vector": arch.vector, "naslib": arch.naslib,
            "dataset": s.dataset.rawValue, "input": [1, 3, shape.inputSize, shape.inputSize], "classes": shape.classes,
            "channels": shape.channels, "cells_per_stack": shape.cellsPerStack,
            "edges": arch.ops.enumerated().map { e, op -> [String: Any] in
                ["from": NB201Arch.edges[e].0, "to": NB201Arch.edges[e].1, "op": op.name]
            },
            "runs": s.runs, "per_run": s.perRun, "warmup": s.warmup, "threads": s.threads, "seed": s.seed,
        ]
        if let index { r["index"] = index }
        return r
    }

    /// The request for a model of a declared space: its text form (what a runner builds the network from), the
    /// space's declaration and the timing settings.
    public static func request(declared a: DeclaredArch, _ s: MeasureSettings) -> [String: Any] {
        [
            "arch": a.description, "space": a.space.description, "runs": s.runs, "per_run": s.perRun,
            "warmup": s.warmup, "threads": s.threads, "seed": s.seed,
        ]
    }
}
