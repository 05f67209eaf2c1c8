import Foundation
import Infra

/// `merged/results.json` of a sweep: per group of points (the points that differ only in `seed`), its point, the
/// tasks, and their displayed values and saved files merged place by place: every number as
/// `{mean, std, n, min, max}` (a quantity's statistics as quantities of its unit), equal non-numbers as they are,
/// differing ones as `{values: [...]}`; a saved SVG as `{merged: FILE, sha256}` (redrawn with ±1 std bands) or
/// `{merged: false, why}`. Written by the Sweep library's merge; read by `brpsh reproduce record`.
public struct MergedResults: Codable, Equatable, Sendable {
    public static let currentFormat = RunRecordJSON.currentFormat

    public struct Variable: Codable, Equatable, Sendable {
        public var name: String
        /// The values as written on the command line (literals).
        public var values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    public struct Group: Codable, Equatable, Sendable {
        /// The group's non-seed variables, as literals.
        public var point: [String: String]
        public var n: Int
        public var tasks: [String]
        public var displays: [RecordValue]
        /// By file name: a JSON file's merged value, a CSV's merged rows, a figure's `{merged, sha256}`.
        public var outputs: [String: RecordValue]

        public init(
            point: [String: String], n: Int, tasks: [String], displays: [RecordValue], outputs: [String: RecordValue]
        ) {
            self.point = point
            self.n = n
            self.tasks = tasks
            self.displays = displays
            self.outputs = outputs
        }
    }

    public var format: Int?
    public var brpsh: String
    public var script: String
    public var variables: [Variable]
    /// The name of the variable merged over (`seed`).
    public var replicate: String
    /// The tasks not merged (not done; `--partial`).
    public var missing: [String]
    public var groups: [Group]

    public init(
        brpsh: String, script: String, variables: [Variable], replicate: String, missing: [String], groups: [Group]
    ) {
        format = Self.currentFormat
        self.brpsh = brpsh
        self.script = script
        self.variables = variables
        self.replicate = replicate
        self.missing = missing
        self.groups = groups
    }

    public func write(to path: String) throws { try DurableFile.write(try RunRecordJSON.data(self), to: path) }

    /// This format or the previous one (no `format`; merged quantities as strings, `{mean: "85.3%", ...}`).
    public static func read(_ path: String) throws -> MergedResults {
        try RunRecordJSON.decode(
            try RunRecordJSON.read(path), file: path,
            current: { try RunRecordJSON.decode(MergedResults.self, $0, file: path) },
            previous: {
                var r = try RunRecordJSON.decode(MergedResults.self, $0, file: path)
                for i in r.groups.indices {
                    r.groups[i].displays = r.groups[i].displays.map(\.upgradingQuantityStrings)
                    r.groups[i].outputs = r.groups[i].outputs.mapValues(\.upgradingQuantityStrings)
                }
                r.format = currentFormat
                return r
            })
    }
}

/// `merged/provenance.json` of a sweep: the sweep's spec, who merged it and when, the BLAS kernels its tasks ran on,
/// and every task's own provenance.
public struct MergedProvenance: Codable, Equatable, Sendable {
    public static let currentFormat = RunRecordJSON.currentFormat

    public struct Task: Codable, Equatable, Sendable {
        public var task: String
        public var assignments: [String: String]
        public var provenance: ProvenanceRecord

        public init(task: String, assignments: [String: String], provenance: ProvenanceRecord) {
            self.task = task
            self.assignments = assignments
            self.provenance = provenance
        }
    }

    public var format: Int?
    /// The sweep's spec as its store wrote it (sweep.json).
    public var sweep: RecordValue
    public var merged_at: String
    /// The identity of the brpsh that merged.
    public var merged_by: String
    /// Each kernel with the tasks that ran on it.
    public var blas_kernels: [String: [String]]
    public var tasks: [Task]

    public init(
        sweep: RecordValue, mergedAt: String, mergedBy: String, blasKernels: [String: [String]], tasks: [Task]
    ) {
        format = Self.currentFormat
        self.sweep = sweep
        merged_at = mergedAt
        merged_by = mergedBy
        blas_kernels = blasKernels
        self.tasks = tasks
    }

    public func write(to path: String) throws { try DurableFile.write(try RunRecordJSON.data(self), to: path) }

    public static func read(_ path: String) throws -> MergedProvenance {
        try RunRecordJSON.decode(
            try RunRecordJSON.read(path), file: path,
            current: { try RunRecordJSON.decode(MergedProvenance.self, $0, file: path) },
            previous: {
                // The previous format flattened each task's provenance with its `task` and `assignments`.
                let p = try RunRecordJSON.decode(Previous.self, $0, file: path)
                return MergedProvenance(
                    sweep: p.sweep, mergedAt: p.merged_at, mergedBy: p.merged_by, blasKernels: p.blas_kernels,
                    tasks: p.tasks.map { Task(task: $0.task, assignments: $0.assignments, provenance: $0.provenance) })
            })
    }

    struct Previous: Decodable {
        struct FlatTask: Decodable {
            var task: String
            var assignments: [String: String]
            var provenance: ProvenanceRecord

            enum Keys: String, CodingKey { case task, assignments }

            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: Keys.self)
                task = try c.decode(String.self, forKey: .task)
                assignments = try c.decode([String: String].self, forKey: .assignments)
                provenance = try ProvenanceRecord(from: decoder)
                provenance.upgradePrevious()
            }
        }
        var sweep: RecordValue
        var merged_at: String
        var merged_by: String
        var blas_kernels: [String: [String]]
        var tasks: [FlatTask]
    }
}
