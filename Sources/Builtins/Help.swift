import Interpreter
import Lang

/// `help` text and docs/builtins.md, both generated from the builtin table.
public enum Help {
    public static func text(for subject: Value, in interpreter: Interpreter) -> String {
        switch subject {
        case .nil:
            return overview(interpreter)
        case .string(let name):
            if name.contains(".") { return memberHelp(name, in: interpreter) }
            if let v = interpreter.globals.lookup(name) {
                switch v {
                case .function, .object: return text(for: v, in: interpreter)
                default: break
                }
            }
            if let b = interpreter.builtins[name] { return describe(b) }
            let suggestion = Suggest.didYouMean(name, Array(interpreter.builtins.keys))
            return "no builtin named '\(name)'\(suggestion); type help for the list"
        case .builtin(let b):
            return describe(b)
        case .function(let f):
            let params = f.declaration.parameters.map { p in p.defaultValue == nil ? p.name : "\(p.name): ..." }
            return "\(f.name)(\(params.joined(separator: ", "))) — a function defined in this session"
        case .object(let o):
            return objectHelp(o)
        default:
            return "\(subject.typeName) value"
        }
    }

    public static func describe(_ b: BuiltinFunction) -> String {
        var lines = [b.signature, "  " + b.doc]
        if b.isCommand { lines.append("  Also a command: \(b.name) word ... passes each word as a string.") }
        let params = b.parameters + (b.variadic.map { [$0] } ?? [])
        for p in params {
            let d = p.doc.isEmpty ? "" : " — \(p.doc)"
            lines.append("  \(p.name): \(p.type.describe)\(d)")
        }
        if let (type, table) = results[b.name] {
            lines.append(
                "  Gives a \(type) with: " + table.map(\.name).joined(separator: ", ")
                    + " (help(x) on the result says what each is)")
        }
        return lines.joined(separator: "\n")
    }

    /// What the builtins that give objects give: the type and its members (`?gcn` says what a predictor offers).
    static let results: [String: (String, [(name: String, doc: String)])] = [
        "gcn": ("gcn", GCNObject.memberTable), "layerwise": ("layerwise", LayerwiseObject.memberTable),
        "fewshot": ("fewshot", FewShotObject.memberTable), "fewshot_load": ("fewshot", FewShotObject.memberTable),
        "truth": ("truth", TruthObject.memberTable), "oracle": ("oracle", OracleObject.memberTable),
        "brp": ("search", SearchObject.memberTable), "evolve": ("search", SearchObject.memberTable),
        "random_search": ("search", SearchObject.memberTable), "reinforce": ("search", SearchObject.memberTable),
        "compare": ("comparison", ComparisonObject.memberTable),
        "measure": ("latency table", MeasuredTableObject.memberTable),
        "latency_table": ("latency table", MeasuredTableObject.memberTable),
        "gcn_acc": ("gcn_acc", AccuracyObject.memberTable),
        "brp_predictor": ("brp_predictor", PairObject.memberTable), "space": ("space", SpaceObject.memberTable),
        "arch": ("arch", ArchObject.memberTable), "plot": ("figure", FigureObject.memberTable),
        "run": ("evaluator", EvaluatorObject.memberTable), "search": ("search session", AskTellObject.memberTable),
        "repeat": ("runs", RunsObject.memberTable),
    ]

    /// An object's type, and each member with its one-line doc.
    static func objectHelp(_ o: any HostObject) -> String {
        let width = o.memberNames.map(\.count).max() ?? 0
        var lines = ["\(o.typeName) (\(o.inlineDisplay())): fields and methods"]
        for name in o.memberNames {
            let doc = o.memberDoc(name) ?? ""
            lines.append(
                "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + (doc.isEmpty ? "" : "  " + doc))
        }
        return lines.joined(separator: "\n")
    }

    /// `p.predict?`: one member of a variable's object (`p.test.within5?` walks fields on the way).
    static func memberHelp(_ path: String, in interpreter: Interpreter) -> String {
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first, var value = interpreter.globals.lookup(first) else {
            return "no variable named '\(parts.first ?? path)'"
        }
        for (i, part) in parts.enumerated().dropFirst() {
            let isLast = i == parts.count - 1
            switch value {
            case .object(let o):
                guard o.memberNames.contains(part) else {
                    return "\(o.typeName) has no member '\(part)' (it has: \(o.memberNames.joined(separator: ", ")))"
                }
                if isLast {
                    let doc = o.memberDoc(part).map { " — " + $0 } ?? ""
                    return "\(parts[..<i].joined(separator: ".")).\(part): \(o.typeName) member\(doc)"
                }
                guard let next = try? o.member(part) else { return "\(path): cannot read \(part)" }
                value = next
            case .record(let r):
                guard let next = r[part] else {
                    return "the record has no field '\(part)' (fields: \(r.keys.joined(separator: ", ")))"
                }
                if isLast { return "\(path): a field, \(next.typeName)" }
                value = next
            default:
                return "\(parts[..<i].joined(separator: ".")) is \(value.typeName), which has no members"
            }
        }
        return text(for: value, in: interpreter)
    }

    static func overview(_ interpreter: Interpreter) -> String {
        var lines = ["brpsh builtins (help name for details):"]
        let groups = Dictionary(grouping: interpreter.builtins.values, by: \.category)
        for category in groups.keys.sorted() {
            let names = groups[category]!.map(\.name).sorted()
            lines.append("  \(category): " + names.joined(separator: ", "))
        }
        lines.append("REPL commands: :help :time :run :save :vars :reset :notebook :cache :quit")
        return lines.joined(separator: "\n")
    }

    /// docs/builtins.md: every builtin by category, with its signature, doc and parameters.
    public static func markdown(_ builtins: [BuiltinFunction]) -> String {
        var out = """
            # brpsh builtins

            Generated from the builtin table by `brpsh --builtins-markdown`; do not edit by hand
            (a test checks that this file matches the table).

            """
        let groups = Dictionary(grouping: builtins, by: \.category)
        for category in groups.keys.sorted() {
            out += "\n## \(category)\n"
            for b in groups[category]!.sorted(by: { $0.name < $1.name }) {
                out += "\n### `\(b.signature)`\n\n\(b.doc)\n"
                if b.isCommand { out += "\nCommand form: `\(b.name) word ...` passes each word as a string.\n" }
                let params = b.parameters + (b.variadic.map { [$0] } ?? [])
                if !params.isEmpty { out += "\n| parameter | type | default | meaning |\n|---|---|---|---|\n" }
                for p in params {
                    let def =
                        p.defaultValue.map { "`\(Format.source($0))`" }
                        ?? (b.variadic?.name == p.name ? "(any number)" : "required")
                    out += "| `\(p.name)` | \(p.type.describe) | \(def) | \(p.doc) |\n"
                }
            }
        }
        return out
    }
}
