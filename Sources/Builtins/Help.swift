import Interpreter
import Lang

/// `help` text and docs/builtins.md, both generated from the builtin table.
public enum Help {
    public static func text(for subject: Value, in interpreter: Interpreter) -> String {
        switch subject {
        case .nil:
            return overview(interpreter)
        case .string(let name):
            if let v = interpreter.globals.lookup(name), case .function = v { return text(for: v, in: interpreter) }
            if let b = interpreter.builtins[name] { return describe(b) }
            let suggestion = Suggest.didYouMean(name, Array(interpreter.builtins.keys))
            return "no builtin named '\(name)'\(suggestion); type help for the list"
        case .builtin(let b):
            return describe(b)
        case .function(let f):
            let params = f.declaration.parameters.map { p in p.defaultValue == nil ? p.name : "\(p.name): ..." }
            return "\(f.name)(\(params.joined(separator: ", "))) — a function defined in this session"
        case .object(let o):
            return "\(o.typeName): fields and methods: \(o.memberNames.joined(separator: ", "))"
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
        return lines.joined(separator: "\n")
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
                    let def = p.defaultValue.map { "`\(Format.source($0))`" } ?? (b.variadic?.name == p.name ? "(any number)" : "required")
                    out += "| `\(p.name)` | \(p.type.describe) | \(def) | \(p.doc) |\n"
                }
            }
        }
        return out
    }
}
