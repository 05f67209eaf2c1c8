import Foundation
import Infra

/// `provenance.json` of an `--out` run: what produced its results, so a reviewer can rerun it and know why the bits may
/// differ (thread count, BLAS kernel). Written by `Builtins.Provenance` at the end of a run; read by `brpsh check`,
/// `brpsh merge`, the sweep's task runner and `brpsh reproduce record`.
///
/// Format 2 adds `format` and writes a call's quantity arguments typed (`{"value": 7, "unit": "ms"}`); the previous
/// format (no `format`, quantities as strings, older runs without `precision`, `warnings`, `complete`, `stopped_by`,
/// the brpsh identity as a git `commit`) is still read.
public struct ProvenanceRecord: Codable, Equatable, Sendable {
    public static let currentFormat = RunRecordJSON.currentFormat

    public struct Brpsh: Codable, Equatable, Sendable {
        public var version: String
        /// The SHA-256 of the sources the binary was built from.
        public var sources: String?
        /// What runs recorded before the sources' hash: the git commit around the binary.
        public var commit: String?

        public init(version: String, sources: String) {
            self.version = version
            self.sources = sources
        }

        /// "0.1.0 1a2b...": what a sweep's tasks must agree on.
        public var identity: String { "\(version) \(sources ?? commit ?? "")" }
    }

    public struct Script: Codable, Equatable, Sendable {
        /// As the run was given it; nil for `-c` or standard input.
        public var path: String?
        public var sha256: String

        public init(path: String?, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public struct DataFile: Codable, Equatable, Sendable {
        /// Relative to the data directory ("nb201/cifar10_valid_acc.csv").
        public var file: String
        public var path: String?
        public var sha256: String
        public var bytes: Int?
        /// Checked against the directory's sha256sums.txt.
        public var verified: Bool?

        public init(file: String, path: String, sha256: String, bytes: Int, verified: Bool) {
            self.file = file
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.verified = verified
        }
    }

    public struct DataSource: Codable, Equatable, Sendable {
        public var directory: String?
        /// Why that directory (`--data`, BRPSH_DATA, next to the binary, ...).
        public var source: String?
        public var BRPSH_DATA: String?
        public var files: [DataFile]

        public init(directory: String?, source: String?, BRPSH_DATA: String?, files: [DataFile]) {
            self.directory = directory
            self.source = source
            self.BRPSH_DATA = BRPSH_DATA
            self.files = files
        }
    }

    public struct BLAS: Codable, Equatable, Sendable {
        public var library: String?
        /// The GEMM kernel that decided the numbers: the one OpenBLAS picked for this CPU (a training repeats bit for
        /// bit only on one kernel), or `exact`, brpsh's own GEMM, the same on every x86-64 machine.
        public var kernel: String
        public var threads_per_call: Int?
        public var parts: Int?
        public var parts_concurrent: Bool?
        /// With the exact GEMM: its version and the micro-kernels that ran (`exact 1, AVX2+FMA`); they give the same bits.
        public var exact_gemm: String?

        public init(
            library: String, kernel: String, threadsPerCall: Int, parts: Int, partsConcurrent: Bool,
            exactGEMM: String? = nil
        ) {
            self.library = library
            self.kernel = kernel
            threads_per_call = threadsPerCall
            self.parts = parts
            parts_concurrent = partsConcurrent
            exact_gemm = exactGEMM
        }
    }

    public struct MachineRecord: Codable, Equatable, Sendable {
        public var hostname: String
        public var os: String
        public var arch: String
        public var cpu: String
        public var cores: Int
        public var memory_gib: Double

        public init(hostname: String, os: String, arch: String, cpu: String, cores: Int, memoryGiB: Double) {
            self.hostname = hostname
            self.os = os
            self.arch = arch
            self.cpu = cpu
            self.cores = cores
            memory_gib = memoryGiB
        }
    }

    public struct Call: Codable, Equatable, Sendable {
        public var builtin: String
        public var arguments: RecordValue
        public var from_cache: Bool

        public init(builtin: String, arguments: RecordValue, fromCache: Bool) {
            self.builtin = builtin
            self.arguments = arguments
            from_cache = fromCache
        }
    }

    public struct Output: Codable, Equatable, Sendable {
        public var file: String
        public var sha256: String

        public init(file: String, sha256: String) {
            self.file = file
            self.sha256 = sha256
        }
    }

    public var format: Int?
    public var brpsh: Brpsh
    /// The process's command line.
    public var command: [String]
    public var script: Script
    public var seed: Int
    /// `--set NAME=VALUE`.
    public var overrides: [String: String]
    public var data: DataSource?
    public var blas: BLAS?
    /// The precisions the run's trainings used.
    public var precision: [String]?
    public var cache: Bool?
    public var machine: MachineRecord?
    public var start: String?
    public var end: String?
    public var seconds: Double?
    public var exit_status: Int?
    /// False when the run did not reach its end (an error, Ctrl-C, SIGTERM): the bundle holds what it had.
    public var complete: Bool?
    /// The signal that stopped the run (SIGINT, SIGTERM, SIGHUP), if one did.
    public var stopped_by: String?
    public var calls: [Call]?
    /// What the run warned about, in order.
    public var warnings: [String]?
    public var outputs: [Output]?

    public init(
        brpsh: Brpsh, command: [String], script: Script, seed: Int, overrides: [String: String], data: DataSource,
        blas: BLAS, precision: [String], cache: Bool, machine: MachineRecord, start: String, end: String,
        seconds: Double, exitStatus: Int, stoppedBy: String?, calls: [Call], warnings: [String], outputs: [Output]
    ) {
        format = Self.currentFormat
        self.brpsh = brpsh
        self.command = command
        self.script = script
        self.seed = seed
        self.overrides = overrides
        self.data = data
        self.blas = blas
        self.precision = precision
        self.cache = cache
        self.machine = machine
        self.start = start
        self.end = end
        self.seconds = seconds
        exit_status = exitStatus
        complete = exitStatus == 0
        stopped_by = stoppedBy
        self.calls = calls
        self.warnings = warnings
        self.outputs = outputs
    }

    /// Written with every field, `null` where there is no value (a reader sees that the run had none).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(brpsh, forKey: .brpsh)
        try c.encode(command, forKey: .command)
        try c.encode(script, forKey: .script)
        try c.encode(seed, forKey: .seed)
        try c.encode(overrides, forKey: .overrides)
        try c.encode(data, forKey: .data)
        try c.encode(blas, forKey: .blas)
        try c.encode(precision, forKey: .precision)
        try c.encode(cache, forKey: .cache)
        try c.encode(machine, forKey: .machine)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(exit_status, forKey: .exit_status)
        try c.encode(complete, forKey: .complete)
        try c.encode(stopped_by, forKey: .stopped_by)
        try c.encode(calls, forKey: .calls)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(outputs, forKey: .outputs)
    }

    public func write(to path: String) throws {
        try DurableFile.write(try RunRecordJSON.data(self), to: path)
    }

    public static func read(_ path: String) throws -> ProvenanceRecord {
        try decode(try RunRecordJSON.read(path), file: path)
    }

    /// This format or the previous one (whose call arguments hold quantities as strings).
    public static func decode(_ data: Data, file: String) throws -> ProvenanceRecord {
        try RunRecordJSON.decode(
            data, file: file, current: { try RunRecordJSON.decode(ProvenanceRecord.self, $0, file: file) },
            previous: {
                var p = try RunRecordJSON.decode(ProvenanceRecord.self, $0, file: file)
                p.upgradePrevious()
                return p
            })
    }

    /// A record of the previous format read into this one: its call arguments' quantity strings typed.
    mutating func upgradePrevious() {
        format = Self.currentFormat
        calls = calls?.map { c in
            var c = c
            c.arguments = c.arguments.upgradingQuantityStrings
            return c
        }
    }
}
