import Foundation
import Infra
import Interpreter
import Lang
import NASLib

/// `provenance.json`: what produced a run's results, so a reviewer can rerun it and know why the
/// bits may differ (thread count, BLAS kernel).
public enum Provenance {
    public static let version = "0.1.0"

    /// What this binary was built from: the SHA-256 of brpsh's Swift sources, computed when it was built (the
    /// BuildIdentity build plugin), so it names the same sources on every machine that builds them and never changes
    /// under a running sweep (it used to be the git HEAD of the checkout around the binary, asked at run time).
    public static let sources = BuildIdentity.sourceSHA256

    /// "brpsh 0.1.0 sources 1a2b...": what sweeps and merges compare.
    public static var identity: String { "brpsh \(version) sources \(sources)" }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    static func machine() -> Value {
        let m = Machine.current
        return .record(
            Record([
                ("hostname", .string(m.hostname)), ("os", .string(m.os)), ("arch", .string(m.arch)),
                ("cpu", .string(m.cpu)),
                ("cores", .int(m.cores)), ("memory_gib", .number(m.memoryGiB)),
            ]))
    }

    /// The record as a value (written as JSON).
    public static func record(
        _ interpreter: Interpreter, script: String?, scriptText: String, arguments: [String],
        start: Date, end: Date, status: Int32, stoppedBy: String? = nil
    ) -> Value {
        let run = RunContext.of(interpreter)
        let nas = (interpreter.host as? BuiltinsState)?.nas
        let data = (nas?.filesRead ?? []).map { f -> Value in
            .record(
                Record([
                    ("file", .string(f.relative)), ("path", .string(f.path)), ("sha256", .string(f.sha256)),
                    ("bytes", .int(f.size)), ("verified", .bool(f.status == .verified)),
                ]))
        }
        let outputs = OutputLog.of(interpreter).paths.map { path -> Value in
            .record(Record([("file", .string(path)), ("sha256", .string((try? SHA256.file(path)) ?? "missing"))]))
        }
        let precisions = Set(
            run.calls.compactMap { call -> String? in
                if case .record(let r) = call.arguments, case .string(let p)? = r["precision"] { return p }
                return nil
            }
        ).sorted()
        let calls = run.calls.map { c in
            Value.record(
                Record([("builtin", .string(c.name)), ("arguments", c.arguments), ("from_cache", .bool(c.cached))]))
        }
        return .record(
            Record([
                ("brpsh", .record(Record([("version", .string(version)), ("sources", .string(sources))]))),
                ("command", .list(arguments.map(Value.string))),
                (
                    "script",
                    .record(
                        Record([
                            ("path", script.map(Value.string) ?? .nil), ("sha256", .string(SHA256.hex(scriptText))),
                        ]))
                ),
                ("seed", .int(run.initialSeed)),
                ("overrides", .record(Record(run.overrides.map { ($0.0, .string($0.1)) }))),
                (
                    "data",
                    .record(
                        Record([
                            ("directory", nas?.directory.map { .string($0.root) } ?? .nil),
                            ("source", nas?.directory.map { .string($0.reason) } ?? .nil),
                            ("BRPSH_DATA", run.environment["BRPSH_DATA"].map(Value.string) ?? .nil),
                            ("files", .list(data)),
                        ]))
                ),
                (
                    "blas",
                    .record(
                        Record([
                            ("library", .string(BLAS.configuration)), ("kernel", .string(BLAS.coreName)),
                            ("threads_per_call", .int(BLAS.threads)),
                            ("parts", .int(Parallel.parts)), ("parts_concurrent", .bool(Parallel.concurrent)),
                        ]))
                ),
                ("precision", .list(precisions.map(Value.string))),
                ("cache", .bool(run.useCache)),
                ("machine", machine()),
                ("start", .string(iso(start))), ("end", .string(iso(end))),
                ("seconds", .number((end.timeIntervalSince(start) * 1000).rounded() / 1000)),
                ("exit_status", .int(Int(status))),
                // false when the run did not reach its end (an error, Ctrl-C, SIGTERM): the bundle holds what it had.
                ("complete", .bool(status == 0)),
                ("stopped_by", stoppedBy.map(Value.string) ?? .nil),
                ("calls", .list(calls)),
                // What the run warned about (a failed or unconverged training, the script's own `warn`), in order.
                ("warnings", .list(run.warnings.map(Value.string))),
                ("outputs", .list(outputs)),
            ]))
    }
}

/// SHA-256 of files, for other layers.
public enum SHA256Hex {
    public static func file(_ path: String) -> String { (try? SHA256.file(path)) ?? "unreadable" }
}
