import Foundation
import Infra

#if canImport(Glibc)
    import Glibc
#endif

/// An external evaluation per model (docs/search.md, "Evaluators"): a shell command line in which `{arch}` becomes
/// the model (shell-quoted: a NB201 arch string, a DARTS `Genotype(...)`, an NB101 spec), `{dir}` the model's own
/// directory (`DIR/evals/N`, for checkpoints and logs) and `{id}` its number N. The command's standard output and
/// error go to `stdout.log` and `stderr.log` there; the last line of standard output that is a JSON object with a
/// numeric `accuracy` gives the result, its other numeric fields are kept as metrics (`result(stdout:)`).
///
/// A non-zero exit, no accuracy line, or a run past `timeout` (its process group is killed) is a failed attempt;
/// after `retries` more attempts the model is recorded as failed with the reason and the stderr tail. On Slurm
/// each attempt is one `sbatch --wait` job (the timeout becomes the job's `--time`; extra `sbatch` options pass
/// through), so `parallel` evaluations are `parallel` jobs in the queue.
public struct EvaluationCommand: Sendable, Equatable {
    public enum Backend: Sendable, Equatable {
        case local
        case slurm(options: [String])
    }

    public var template: String
    public var timeout: Double?
    public var retries = 0
    public var parallel = 1
    public var backend = Backend.local
    /// RLIMIT_NPROC for each evaluation (`max_processes:`): binds a user who is not root, counting all of that
    /// user's processes; root ignores it (docs/search.md).
    public var maxProcesses: Int?

    public init(_ template: String) { self.template = template }

    /// What identifies the evaluator in a search journal (a different command is a different search).
    public var identity: [String: Any] {
        var o: [String: Any] = ["command": template, "retries": retries]
        if let t = timeout { o["timeout"] = t }
        return o
    }

    public func commandLine(model: String, dir: String, id: Int) -> String {
        let line = template.replacingOccurrences(of: "{arch}", with: ChildProcess.quote(model))
            .replacingOccurrences(of: "{dir}", with: ChildProcess.quote(dir))
            .replacingOccurrences(of: "{id}", with: String(id))
        return (maxProcesses.map(ChildProcess.processLimit) ?? "") + line
    }

    /// Evaluates one model (retrying as configured). nil when `cancelled` turned true: the attempt in flight was
    /// stopped and nothing is recorded, so a resumed search evaluates the model again.
    public func evaluate(model: String, dir: String, id: Int, cancelled: @escaping () -> Bool) -> SearchJournal.Outcome?
    {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let start = Date()
        var reason = ""
        for attempt in 1...(retries + 1) {
            let result = attemptOnce(model: model, dir: dir, id: id, cancelled: cancelled)
            switch result {
            case .cancelled: return nil
            case .success(let accuracy, let metrics):
                return .init(
                    accuracy: accuracy, metrics: metrics, seconds: Date().timeIntervalSince(start), attempts: attempt)
            case .failure(let why):
                reason = why
            }
        }
        return .init(accuracy: nil, error: reason, seconds: Date().timeIntervalSince(start), attempts: retries + 1)
    }

    enum Attempt {
        case success(Double, [String: Double])
        case failure(String)
        case cancelled
    }

    func attemptOnce(model: String, dir: String, id: Int, cancelled: () -> Bool) -> Attempt {
        let out = (dir as NSString).appendingPathComponent("stdout.log")
        let err = (dir as NSString).appendingPathComponent("stderr.log")
        let line = commandLine(model: model, dir: dir, id: id)
        var jobFile: String? = nil
        var arguments = ["/bin/sh", "-c", line]
        if case .slurm(let options) = backend {
            // What sbatch prints (the job id, for scancel) goes to a file of its own; the job's streams to the logs.
            jobFile = (dir as NSString).appendingPathComponent("sbatch.out")
            arguments = Slurm.waitJob(
                name: "brpsh-eval-\(id)", command: line, output: out, error: err,
                minutes: timeout.map { Int(($0 / 60).rounded(.up)) }, options: options)
        }
        let devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let o = open(jobFile ?? out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let e =
            jobFile == nil ? open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) : fcntl(o, F_DUPFD_CLOEXEC, 0)
        defer { for fd in [devnull, o, e] where fd >= 0 { close(fd) } }
        guard devnull >= 0, o >= 0, e >= 0 else { return .failure("cannot open the logs in \(dir)") }
        let child: ChildProcess
        do {
            child = try ChildProcess.start(arguments, streams: .init(stdin: devnull, stdout: o, stderr: e))
        } catch {
            return .failure("\(error)")
        }
        let deadline = timeout.map { Date().addingTimeInterval($0 + (jobFile == nil ? 0 : 120)) }
        var stopped = false
        let ended = withoutActuallyEscaping(cancelled) { check in
            child.wait(
                until: deadline,
                cancelled: {
                    stopped = check()
                    return stopped
                })
        }
        guard let exit = ended else {
            child.kill()
            cancelSlurmJob(jobFile)
            return stopped ? .cancelled : .failure("timed out after \(timeout!) s")
        }
        let stdout = FileManager.default.contents(atPath: out).map { Array($0) } ?? []
        let code = exit.code
        guard code == 0 else { return .failure("exit status \(code)\(Self.tail(err))") }
        switch Self.result(stdout: stdout) {
        case .success(let r): return .success(r.accuracy, r.metrics)
        case .failure(let why): return .failure(why.message + Self.tail(err))
        }
    }

    /// What an evaluation printed: the last line of standard output that is a JSON object with a finite numeric
    /// `accuracy` (earlier and later lines, progress objects without `accuracy` included, are passed over), its
    /// other finite numeric fields as metrics. Bytes are read leniently: lines end at LF with an optional CR, and
    /// invalid UTF-8 or binary output on other lines does not matter. Numbers are read exactly (`JSONDecoder`;
    /// `1000000000000000000000000000000` is 1e30, not 9.999999999999999e+29); booleans are not numbers.
    public static func result(stdout: [UInt8]) -> Result<(accuracy: Double, metrics: [String: Double]), NASLibError> {
        var lastObject: String? = nil
        for line in TextLines.of(stdout, keepEmpty: false).reversed() {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("{"), let fields = try? JSONDecoder().decode([String: JSONField].self, from: Data(t.utf8))
            else {
                continue
            }
            guard case .number(let a)? = fields["accuracy"], a.isFinite else {
                if lastObject == nil { lastObject = t }
                continue
            }
            var metrics: [String: Double] = [:]
            for (k, v) in fields where k != "accuracy" {
                if case .number(let n) = v, n.isFinite { metrics[k] = n }
            }
            return .success((a, metrics))
        }
        if let o = lastObject {
            return .failure(
                NASLibError(
                    "no JSON line with a numeric \"accuracy\" on standard output (the last JSON line: \(o.prefix(200)))"
                ))
        }
        return .failure(NASLibError("no JSON line with an \"accuracy\" on standard output"))
    }

    /// One field of an evaluator's JSON line: a number (read exactly), or anything else.
    enum JSONField: Decodable {
        case number(Double)
        case other

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if (try? c.decode(Bool.self)) != nil {
                self = .other
            } else if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else {
                self = .other
            }
        }
    }

    func cancelSlurmJob(_ file: String?) {
        guard let f = file, let text = try? String(contentsOfFile: f, encoding: .utf8), let job = Slurm.jobID(text)
        else { return }
        Slurm.cancel([job])
    }

    /// "; stderr: ..." with the last lines of a log, or nothing.
    static func tail(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        let lines = text.split(whereSeparator: \.isNewline).suffix(5).joined(separator: " | ")
        return lines.isEmpty ? "" : "; stderr: " + String(lines.suffix(400))
    }
}
