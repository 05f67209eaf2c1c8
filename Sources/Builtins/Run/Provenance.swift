import Foundation
import Infra
import Interpreter
import Lang
import NASLib
import RunRecord

/// `provenance.json`: what produced a run's results, so a reviewer can rerun it and know why the
/// bits may differ (thread count, BLAS kernel).
public enum Provenance {
    public static let version = "0.1.0"

    /// What this binary was built from: the SHA-256 of brpsh's Swift and C sources, computed when it was built (the
    /// BuildIdentity build plugin), so it names the same sources on every machine that builds them and never changes
    /// under a running sweep (it used to be the git HEAD of the checkout around the binary, asked at run time).
    public static let sources = BuildIdentity.sourceSHA256

    /// "brpsh 0.1.0 sources 1a2b...": what sweeps and merges compare.
    public static var identity: String { "brpsh \(version) sources \(sources)" }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    static func machine() -> ProvenanceRecord.MachineRecord {
        let m = Machine.current
        return ProvenanceRecord.MachineRecord(
            hostname: m.hostname, os: m.os, arch: m.arch, cpu: m.cpu, cores: m.cores, memoryGiB: m.memoryGiB)
    }

    /// The run's record (written as provenance.json by the front end).
    public static func record(
        _ interpreter: Interpreter, script: String?, scriptText: String, arguments: [String],
        start: Date, end: Date, status: Int32, stoppedBy: String? = nil
    ) -> ProvenanceRecord {
        let run = RunContext.of(interpreter)
        let nas = (interpreter.host as? BuiltinsState)?.nas
        let data = (nas?.filesRead ?? []).map { f in
            ProvenanceRecord.DataFile(
                file: f.relative, path: f.path, sha256: f.sha256, bytes: f.size, verified: f.status == .verified)
        }
        let outputs = OutputLog.of(interpreter).paths.map { path in
            ProvenanceRecord.Output(file: path, sha256: (try? SHA256.file(path)) ?? "missing")
        }
        let precisions = Set(
            run.calls.compactMap { call -> String? in
                if case .record(let r) = call.arguments, case .string(let p)? = r["precision"] { return p }
                return nil
            }
        ).sorted()
        var overrides: [String: String] = [:]
        for (name, text) in run.overrides { overrides[name] = text }
        return ProvenanceRecord(
            brpsh: .init(version: version, sources: sources), command: arguments,
            script: .init(path: script, sha256: SHA256.hex(scriptText)), seed: run.initialSeed, overrides: overrides,
            data: .init(
                directory: nas?.directory?.root, source: nas?.directory?.reason,
                BRPSH_DATA: run.environment["BRPSH_DATA"], files: data),
            blas: .init(
                library: BLAS.configuration, kernel: BLAS.numericsKernel, threadsPerCall: BLAS.threads,
                parts: Parallel.parts,
                partsConcurrent: Parallel.concurrent, exactGEMM: BLAS.exactDescription),
            precision: precisions, cache: run.useCache, machine: machine(), start: iso(start), end: iso(end),
            seconds: (end.timeIntervalSince(start) * 1000).rounded() / 1000, exitStatus: Int(status),
            stoppedBy: stoppedBy,
            calls: run.calls.map { c in
                ProvenanceRecord.Call(builtin: c.name, arguments: RecordValue(value: c.arguments), fromCache: c.cached)
            },
            warnings: run.warnings, outputs: outputs)
    }
}

/// SHA-256 of files, for other layers.
public enum SHA256Hex {
    public static func file(_ path: String) -> String { (try? SHA256.file(path)) ?? "unreadable" }
}
