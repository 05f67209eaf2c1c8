import Foundation
import Infra

/// `reproductions/NAME/results.json`: the saved CSV files of a recorded run (`outputs`, by file name, rows with the
/// header first), or of a recorded sweep's merge (`groups`, each with its point and n).
public struct RecordingResults: Codable, Equatable, Sendable {
    public static let currentFormat = RunRecordJSON.currentFormat

    public struct Group: Codable, Equatable, Sendable {
        public var point: [String: String]
        public var n: Int
        public var outputs: [String: [[RecordValue]]]

        public init(point: [String: String], n: Int, outputs: [String: [[RecordValue]]]) {
            self.point = point
            self.n = n
            self.outputs = outputs
        }
    }

    public var format: Int?
    public var outputs: [String: [[RecordValue]]]?
    public var groups: [Group]?

    public init(outputs: [String: [[RecordValue]]]) {
        format = Self.currentFormat
        self.outputs = outputs
    }

    public init(groups: [Group]) {
        format = Self.currentFormat
        self.groups = groups
    }

    /// This format or the previous one (quantities as strings: `"85.2%"`, `{mean: "85.3%", ...}`).
    public static func read(_ path: String) throws -> RecordingResults {
        try RunRecordJSON.decode(
            try RunRecordJSON.read(path), file: path,
            current: { try RunRecordJSON.decode(RecordingResults.self, $0, file: path) },
            previous: {
                var r = try RunRecordJSON.decode(RecordingResults.self, $0, file: path)
                func upgrade(_ o: [String: [[RecordValue]]]) -> [String: [[RecordValue]]] {
                    o.mapValues { $0.map { $0.map(\.upgradingQuantityStrings) } }
                }
                r.outputs = r.outputs.map(upgrade)
                r.groups = r.groups?.map { Group(point: $0.point, n: $0.n, outputs: upgrade($0.outputs)) }
                r.format = currentFormat
                return r
            })
    }

    public func write(to path: String) throws { try DurableFile.write(try RunRecordJSON.data(self), to: path) }
}

/// `reproductions/NAME/provenance.json`: what a recorded table's page line says about where it came from (the brpsh
/// and script, the machine and BLAS kernel, the command or the sweep's grid).
public struct RecordingProvenance: Codable, Equatable, Sendable {
    public static let currentFormat = RunRecordJSON.currentFormat

    public enum Kind: String, Codable, Sendable { case run, sweep }

    public var format: Int?
    public var kind: Kind
    public var brpsh: ProvenanceRecord.Brpsh
    /// The script's path and SHA-256.
    public var script: ProvenanceRecord.Script
    public var machine: ProvenanceRecord.MachineRecord?
    // A run's.
    public var command: [String]?
    public var overrides: [String: String]?
    public var seed: Int?
    public var blas_kernel: String?
    public var start: String?
    public var seconds: Double?
    public var data_files: [ProvenanceRecord.DataFile]?
    // A sweep's.
    public var tasks: Int?
    /// Each kernel with the number of tasks that ran on it.
    public var blas_kernels: [String: Int]?
    public var merged_at: String?
    /// The fingerprint of the data directory the sweep ran on.
    public var data_sha256: String?
    public var grid: [String]?

    enum CodingKeys: String, CodingKey {
        case format, kind, brpsh, script, script_sha256, machine, command, overrides, seed, blas_kernel, start, seconds
        case data_files, tasks, blas_kernels, merged_at, data_sha256, grid
    }

    /// The record of a run.
    public init(run p: ProvenanceRecord) {
        format = Self.currentFormat
        kind = .run
        brpsh = p.brpsh
        script = p.script
        machine = p.machine
        command = p.command
        overrides = p.overrides
        seed = p.seed
        blas_kernel = p.blas?.kernel
        start = p.start
        seconds = p.seconds
        data_files = p.data?.files.map {
            var f = $0
            (f.path, f.bytes, f.verified) = (nil, nil, nil)
            return f
        }
    }

    /// The record of a merged sweep.
    public init(sweep: MergedProvenance, script: ProvenanceRecord.Script, brpsh: ProvenanceRecord.Brpsh) {
        format = Self.currentFormat
        kind = .sweep
        self.brpsh = brpsh
        self.script = script
        machine = sweep.tasks.first?.provenance.machine
        tasks = sweep.tasks.count
        blas_kernels = sweep.blas_kernels.mapValues(\.count)
        merged_at = sweep.merged_at
        data_sha256 = sweep.sweep["data"]?.string
        grid = (sweep.sweep["tasks"]?.list ?? []).compactMap { $0["name"]?.string }
    }

    /// Reads this format and the previous one, where a sweep's recording named brpsh by its identity string
    /// ("brpsh 0.1.0 sources HEX") and its script by path with `script_sha256` beside it.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(Int.self, forKey: .format)
        kind = try c.decode(Kind.self, forKey: .kind)
        if let b = try? c.decode(ProvenanceRecord.Brpsh.self, forKey: .brpsh) {
            brpsh = b
        } else {
            brpsh = Self.brpsh(identity: try c.decode(String.self, forKey: .brpsh))
        }
        if let s = try? c.decode(ProvenanceRecord.Script.self, forKey: .script) {
            script = s
        } else {
            script = ProvenanceRecord.Script(
                path: try c.decode(String.self, forKey: .script),
                sha256: try c.decodeIfPresent(String.self, forKey: .script_sha256) ?? "")
        }
        machine = try c.decodeIfPresent(ProvenanceRecord.MachineRecord.self, forKey: .machine)
        command = try c.decodeIfPresent([String].self, forKey: .command)
        overrides = try c.decodeIfPresent([String: String].self, forKey: .overrides)
        seed = try c.decodeIfPresent(Int.self, forKey: .seed)
        blas_kernel = try c.decodeIfPresent(String.self, forKey: .blas_kernel)
        start = try c.decodeIfPresent(String.self, forKey: .start)
        seconds = try c.decodeIfPresent(Double.self, forKey: .seconds)
        data_files = try c.decodeIfPresent([ProvenanceRecord.DataFile].self, forKey: .data_files)
        tasks = try c.decodeIfPresent(Int.self, forKey: .tasks)
        blas_kernels = try c.decodeIfPresent([String: Int].self, forKey: .blas_kernels)
        merged_at = try c.decodeIfPresent(String.self, forKey: .merged_at)
        data_sha256 = try c.decodeIfPresent(String.self, forKey: .data_sha256)
        grid = try c.decodeIfPresent([String].self, forKey: .grid)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(format, forKey: .format)
        try c.encode(kind, forKey: .kind)
        try c.encode(brpsh, forKey: .brpsh)
        try c.encode(script, forKey: .script)
        try c.encodeIfPresent(machine, forKey: .machine)
        try c.encodeIfPresent(command, forKey: .command)
        try c.encodeIfPresent(overrides, forKey: .overrides)
        try c.encodeIfPresent(seed, forKey: .seed)
        try c.encodeIfPresent(blas_kernel, forKey: .blas_kernel)
        try c.encodeIfPresent(start, forKey: .start)
        try c.encodeIfPresent(seconds, forKey: .seconds)
        try c.encodeIfPresent(data_files, forKey: .data_files)
        try c.encodeIfPresent(tasks, forKey: .tasks)
        try c.encodeIfPresent(blas_kernels, forKey: .blas_kernels)
        try c.encodeIfPresent(merged_at, forKey: .merged_at)
        try c.encodeIfPresent(data_sha256, forKey: .data_sha256)
        try c.encodeIfPresent(grid, forKey: .grid)
    }

    /// "brpsh 0.1.0 sources HEX" (a sweep's identity) as its parts.
    public static func brpsh(identity: String) -> ProvenanceRecord.Brpsh {
        let words = identity.split(separator: " ").map(String.init)
        guard words.count == 4, words[0] == "brpsh", words[2] == "sources" else {
            var b = ProvenanceRecord.Brpsh(version: identity, sources: "")
            b.sources = nil
            return b
        }
        return ProvenanceRecord.Brpsh(version: words[1], sources: words[3])
    }

    public static func read(_ path: String) throws -> RecordingProvenance {
        // The previous format differs in layout only where the decoder reads both (the sweep's brpsh and script).
        try RunRecordJSON.decode(
            try RunRecordJSON.read(path), file: path,
            current: { try RunRecordJSON.decode(RecordingProvenance.self, $0, file: path) },
            previous: {
                var p = try RunRecordJSON.decode(RecordingProvenance.self, $0, file: path)
                p.format = currentFormat
                return p
            })
    }

    public func write(to path: String) throws { try DurableFile.write(try RunRecordJSON.data(self), to: path) }
}
