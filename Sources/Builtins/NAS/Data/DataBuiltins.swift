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
        "space",
        [
            BuiltinParameter(
                "name", .optional(.string), default: .nil,
                "a built-in space (nb201), or the label of a declared one"),
            BuiltinParameter("cell", .optional(.string), default: .nil, "a cell space: edges, inputs or nodes"),
            BuiltinParameter(
                "nodes", .optional(.int), default: .nil,
                "edges: nodes with input and output; inputs: intermediate nodes"),
            BuiltinParameter(
                "inputs", .optional(.int), default: .nil, "inputs: how many earlier nodes each node reads"),
            BuiltinParameter(
                "max_nodes", .optional(.int), default: .nil, "nodes: the most nodes, input and output included"),
            BuiltinParameter("max_edges", .optional(.int), default: .nil, "nodes: the most edges"),
            BuiltinParameter("cell_inputs", .int, default: .int(2), "inputs: the cell's input nodes"),
            BuiltinParameter("ops", .optional(.list), default: .nil, "a cell space's op names"),
            BuiltinParameter("cells", .list, default: .list([.string("normal")]), "inputs: the cells' names"),
            BuiltinParameter(
                "choices", .optional(.record), default: .nil, "a choice space: {key: [values] or a range}"),
            BuiltinParameter("blocks", .optional(.int), default: .nil, "a choice space's blocks"),
            BuiltinParameter(
                "valid", .optional(.function), default: .nil, "a constraint: fn(a) { ... } true for the models kept"),
        ],
        doc:
            "A search space: space(\"nb201\"), or one declared (docs/spaces.md): space(cell: \"edges\", nodes:, ops:), space(cell: \"inputs\", nodes:, inputs:, ops:, cells:), space(cell: \"nodes\", max_nodes:, max_edges:, ops:), space(choices: {...}, blocks:), with valid:.",
        category: "NAS-Bench-201"
    ) { c in
        if c.isNil("cell") && c.isNil("choices") {
            let name = try c.optionalString("name") ?? "nb201"
            for p in ["nodes", "inputs", "max_nodes", "max_edges", "ops", "blocks", "valid"] where !c.isNil(p) {
                throw c.fail(p, "declares a space: give cell: \"edges\" or \"inputs\", or choices:")
            }
            if SpaceChoice.builtInNames.filter({ $0 != "nb201" }).contains(name.lowercased()) {
                throw c.fail(
                    "name",
                    "\(name) is searched by name (space: \"\(name.lowercased())\"); its declaration is in docs/spaces.md, \"The built-in spaces are declarations\""
                )
            }
            guard name.lowercased() == "nb201" || name.lowercased() == "nas-bench-201" else {
                throw c.fail(
                    "name",
                    "unknown space \"\(name)\"\(Suggest.didYouMean(name.lowercased(), ["nb201"], quote: "\"")); nb201 is the built-in space, and space(cell: ...) or space(choices: ...) declares one"
                )
            }
            return .object(SpaceObject(NASContext.of(c)))
        }
        return try declare(c)
    }

    /// A declared space (docs/spaces.md): its kind's parameters checked, the constraint checked to keep a model.
    static func declare(_ c: BuiltinCall) throws -> Value {
        func names(_ p: String) throws -> [String] {
            try c.list(p).map { v in
                guard case .string(let s) = v else { throw c.fail(p, "names expected, got \(v.describeForError)") }
                return s
            }
        }
        func refuse(_ ps: [String], _ kind: String) throws {
            for p in ps where c.isGiven(p) { throw c.fail(p, "does not apply to \(kind)") }
        }
        func required(_ p: String, _ kind: String, min: Int, max: Int) throws -> Int {
            guard !c.isNil(p) else { throw c.fail(p, "\(kind) needs \(p):") }
            return try c.int(p, min: min, max: max)
        }
        func checked(_ p: String, _ what: String) throws -> [String] {
            let xs = try names(p)
            try argument(c, p) { try DeclaredSpace.checkNames(xs, what) }
            return xs
        }
        let space: DeclaredSpace
        var values: [[Value]] = []
        if !c.isNil("choices") {
            guard c.isNil("cell") else {
                throw c.fail("cell", "a space is a cell (cell:) or a choice space (choices:), not both")
            }
            try refuse(["nodes", "inputs", "cell_inputs", "max_nodes", "max_edges", "ops", "cells"], "a choice space")
            guard case .record(let r) = c["choices"] else { throw c.fail("choices", "a record expected") }
            var pairs: [(key: String, values: [String])] = []
            for (key, v) in zip(r.keys, r.values) {
                let list: [Value]
                switch v {
                case .list(let xs): list = xs
                case .range(let range): list = try range.elements()
                default:
                    throw c.fail("choices", "the values of \(key) are a list or a range, got \(v.describeForError)")
                }
                let texts = try list.map { x -> String in
                    switch x {
                    case .int(let i): return String(i)
                    case .number(let d): return Format.number(d)
                    case .string(let s): return s
                    case .bool(let b): return String(b)
                    default:
                        throw c.fail(
                            "choices", "the values of \(key) are numbers or strings, got \(x.describeForError)")
                    }
                }
                values.append(list)
                pairs.append((key, texts))
            }
            let blocks = try required("blocks", "a choice space", min: 1, max: 64)
            space = try argument(c, "choices") { try DeclaredSpace(choices: pairs, blocks: blocks) }
        } else {
            try refuse(["blocks"], "a cell space")
            guard !c.isNil("ops") else { throw c.fail("ops", "a cell space needs ops:") }
            let ops = try checked("ops", "op")
            switch try c.string("cell") {
            case "edges":
                try refuse(["inputs", "cell_inputs", "cells", "max_nodes", "max_edges"], "an edges cell")
                let nodes = try required("nodes", "a cell space", min: 2, max: 12)
                space = try argument(c, "nodes") { try DeclaredSpace(edges: nodes, ops: ops) }
            case "nodes":
                try refuse(
                    ["nodes", "inputs", "cell_inputs", "cells"], "a nodes cell (it takes max_nodes: and max_edges:)")
                let maxNodes = try required("max_nodes", "a nodes cell", min: 2, max: DeclaredSpace.maxCellNodes)
                let maxEdges = try required("max_edges", "a nodes cell", min: 1, max: maxNodes * (maxNodes - 1) / 2)
                space = try argument(c, "ops") { try DeclaredSpace(nodes: maxNodes, maxEdges: maxEdges, ops: ops) }
            case "inputs":
                try refuse(["max_nodes", "max_edges"], "an inputs cell")
                let nodes = try required("nodes", "a cell space", min: 1, max: 16)
                let cellInputs = try c.int("cell_inputs", min: 1, max: 4)
                let k = try required("inputs", "an inputs cell", min: 1, max: cellInputs)
                let cells = try checked("cells", "cell")
                space = try argument(c, "inputs") {
                    try DeclaredSpace(inputs: nodes, inputs: k, cellInputs: cellInputs, ops: ops, cells: cells)
                }
            case let other:
                throw c.fail(
                    "cell",
                    "unknown cell \"\(other)\"\(Suggest.didYouMean(other, ["edges", "inputs", "nodes"], quote: "\"")) (edges: an op on every edge; inputs: nodes reading earlier nodes; nodes: a DAG of op nodes)"
                )
            }
        }
        let label = try c.optionalString("name") ?? "declared"
        guard !SpaceChoice.builtInNames.contains(label.lowercased()) else {
            throw c.fail("name", "\(label) is a built-in space's name; label a declared space otherwise")
        }
        let object = DeclaredSpaceObject(
            space, values: values, label: label, valid: c.isNil("valid") ? nil : c["valid"], call: c.call)
        if object.valid != nil {
            // The constraint must keep something: every model of a small space, else random draws.
            var found = false
            if let n = space.count, n <= DeclaredSpaceObject.tries {
                for i in 0..<n where try object.isValid(space.arch(index: i)) {
                    found = true
                    break
                }
            } else {
                var rng = SeededRandom(seed: 0)
                for _ in 0..<DeclaredSpaceObject.tries where try object.isValid(space.random(&rng)) {
                    found = true
                    break
                }
            }
            guard found else {
                throw c.fail(
                    "valid",
                    "no valid architecture after \(min(space.count ?? Int.max, DeclaredSpaceObject.tries)) tries")
            }
        }
        return .object(object)
    }

    /// Runs a declaration, reporting NASLib's error at `name`.
    static func argument<T>(_ c: BuiltinCall, _ name: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as NASLibError { throw c.fail(name, e.message) }
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
