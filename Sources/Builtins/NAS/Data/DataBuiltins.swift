import Interpreter
import Lang
import NASLib

/// Builtins that bind the benchmark data and the NB201 space.
enum DataBuiltins {
    static func all() -> [BuiltinFunction] {
        [arch, space, load, devices, correlation, table, truth, oracle, nb101]
    }

    /// The most models an NB101 file may hold here (NAS-Bench-101 has 423,624).
    static let maxNB101Models = 1_000_000

    static let nb101 = BuiltinFunction(
        "nb101",
        [
            BuiltinParameter(
                "file", .string, "a JSON-lines file: one {adjacency, ops, metrics} object per line (docs/data.md)")
        ],
        doc:
            "Reads NAS-Bench-101 cells a user supplies (no NB101 data ships): a list of records with the pruned cell (adjacency, ops, nodes, edges), the line, and every metric.",
        category: "Data"
    ) { c in
        let path = try c.string("file")
        let data = try nas { try NB101Dataset.load(path: path) }
        guard data.models.count <= maxNB101Models else {
            throw c.fail("file", "\(path) has more than \(maxNB101Models) models")
        }
        return .list(
            data.models.map { m in
                var fields: [(String, Value)] = [
                    ("line", .int(m.line)),
                    ("nodes", .int(m.cell.ops.count)),
                    ("edges", .int(m.cell.adjacency.reduce(0) { $0 + $1.reduce(0, +) })),
                    ("ops", .list(m.cell.ops.map { .string($0.rawValue) })),
                    ("adjacency", .list(m.cell.adjacency.map { row in .list(row.map { .int($0) }) })),
                ]
                for (k, v) in m.metrics.sorted(by: { $0.key < $1.key }) where !fields.contains(where: { $0.0 == k }) {
                    fields.append((k, .number(v)))
                }
                return .record(Record(fields))
            })
    }

    static let arch = BuiltinFunction(
        "arch",
        [
            BuiltinParameter("x", .any, "an NB201 index, an arch string, or a list of 6 op codes"),
            BuiltinParameter(
                "encoding", .string, default: .string("latbench"),
                "for a list: \"latbench\" (eagle vector) or \"naslib\""),
        ],
        doc: "An NB201 architecture: arch(6111), arch(\"|nor_conv_3x3~0|+...\"), arch([3,3,3,3,3,3]).",
        category: "NAS-Bench-201"
    ) { c in
        let context = NASContext.of(c)
        let a: NB201Arch = try nas {
            switch c["x"] {
            case .int(let i): return try context.benchmark().index().arch(index: i)
            case .string(let s): return try NB201Arch(string: s)
            case .list(let xs):
                let codes = try xs.map { v -> Int in
                    guard case .int(let i) = v else {
                        throw NASLibError("op codes must be integers, got \(v.describeForError)")
                    }
                    return i
                }
                switch try c.string("encoding") {
                case "latbench", "eagle", "vector": return try NB201Arch(vector: codes)
                case "naslib": return try NB201Arch(naslib: codes)
                case let e: throw NASLibError("unknown encoding \"\(e)\" (use \"latbench\" or \"naslib\")")
                }
            case .object(let o as ArchObject): return o.arch
            case let v:
                throw NASLibError(
                    "bad argument 'x' to 'arch' (index, arch string or list of op codes expected, got \(v.describeForError))"
                )
            }
        }
        return .object(ArchObject(a, context))
    }

    static let space = BuiltinFunction(
        "space", [BuiltinParameter("name", .string, default: .string("nb201"), "the search space (nb201)")],
        doc: "A search space: len, .all, .sample(n, seed:), iteration in official index order.",
        category: "NAS-Bench-201"
    ) { c in
        let name = try c.string("name")
        guard name.lowercased() == "nb201" || name.lowercased() == "nas-bench-201" else {
            throw c.fail(
                "name",
                "unknown space \"\(name)\"\(Suggest.didYouMean(name.lowercased(), ["nb201"], quote: "\"")); nb201 is the space with benchmark data"
            )
        }
        return .object(SpaceObject(NASContext.of(c)))
    }

    static let load = BuiltinFunction(
        "load", variadic: BuiltinParameter("names", .string, "latbench, nb201, hwnasbench, help or all"),
        doc:
            "Reads benchmark data now (tables are otherwise read on first use); `brpsh data` shows where it comes from.",
        command: true, category: "Data"
    ) { c in
        let groups = c.rest.isEmpty ? [Value.string("all")] : c.rest
        let benchmark = try nas { try NASContext.of(c).benchmark() }
        for g in groups {
            guard case .string(let name) = g else { continue }
            let parts: [String]
            switch name.lowercased() {
            case "all": parts = ["nb201", "latbench", "hwnasbench", "help"]
            case "latbench", "nb201", "hwnasbench", "help": parts = [name.lowercased()]
            default:
                let known = ["latbench", "nb201", "hwnasbench", "help", "all"]
                throw BuiltinError(
                    "unknown data \"\(name)\"\(Suggest.didYouMean(name, known, quote: "\"")) (load takes: \(known.joined(separator: ", ")))"
                )
            }
            for p in parts { c.output.write(try loadGroup(p, benchmark) + "\n") }
        }
        return .nil
    }

    static func loadGroup(_ name: String, _ b: Benchmark) throws -> String {
        try nas {
            switch name {
            case "nb201":
                _ = try b.index()
                _ = try b.accuracy(.cifar10, .valid)
                _ = try b.accuracy(.imagenet16, .valid)
                _ = try b.proxies(.cifar10)
                _ = try b.proxies(.imagenet16)
                return
                    "nb201: 15625 archs; test accuracy (cifar10, cifar100, imagenet16-120); validation accuracy and proxies (9445 archs)"
            default:
                let source = Device.Source(rawValue: name)!
                let devices = try b.load(source)
                let counts = try devices.map { try b.table($0).count }
                return "\(name): \(devices.count) tables, \(counts.min()!) to \(counts.max()!) archs each"
            }
        }
    }

    static let devices = BuiltinFunction(
        "devices", [BuiltinParameter("source", .optional(.string), default: .nil, "latbench, hwnasbench or help")],
        doc: "Every device table: name, aliases, source, measure, unit, archs measured (reads the tables).",
        category: "Data"
    ) { c in
        var list = DeviceCatalog.all
        if let s = try c.optionalString("source") {
            guard let source = Device.Source(rawValue: s.lowercased()) else {
                throw c.fail("source", "use latbench, hwnasbench or help, got \"\(s)\"")
            }
            list = list.filter { $0.source == source }
        }
        let b = try nas { try NASContext.of(c).benchmark() }
        let rows = try list.map { d -> Value in
            let count = try nas { try b.table(d).count }
            return .record(
                Record([
                    ("name", .string(d.name)), ("aliases", .string(d.aliases.joined(separator: " "))),
                    ("source", .string(d.source.rawValue)), ("measure", .string(d.measure.rawValue)),
                    ("unit", .string(d.measure == .latency ? "ms" : "mJ")), ("archs", .int(count)),
                ]))
        }
        return .object(TableObject(rows))
    }

    static let table = BuiltinFunction(
        "table", [BuiltinParameter("x", .any, "a list of records, a record, a list, or an object")],
        doc: "Shows a value as an aligned table (a list of records as rows, a record as field/value rows).",
        category: "Basics"
    ) { c in
        guard let rows = TableObject.rows(of: c["x"]) else {
            throw c.fail("x", "no table form for \(c["x"].describeForError)")
        }
        return .object(TableObject(rows))
    }
}
