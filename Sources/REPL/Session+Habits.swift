import Interpreter
import Lang

/// What users bring from IPython and Python, answered instead of failing to parse: `name?` and `?name` show a
/// builtin's help, `help` alone lists the builtins, `%time` / `%%time` are `:time`, `exit` / `quit` / `quit()`
/// leave, and `!cmd` and other magics get a hint. A name the session has bound (`exit = 3`) keeps its meaning.
extension Session {
    func habit(_ line: String) -> PushResult? {
        func bound(_ name: String) -> Bool {
            interpreter.globals.lookup(name) != nil && interpreter.builtins[name] == nil
        }
        switch line {
        case "exit", "quit", "exit()", "quit()":
            return bound(line.replacingOccurrences(of: "()", with: "")) ? nil : .quit
        case "help", "help()", "?":
            guard !bound("help") else { return nil }
            output.write((helpText?(nil) ?? Session.commandHelp) + "\n")
            return .ran
        default:
            break
        }
        if line.hasPrefix("%%time") || line.hasPrefix("%time") {
            let rest = line.drop { $0 == "%" }.dropFirst(4)
            return command(":time" + rest)
        }
        if line.hasPrefix("%") {
            let magic = line.prefix { !$0.isWhitespace }
            report(
                "\(magic) is an IPython magic; brpsh's commands start with ':' (:time, :run, :save, :vars, :reset; :help lists them)"
            )
            return .failed
        }
        if line.hasPrefix("!") {
            report(
                "brpsh does not run shell commands (\(line.prefix(40))); run them in a terminal, and scripts with :run file.brp"
            )
            return .failed
        }
        if let name = Session.helpQuery(line) {
            output.write((helpText?(name) ?? "no help for '\(name)'") + "\n")
            return .ran
        }
        return nil
    }

    /// `gcn?`, `?gcn`, `gcn??`, `p.predict?`: the name (or dotted path) asked about.
    static func helpQuery(_ line: String) -> String? {
        guard line.hasPrefix("?") || line.hasSuffix("?") else { return nil }
        let name = line.trimmingCharacters(in: ["?", " "])
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty,
            parts.allSatisfy({ part in
                guard let first = part.first, first.isLetter || first == "_" else { return false }
                return part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            })
        else { return nil }
        return name
    }
}
