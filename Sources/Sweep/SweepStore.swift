import Builtins
import Foundation
import Infra
import NASLib

#if canImport(Glibc)
    import Glibc
#endif

/// What a sweep is: the script, the brpsh and the data it runs with, and its tasks. Written once to
/// `DIR/sweep.json`; a later `brpsh sweep` on the same directory must describe the same sweep.
public struct SweepSpec: Codable, Equatable {
    public struct Task: Codable, Equatable {
        public let name: String
        public let assignments: [Assignment]

        public init(name: String, assignments: [Assignment]) {
            self.name = name
            self.assignments = assignments
        }
    }

    public var format = 1
    /// The script's absolute path and the SHA-256 of its text.
    public var script: String
    public var scriptSHA256: String
    /// "brpsh VERSION sources SHA256" (`Provenance.identity`: fixed when the binary was built).
    public var brpsh: String
    /// The data directory and the SHA-256 over its files' names and hashes.
    public var dataDirectory: String
    public var data: String
    /// `--set` overrides every task shares.
    public var fixed: [Assignment]
    public var variables: [SweepVariable]
    /// How the `seed` variable reaches the script: "set" (`--set seed=...`, the script assigns `seed`) or
    /// "option" (`--seed ...`, the default seed of builtins called without seed:).
    public var seedBy: String
    public var tasks: [Task]

    public init(
        script: String, scriptSHA256: String, brpsh: String, dataDirectory: String, data: String,
        fixed: [Assignment], variables: [SweepVariable], seedBy: String, tasks: [Task]
    ) {
        self.script = script
        self.scriptSHA256 = scriptSHA256
        self.brpsh = brpsh
        self.dataDirectory = dataDirectory
        self.data = data
        self.fixed = fixed
        self.variables = variables
        self.seedBy = seedBy
        self.tasks = tasks
    }

    /// What differs from another spec, in words, or nil when they describe the same sweep.
    public func difference(from other: SweepSpec) -> String? {
        var what: [String] = []
        if script != other.script || scriptSHA256 != other.scriptSHA256 {
            what.append(
                "the script (\(other.script) sha256 \(other.scriptSHA256.prefix(12)) then, \(script) sha256 \(scriptSHA256.prefix(12)) now)"
            )
        }
        if brpsh != other.brpsh { what.append("brpsh (\(other.brpsh) then, \(brpsh) now)") }
        if data != other.data {
            what.append(
                "the data (\(other.dataDirectory) sha256 \(other.data.prefix(12)) then, \(dataDirectory) sha256 \(data.prefix(12)) now)"
            )
        }
        if fixed != other.fixed { what.append("the --set options") }
        if variables != other.variables { what.append("the --over grid") }
        if seedBy != other.seedBy { what.append("how the seed is passed") }
        return what.isEmpty ? nil : what.joined(separator: "; ")
    }
}

/// The state of one task, in `DIR/tasks/NAME.json` (replaced atomically at every change).
public struct TaskState: Codable, Equatable {
    public enum State: String, Codable {
        case pending, submitted, running, done, failed
    }

    /// Why a task failed: the script ended with an error ("exit"; retried with --retry-failed), or the run was
    /// stopped from outside ("killed": a signal, scancel, a time limit, a lost runner; run again by the next sweep).
    public enum Cause: String, Codable {
        case exit, killed
    }

    public var state: State = .pending
    public var cause: Cause?
    public var exitStatus: Int32?
    public var reason: String?
    public var attempts = 0
    public var host: String?
    public var pid: Int32?
    public var slurmJob: String?
    public var started: String?
    public var ended: String?
    public var seconds: Double?
    public var stderrTail: [String]?
}

/// A sweep's directory: `sweep.json`, `tasks/` (states and locks), `points/NAME/` (each task's `--out` bundle),
/// `logs/` (each task's stdout and stderr), `slurm/` (batch scripts, Slurm's output, job ids) and `merged/`.
public final class SweepStore {
    public let dir: String
    public let spec: SweepSpec

    public var specPath: String { path("sweep.json") }
    public func path(_ parts: String...) -> String { parts.reduce(dir) { ($0 as NSString).appendingPathComponent($1) } }
    public func statePath(_ t: Int) -> String { path("tasks", spec.tasks[t].name + ".json") }
    public func lockPath(_ t: Int) -> String { path("tasks", spec.tasks[t].name + ".lock") }
    public func pointDir(_ t: Int) -> String { path("points", spec.tasks[t].name) }
    public func logPath(_ t: Int, _ stream: String) -> String { path("logs", spec.tasks[t].name + "." + stream) }

    private init(dir: String, spec: SweepSpec) {
        self.dir = dir
        self.spec = spec
    }

    /// Opens the sweep in `dir`, creating it for `spec` if it is new (unless `preview`: then a new sweep is only
    /// described, nothing is written); refuses a directory made for another sweep.
    public static func create(_ dir: String, spec: SweepSpec, preview: Bool = false) throws -> SweepStore {
        let absolute = Paths.canonical(dir)
        if FileManager.default.fileExists(atPath: (absolute as NSString).appendingPathComponent("sweep.json")) {
            let store = try open(absolute)
            if let what = spec.difference(from: store.spec) {
                throw SweepError(
                    """
                    \(dir) holds a sweep of a different experiment: \(what). Its results must not be mixed; \
                    give another --out (or remove \(dir) to start over)
                    """)
            }
            return store
        }
        if let items = try? FileManager.default.contentsOfDirectory(atPath: absolute), !items.isEmpty {
            throw SweepError(
                "\(dir) exists and is not a sweep directory (no sweep.json); give an empty or new --out")
        }
        let store = SweepStore(dir: absolute, spec: spec)
        if preview { return store }
        for sub in ["tasks", "points", "logs", "slurm"] {
            try FileManager.default.createDirectory(atPath: store.path(sub), withIntermediateDirectories: true)
        }
        try DurableFile.write(try SweepJSON.encode(spec), to: store.specPath)
        return store
    }

    /// An existing sweep directory.
    public static func open(_ dir: String) throws -> SweepStore {
        let absolute = Paths.canonical(dir)
        let specPath = (absolute as NSString).appendingPathComponent("sweep.json")
        guard let data = FileManager.default.contents(atPath: specPath) else {
            throw SweepError("\(dir) is not a sweep directory (no sweep.json)")
        }
        do {
            let spec = try JSONDecoder().decode(SweepSpec.self, from: data)
            guard spec.format == 1 else {
                throw SweepError("\(specPath): sweep format \(spec.format) is not known to this brpsh")
            }
            return SweepStore(dir: absolute, spec: spec)
        } catch let e as SweepError {
            throw e
        } catch {
            throw SweepError("\(specPath) is damaged: \(error)")
        }
    }

    /// A task's recorded state (pending when none is recorded yet).
    public func recorded(_ t: Int) -> TaskState {
        guard let data = FileManager.default.contents(atPath: statePath(t)),
            let s = try? JSONDecoder().decode(TaskState.self, from: data)
        else { return TaskState() }
        return s
    }

    /// A task's state as it is now: a task recorded as running whose runner no longer holds its lock was killed.
    public func state(_ t: Int) -> TaskState {
        var s = recorded(t)
        if s.state == .running, !isLocked(t) {
            s.state = .failed
            s.cause = .killed
            s.reason =
                "its runner stopped without recording an end (killed with SIGKILL, out of memory, or the machine went down)"
        }
        return s
    }

    public func write(_ s: TaskState, _ t: Int) throws {
        try DurableFile.write(try SweepJSON.encode(s), to: statePath(t))
    }

    /// The task's lock, held by the process that runs it (flock: released when that process ends, however).
    public func lock(_ t: Int) -> FileLock? { FileLock(lockPath(t)) }

    public func isLocked(_ t: Int) -> Bool {
        guard let l = FileLock(lockPath(t)) else { return true }
        withExtendedLifetime(l) {}
        return false
    }

    /// The tasks a sweep call runs: pending ones, failed ones that were killed, and those that failed with an
    /// error when `retryFailed`; never one that is done or running.
    public func toRun(retryFailed: Bool, queued: Set<String> = []) -> [Int] {
        spec.tasks.indices.filter { t in
            let s = state(t)
            switch s.state {
            case .done, .running: return false
            case .pending: return true
            case .submitted: return !(s.slurmJob.map(queued.contains) ?? false)
            case .failed: return s.cause == .killed || retryFailed
            }
        }
    }
}

/// JSON of Codable values with sorted keys (stable files, stable diffs).
public enum SweepJSON {
    public static func encode<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(v), as: UTF8.self)
    }
}

/// What a sweep's results depend on besides the script: this brpsh and the data.
public enum SweepIdentity {
    public static var brpsh: String { Provenance.identity }

    /// The data directory brpsh would read and a SHA-256 over every file's relative path and SHA-256.
    public static func data(environment: [String: String]) -> (directory: String, fingerprint: String) {
        let directory: DataDirectory
        do { directory = try DataSetup.resolve(environment: environment) } catch {
            return ("none", "no data directory: \(error)")
        }
        var h = NASLib.SHA256()
        for relative in DataInventory.dataFiles(under: directory.root) {
            let path = (directory.root as NSString).appendingPathComponent(relative)
            h.update("\(relative)\t\(SHA256Hex.file(path))\n")
        }
        return (directory.root, h.hexDigest())
    }

    public static func sha256(_ text: String) -> String {
        var h = NASLib.SHA256()
        h.update(text)
        return h.hexDigest()
    }
}
