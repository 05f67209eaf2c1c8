import Builtins
import Figures
import Foundation
import Infra
import Lang
import NASLib
import RunRecord

/// `brpsh merge DIR`: one result from a sweep's points. Points that differ only in the `seed` variable form a
/// group; in each group, every number the runs recorded at the same place (a displayed value, a table cell, a
/// saved JSON or CSV value) becomes `{mean, std, n, min, max}` (std with n − 1, 0 for one run), equal
/// non-numbers stay, differing ones become `{values: [...]}` in task order, and every saved figure is redrawn
/// with each line's mean and a ±1 std band. The points are read in task order, so the merged numbers depend
/// only on the points' results, not on where or in what order they ran.
public enum SweepMerge {
    public struct Group {
        public var point: [Assignment]
        public var tasks: [Int]
        public var name: String {
            point.isEmpty ? "all" : point.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        }
    }

    public struct Summary {
        public var text = ""
        public var rows: [[String]] = []
        public var missing: [String] = []
        public var figures: [String] = []
        /// Said on stderr by the commands that merge (e.g. tasks trained on different BLAS kernels).
        public var warnings: [String] = []
    }

    /// One line for the tasks whose runs warned (a failed training among 100 seeds must not vanish into a mean):
    /// how many, which, and the first one's first warning; nil when none did.
    public static func taskWarnings(_ tasks: [MergedProvenance.Task]) -> String? {
        let warned = tasks.compactMap { t -> (task: String, first: String, count: Int)? in
            guard let w = t.provenance.warnings, let first = w.first else { return nil }
            return (t.task, first, w.count)
        }
        guard let example = warned.first else { return nil }
        let shown = example.first.count > 240 ? example.first.prefix(240) + "…" : Substring(example.first)
        let names = warned.prefix(8).map(\.task).joined(separator: ", ") + (warned.count > 8 ? ", ..." : "")
        let total = warned.reduce(0) { $0 + $1.count }
        return
            "\(warned.count) of \(tasks.count) tasks warned while they ran (\(names)), \(total) warning\(total == 1 ? "" : "s") "
            + "in all; the first, from \(example.task): \"\(shown)\"; every task's warnings are in merged/provenance.json "
            + "(tasks[].provenance.warnings)"
    }

    public static func groups(_ spec: SweepSpec) -> [Group] {
        var groups: [Group] = []
        for (t, task) in spec.tasks.enumerated() {
            let key = task.assignments.filter { $0.name != SweepVariable.replicate }
            if let i = groups.firstIndex(where: { $0.point == key }) {
                groups[i].tasks.append(t)
            } else {
                groups.append(Group(point: key, tasks: [t]))
            }
        }
        return groups
    }

    public static func run(_ store: SweepStore, partial: Bool) throws -> Summary {
        var summary = Summary()
        let done = store.spec.tasks.indices.filter { store.state($0).state == .done }
        summary.missing = store.spec.tasks.indices.filter { !done.contains($0) }.map { store.spec.tasks[$0].name }
        if !summary.missing.isEmpty && !partial {
            throw SweepError(
                """
                \(summary.missing.count) of \(store.spec.tasks.count) tasks are not done (\(summary.missing.prefix(5).joined(separator: ", "))\
                \(summary.missing.count > 5 ? ", ..." : "")); run the sweep again to finish them, see `brpsh sweep status \(store.dir)`, \
                or merge what is done with --partial
                """)
        }
        guard !done.isEmpty else { throw SweepError("no task of \(store.dir) is done yet; nothing to merge") }
        guard let lock = FileLock(store.path("merge.lock")) else {
            throw SweepError("another brpsh merge is writing \(store.path("merged")); wait for it")
        }
        defer { withExtendedLifetime(lock) {} }
        var results: [Int: ResultsRecord] = [:]
        var provenances: [MergedProvenance.Task] = []
        for t in done {
            let point = store.pointDir(t)
            let task = store.spec.tasks[t]
            do {
                results[t] = try ResultsRecord.read((point as NSString).appendingPathComponent("results.json"))
                provenances.append(
                    MergedProvenance.Task(
                        task: task.name,
                        assignments: Dictionary(uniqueKeysWithValues: task.assignments.map { ($0.name, $0.value) }),
                        provenance: try ProvenanceRecord.read(
                            (point as NSString).appendingPathComponent("provenance.json"))))
            } catch let e as RunRecordError { throw SweepError("task \(task.name): \(e)") }
        }
        try checkConsistent(provenances, store.spec)
        let kernels = blasKernels(provenances)
        if kernels.count > 1 {
            let counts = kernels.map { "\($0.kernel): \($0.tasks.count) task\($0.tasks.count == 1 ? "" : "s")" }.joined(
                separator: ", ")
            summary.warnings.append(
                """
                the tasks ran on \(kernels.count) OpenBLAS kernels (\(counts)); a seed's training repeats bit for bit \
                only on one kernel (docs/predictors.md, "Determinism"), so this merge is not the one a single machine type \
                gives; merged/provenance.json names every task's kernel
                """)
        }
        if let w = taskWarnings(provenances) { summary.warnings.append(w) }
        let mergedDir = store.path("merged")
        try? FileManager.default.removeItem(atPath: mergedDir)
        try FileManager.default.createDirectory(atPath: mergedDir, withIntermediateDirectories: true)
        let allGroups = groups(store.spec)
        let nonSeed = store.spec.variables.map(\.name).filter { $0 != SweepVariable.replicate }
        var mergedGroups: [MergedResults.Group] = []
        for g in allGroups {
            let tasks = g.tasks.filter { results[$0] != nil }
            guard !tasks.isEmpty else { continue }
            let runs = tasks.map { results[$0]! }
            var walker = Walker(group: g.name)
            let displays = walker.merge(runs.map { .list($0.displays) }, path: "").list ?? []
            let outputs =
                walker.merge(
                    runs.map { .object($0.outputs.filter { !$0.key.hasSuffix(".svg") }.mapValues(\.value)) }, path: ""
                ).object ?? [:]
            // Tidy rows: the group's variables as columns (seed merged over), then the value and its statistics.
            let point = nonSeed.map { v in g.point.first { $0.name == v }.map { plainLiteral($0.value) } ?? "" }
            summary.rows += walker.rows.map { point + $0 }
            summary.text +=
                "\(g.name) (n = \(tasks.count)\(replicates(store.spec, tasks)))\n" + walker.lines.joined() + "\n"
            // Figures: every saved SVG whose data all runs recorded.
            var outputsWithFigures = outputs
            let names = Set(runs.flatMap { $0.outputs.keys.filter { $0.hasSuffix(".svg") } }).sorted()
            for name in names {
                let figures = runs.compactMap { run -> [String: Any]? in
                    guard case .file(_, let figure?)? = run.outputs[name] else { return nil }
                    return figure.foundation as? [String: Any]
                }
                guard figures.count == runs.count, let svg = MergedFigure.svg(figures) else {
                    outputsWithFigures[name] = .object([
                        "merged": .bool(false),
                        "why": .string("not every run recorded this figure with the same layout"),
                    ])
                    continue
                }
                let relative =
                    allGroups.count == 1 ? name : (GroupPath.directory(g.name) as NSString).appendingPathComponent(name)
                let path = (mergedDir as NSString).appendingPathComponent(relative)
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                    withIntermediateDirectories: true)
                try DurableFile.write(svg, to: path)
                outputsWithFigures[name] = .object([
                    "merged": .string(relative), "sha256": .string(SHA256Hex.file(path)),
                ])
                summary.figures.append(path)
            }
            mergedGroups.append(
                MergedResults.Group(
                    point: Dictionary(uniqueKeysWithValues: g.point.map { ($0.name, $0.value) }), n: tasks.count,
                    tasks: tasks.map { store.spec.tasks[$0].name }, displays: displays, outputs: outputsWithFigures))
        }
        try MergedResults(
            brpsh: Provenance.version, script: store.spec.script,
            variables: store.spec.variables.map { .init(name: $0.name, values: $0.values) },
            replicate: SweepVariable.replicate, missing: summary.missing, groups: mergedGroups
        ).write(to: (mergedDir as NSString).appendingPathComponent("results.json"))
        try MergedProvenance(
            sweep: try JSONDecoder().decode(RecordValue.self, from: Data(try SweepJSON.encode(store.spec).utf8)),
            mergedAt: ISO8601DateFormatter().string(from: Date()), mergedBy: SweepIdentity.brpsh,
            blasKernels: Dictionary(uniqueKeysWithValues: kernels.map { ($0.kernel, $0.tasks) }), tasks: provenances
        ).write(to: (mergedDir as NSString).appendingPathComponent("provenance.json"))
        // summary.csv is tidy (long format): one row per merged number, a column per variable the sweep grouped by,
        // numbers as numbers, the unit in a column of its own (docs/python.md).
        let header = nonSeed + ["value", "unit", "mean", "std", "n", "min", "max"]
        let csv = ([header] + summary.rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n")
        try DurableFile.write(csv, to: (mergedDir as NSString).appendingPathComponent("summary.csv"))
        try DurableFile.write(summary.text, to: (mergedDir as NSString).appendingPathComponent("summary.txt"))
        return summary
    }

    public static func replicates(_ spec: SweepSpec, _ tasks: [Int]) -> String {
        let seeds = tasks.compactMap { spec.tasks[$0].assignments.first { $0.name == SweepVariable.replicate }?.value }
        guard !seeds.isEmpty else { return "" }
        return "; seed "
            + (seeds.count > 6
                ? "\(seeds[0]), \(seeds[1]), ..., \(seeds[seeds.count - 1])" : seeds.joined(separator: ", "))
    }

    /// The OpenBLAS kernels the tasks' provenance names, each with its tasks, in order of first appearance.
    public static func blasKernels(_ tasks: [MergedProvenance.Task]) -> [(kernel: String, tasks: [String])] {
        var out: [(kernel: String, tasks: [String])] = []
        for t in tasks {
            let kernel = t.provenance.blas?.kernel ?? "unknown"
            if let i = out.firstIndex(where: { $0.kernel == kernel }) {
                out[i].tasks.append(t.task)
            } else {
                out.append((kernel, [t.task]))
            }
        }
        return out
    }

    /// Every point must come from the sweep's script, one brpsh, and the same data files.
    public static func checkConsistent(_ tasks: [MergedProvenance.Task], _ spec: SweepSpec) throws {
        var dataHashes: [String: (String, String)] = [:]
        var commit: (String, String)?
        for t in tasks {
            let (task, p) = (t.task, t.provenance)
            guard p.script.sha256 == spec.scriptSHA256 else {
                throw SweepError(
                    "task \(task) ran another version of the script (sha256 \(p.script.sha256.prefix(12)), the sweep's is \(spec.scriptSHA256.prefix(12)))"
                )
            }
            try checkPoint(t, spec)
            // The sources' SHA-256 (a run's record before it named the git commit: read too).
            let id = p.brpsh.identity
            if let (first, firstTask) = commit, first != id {
                throw SweepError(
                    "tasks \(firstTask) and \(task) ran different brpsh versions (\(first) and \(id)); their results must not be merged"
                )
            }
            commit = commit ?? (id, task)
            for f in p.data?.files ?? [] {
                if let (other, otherTask) = dataHashes[f.file], other != f.sha256 {
                    throw SweepError(
                        "tasks \(otherTask) and \(task) read different versions of \(f.file) (sha256 \(other.prefix(12)) and \(f.sha256.prefix(12)))"
                    )
                }
                dataHashes[f.file] = dataHashes[f.file] ?? (f.sha256, task)
            }
        }
    }

    /// A point's run was made with its task's settings: the overrides its provenance.json records are the sweep's
    /// fixed `--set`s and the task's assignments (the seed as `--seed` where the sweep passes it so), so a point
    /// directory swapped with another's or copied from elsewhere is refused, never merged under the wrong values.
    public static func checkPoint(_ t: MergedProvenance.Task, _ spec: SweepSpec) throws {
        let (task, p) = (t.task, t.provenance)
        guard let st = spec.tasks.first(where: { $0.name == task }) else { return }
        var expected: [String: String] = [:]
        for a in spec.fixed + st.assignments { expected[a.name] = a.value }
        if spec.seedBy == "option", let seed = expected.removeValue(forKey: SweepVariable.replicate) {
            guard String(p.seed) == seed else {
                throw SweepError(
                    "task \(task) should have run with --seed \(seed); its provenance.json records seed \(p.seed)")
            }
        }
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) where p.overrides[name] != value {
            let got = p.overrides[name].map { "\(name)=\($0)" } ?? "no \(name)"
            throw SweepError(
                """
                task \(task) should have run with \(name)=\(value), but its provenance.json records \(got) (a point \
                directory swapped or copied from another sweep?); rerun the task (remove its point directory and run the sweep \
                again) instead of merging it
                """)
        }
    }

    /// A sweep value as a CSV cell: a string literal without its quotes (`"m-gpu"` → m-gpu), anything else as written
    /// (numbers stay numbers; a list stays its literal).
    public static func plainLiteral(_ v: String) -> String {
        guard v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\""), let data = v.data(using: .utf8),
            let s = try? ExactJSON.object(with: data) as? String
        else { return v }
        return s
    }

    public static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Merges the runs' values at the same place, collecting a summary line per number.
    public struct Walker {
        public let group: String
        public var lines: [String] = []
        public var rows: [[String]] = []

        public mutating func merge(_ values: [RecordValue], path: String) -> RecordValue {
            // Quantities of one unit merge like numbers; the statistics keep the unit ({mean: 85.3%, ...}).
            let quantities = values.compactMap { v -> RecordQuantity? in
                if case .quantity(let q) = v { return q }
                return nil
            }
            if !quantities.isEmpty, quantities.count == values.count, Set(quantities.map(\.unit)).count == 1 {
                let unit = quantities[0].unit
                var inner = Walker(group: group)
                let stats = inner.merge(quantities.map { .number($0.value) }, path: path).object ?? [:]
                for var row in inner.rows {
                    row[1] = unit
                    rows.append(row)
                }
                lines += inner.lines.map {
                    $0.replacingOccurrences(
                        of: "\(path.isEmpty ? "value" : path):", with: "\(path.isEmpty ? "value" : path) (\(unit)):")
                }
                return .object(
                    stats.mapValues { v in
                        if case .number(let d) = v { return .quantity(RecordQuantity(d, unit)) }
                        return v
                    })
            }
            let numbers = values.compactMap(\.number)
            if !numbers.isEmpty && numbers.count == values.count {
                let n = Double(numbers.count)
                let mean = numbers.reduce(0, +) / n
                let std =
                    numbers.count > 1
                    ? (numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
                let lo = numbers.min()!
                let hi = numbers.max()!
                let label = path.isEmpty ? "value" : path
                lines.append(
                    "  \(label): \(Walker.show(mean)) ± \(Walker.show(std))"
                        + (numbers.count > 1 ? "  (min \(Walker.show(lo)), max \(Walker.show(hi)))" : "") + "\n")
                rows.append([label, ""] + [mean, std, n, lo, hi].map(RecordValue.shortest))
                return .object([
                    "mean": .number(mean), "std": .number(std), "n": .int(numbers.count), "min": .number(lo),
                    "max": .number(hi),
                ])
            }
            let lists = values.compactMap(\.list)
            if lists.count == values.count, Set(lists.map(\.count)).count == 1 {
                return .list(
                    (0..<lists[0].count).map { i in
                        let items = lists.map { $0[i] }
                        return merge(items, path: path + Walker.label(items, index: i))
                    })
            }
            let records = values.compactMap(\.object)
            if records.count == values.count, Set(records.map { Set($0.keys) }).count == 1 {
                var out: [String: RecordValue] = [:]
                for key in records[0].keys.sorted() {
                    out[key] = merge(records.map { $0[key]! }, path: path.isEmpty ? key : path + "." + key)
                }
                return .object(out)
            }
            if let first = values.first, values.dropFirst().allSatisfy({ $0 == first }) { return first }
            return .object(["values": .list(values)])
        }

        /// A table row's name: its text fields that every run shows alike (`[device=m-gpu predictor=gcn 900]`),
        /// else its position.
        public static func label(_ items: [RecordValue], index: Int) -> String {
            let records = items.compactMap(\.object)
            if records.count == items.count, let first = records.first {
                let names = first.keys.sorted().compactMap { k -> String? in
                    guard let s = first[k]?.string, records.allSatisfy({ $0[k]?.string == s }) else { return nil }
                    return "\(k)=\(s)"
                }
                if !names.isEmpty { return "[" + names.joined(separator: " ") + "]" }
            }
            return "[\(index)]"
        }

        public static func show(_ x: Double) -> String {
            if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
            let a = abs(x)
            return String(format: a >= 100 ? "%.2f" : a >= 1 ? "%.3f" : "%.4g", x)
        }

    }
}

/// Directory names for groups in `merged/`.
public enum GroupPath {
    public static func directory(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".-+=,".contains($0)) ? $0 : "_" }.prefix(100))
    }
}
