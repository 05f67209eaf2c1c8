import Foundation
import Infra
import Interpreter
import Lang

extension Session {
    /// The REPL's own commands, for help and completion.
    public static let commandNames = [":help", ":time", ":run", ":save", ":vars", ":reset", ":quit"]

    public var allCommandNames: [String] { Session.commandNames + extraCommands.keys.sorted() }

    /// `:name argument`.
    func command(_ line: String) -> PushResult {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0]
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":quit", ":q", ":exit":
            return .quit
        case ":help", ":h":
            output.write(arg.isEmpty ? Session.commandHelp : (helpText?(arg) ?? "no help for '\(arg)'") + "\n")
            return .ran
        case ":time":
            return time(arg)
        case ":run":
            return runFile(arg)
        case ":save":
            return save(arg)
        case ":vars":
            output.write(variablesText() + "\n")
            return .ran
        case ":reset":
            reset()
            output.write("variables cleared\n")
            return .ran
        default:
            if let handler = extraCommands[name] {
                do {
                    try handler(self, arg)
                    return .ran
                } catch {
                    report("\(name): \(error)")
                    return .failed
                }
            }
            let known = allCommandNames
            report(
                "unknown command '\(name)'" + Suggest.didYouMean(name, known)
                    + " (commands: \(known.joined(separator: " ")))")
            return .failed
        }
    }

    static let commandHelp = """
        brpsh: type statements; results show as Out[n] (also _, _n, Out[n]).
          :help [name]      help on a builtin (or the list of builtins)
          :time statement   run a statement and print how long it took
          :run file.brp     run a script in this session (its variables stay)
          :save file.brp    write this session's inputs as a runnable script
          :vars             list the variables
          :reset            delete all variables
          :notebook f.ipynb write this session as a Jupyter notebook
          :cache [off|on|clear]  the result cache: its size; off or on for this session; empty it
          :quit             leave (also Ctrl-D)
        Ctrl-C cancels the line being typed, or interrupts a running statement.

        """

    func time(_ code: String) -> PushResult {
        guard !code.isEmpty else {
            report(":time needs a statement, e.g. :time gcn(device: \"d-cpu\")")
            return .failed
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let program: Program
        switch pipeline.prepare(SourceFile(name: "In[\(count)]", text: code)) {
        case .incomplete: return .failed
        case .failed(let failure):
            report(failure.description)
            return .failed
        case .ready(let p): program = p
        }
        let ok = run(code, program)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        output.write("time: \(Session.formatSeconds(seconds))\n")
        return ok ? .ran : .failed
    }

    static func formatSeconds(_ s: Double) -> String {
        s < 1e-3
            ? String(format: "%.1f µs", s * 1e6)
            : s < 1 ? String(format: "%.2f ms", s * 1e3) : String(format: "%.3f s", s)
    }

    func runFile(_ path: String) -> PushResult {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            report(":run: cannot read '\(path)'")
            return .failed
        }
        let failure = pipeline.run(SourceFile(name: path, text: text)) { value, _ in
            self.output.display(value, text: Format.repr(value))
        }
        if let f = failure {
            report(f.description)
            return .failed
        }
        inputs.append(SavedInput(text: text, number: 0, previousResult: lastResult, program: nil, from: path))
        return .ran
    }

    func save(_ path: String) -> PushResult {
        guard !path.isEmpty else {
            report(":save needs a file name")
            return .failed
        }
        let text = SavedInput.script(inputs)
        do {
            try DurableFile.write(Data(text.utf8), to: path)
            output.write("saved \(inputs.count) inputs to \(path)\n")
            return .ran
        } catch {
            report(":save: cannot write '\(path)': \((error as? InfraError)?.message ?? error.localizedDescription)")
            return .failed
        }
    }

    func variablesText() -> String {
        let hidden: Set<String> = ["Out", "_"]
        let names = interpreter.globals.values.keys.filter { !hidden.contains($0) && !$0.isNumberedResult }.sorted()
        if names.isEmpty { return "no variables" }
        let rows: [[Value?]] = names.map { name in
            let v = interpreter.globals.values[name]!
            var text = Format.repr(v, nested: true)
            if text.count > 60 { text = String(text.prefix(57)) + "..." }
            return [.string(name), .string(v.typeName), .string(text)]
        }
        return Table(columns: ["name", "type", "value"], rows: rows).render()
    }

    func reset() {
        interpreter.globals.removeAll()
        results = [.nil]
        interpreter.globals.define("Out", .list(results))
    }
}

extension String {
    /// `_3`: a numbered result.
    var isNumberedResult: Bool { hasPrefix("_") && count > 1 && dropFirst().allSatisfy(\.isNumber) }
}
