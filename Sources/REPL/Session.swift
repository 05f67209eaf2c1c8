import Foundation
import Interpreter
import Lang

/// An interactive session, independent of any terminal: feed it lines with `push`, like
/// Python's `code.InteractiveConsole`. It numbers inputs (`In [n]:`), keeps results
/// (`Out[n]`, `_n`, `_`), and never loses variables on an error.
public final class Session {
    public enum PushResult: Equatable {
        /// The input is incomplete (an open bracket or block): send another line.
        case needMore
        /// The input ran (or was a REPL command).
        case ran
        /// A syntax or runtime error was reported; the session is intact.
        case failed
        /// `:quit`.
        case quit
    }

    public let interpreter: Interpreter
    /// The pipeline every input goes through.
    public let pipeline: Pipeline
    public var output: OutputSink
    let errors: OutputSink
    /// Show `Out[n]:` labels (interactive use); off, results print bare like a script.
    public var numbered: Bool
    public internal(set) var count = 1
    var pending: [String] = []
    /// Inputs that ran without an error, for `:save`: the text, its number, and the number of the last result
    /// shown before it (what `_` meant when it ran).
    public internal(set) var inputs: [SavedInput] = []
    var results: [Value] = [.nil]
    /// The help text of a builtin (`:help name`, `name?`), or the list of builtins for nil (`help`), provided by
    /// the layer that knows the builtins.
    public var helpText: ((String?) -> String)?
    /// Extra REPL commands registered by other layers (`:notebook`, `:cache`).
    public var extraCommands: [String: (Session, String) throws -> Void] = [:]
    /// Called after each input runs (notebook recording): the input and its number.
    public var onInput: ((String, Int) -> Void)?
    /// Called with each error message (notebook recording).
    public var onError: ((String) -> Void)?
    public private(set) var hadError = false
    /// The last error reported, with what kind of failure it was (set by every error, cleared by `executeCell`).
    public private(set) var lastFailure: Failure?

    /// An error the session reported: a failure of the pipeline (syntax, usage, runtime, interrupted) or of a REPL
    /// command (`:run` of a missing file), and its rendered text.
    public struct Failure: Equatable {
        public enum Kind: Equatable {
            case pipeline(Pipeline.Failure.Kind)
            case command
        }

        public let kind: Kind
        public let text: String
    }

    public init(interpreter: Interpreter, output: OutputSink, errors: OutputSink, numbered: Bool = true) {
        self.interpreter = interpreter
        self.pipeline = Pipeline(interpreter: interpreter)
        self.output = output
        self.errors = errors
        self.numbered = numbered
        interpreter.globals.define("Out", .list(results))
    }

    public var prompt: String {
        pending.isEmpty ? "In [\(count)]: " : String(repeating: " ", count: "In [\(count)]".count - 3) + "...: "
    }

    public var isContinuing: Bool { !pending.isEmpty }

    /// Drops a partly typed input (Ctrl-C at a continuation prompt).
    public func cancelPending() { pending.removeAll() }

    /// The input ended inside an open bracket or block: reports its syntax errors (end of a piped input).
    public func finishPending() {
        guard !pending.isEmpty else { return }
        let file = SourceFile(name: "In[\(count)]", text: pending.joined(separator: "\n"))
        pending.removeAll()
        if case .failed(let failure) = pipeline.prepare(file) { report(failure) }
        count += 1
    }

    public func push(_ line: String) -> PushResult {
        if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
            return command(line.trimmingCharacters(in: .whitespaces))
        }
        if pending.isEmpty, let result = habit(line.trimmingCharacters(in: .whitespaces)) { return result }
        pending.append(line)
        let text = pending.joined(separator: "\n")
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            pending.removeAll()
            return .ran
        }
        let file = SourceFile(name: "In[\(count)]", text: text)
        let program: Program
        switch pipeline.prepare(file, allowIncomplete: true) {
        case .incomplete:
            return .needMore
        case .failed(let failure):
            pending.removeAll()
            report(failure)
            count += 1
            return .failed
        case .ready(let p):
            pending.removeAll()
            program = p
        }
        return run(text, program) ? .ran : .failed
    }

    /// Runs a prepared input as `In [n]`; records it for `:save` when it succeeds.
    func run(_ text: String, _ program: Program) -> Bool {
        let n = count
        count += 1
        let before = lastResult
        let ok = execute(program, number: n)
        if ok { inputs.append(SavedInput(text: text, number: n, previousResult: before, program: program)) }
        onInput?(text, n)
        return ok
    }

    /// The number of the last result shown (what `_` refers to), 0 before any.
    var lastResult: Int { results.lastIndex { !$0.isNil } ?? 0 }

    /// Runs a whole cell (a notebook's or the kernel's): a one-line `:command` or IPython habit is handled as at the
    /// prompt; `:commands` on lines of their own run in order with the code around them (`cellSegments`); the code
    /// must be complete (an open bracket is a syntax error).
    public func executeCell(_ code: String) -> PushResult {
        lastFailure = nil
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .ran }
        if !trimmed.contains("\n") {
            if trimmed.hasPrefix(":") { return command(trimmed) }
            if let result = habit(trimmed) { return result }
        }
        let parts = cellSegments(code)
        if parts.count == 1, case .code(let text) = parts[0] { return executeCode(text) }
        for part in parts {
            let result: PushResult
            switch part {
            case .code(let text): result = executeCode(text)
            case .command(let line): result = command(line)
            }
            if result != .ran { return result }
        }
        return .ran
    }

    /// A cell's pieces: brpsh code, and REPL commands (`:reset`, `:vars`) on lines of their own, as IPython accepts
    /// line magics in cells. A line starting with `:` is a command where the code before it is complete (never
    /// inside an open bracket or block).
    enum CellSegment: Equatable {
        case code(String)
        case command(String)
    }

    func cellSegments(_ code: String) -> [CellSegment] {
        var parts: [CellSegment] = []
        var buffer: [String] = []
        func bufferIsComplete() -> Bool {
            let text = buffer.joined(separator: "\n")
            return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || completeness(text) != .incomplete
        }
        for line in code.components(separatedBy: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix(":"), t.count > 1, t.dropFirst().first!.isLetter, bufferIsComplete() {
                let text = buffer.joined(separator: "\n")
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(.code(text)) }
                buffer.removeAll()
                parts.append(.command(t))
            } else {
                buffer.append(line)
            }
        }
        let rest = buffer.joined(separator: "\n")
        if !rest.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || parts.isEmpty { parts.append(.code(rest)) }
        return parts
    }

    /// Runs code as one input; it must be complete (an open bracket is a syntax error).
    func executeCode(_ code: String) -> PushResult {
        pending.removeAll()
        let program: Program
        switch pipeline.prepare(SourceFile(name: "In[\(count)]", text: code)) {
        case .incomplete:
            return .failed
        case .failed(let failure):
            report(failure)
            count += 1
            return .failed
        case .ready(let p):
            program = p
        }
        return run(code, program) ? .ran : .failed
    }

    /// Whether code is a complete input, an unfinished one (an open bracket or block) or invalid.
    public enum Completeness: String {
        case complete, incomplete, invalid
    }

    public func completeness(_ code: String) -> Completeness {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(":") || Session.helpQuery(trimmed) != nil { return .complete }
        let parsed = interpreter.parse(SourceFile(name: "In[\(count)]", text: code))
        if parsed.incomplete { return .incomplete }
        return parsed.diagnostics.isEmpty ? .complete : .invalid
    }

    /// Runs a prepared input; displays and records its results.
    func execute(_ program: Program, number n: Int) -> Bool {
        Interrupt.clear()
        guard let failure = pipeline.execute(program, display: { value, _ in self.show(value, number: n) }) else {
            return true
        }
        report(failure, prefix: failure.kind == .interrupted && output.isInteractive ? "\n" : "")
        return false
    }

    func show(_ value: Value, number n: Int) {
        let text = Format.display(value, terminal: output.isInteractive)
        if numbered {
            let label = "Out[\(n)]: "
            output.display(value, text: text.contains("\n") ? label + "\n" + text : label + text)
        } else {
            output.display(value, text: text)
        }
        while results.count <= n { results.append(.nil) }
        results[n] = value
        interpreter.globals.define("Out", .list(results))
        interpreter.globals.define("_", value)
        interpreter.globals.define("_\(n)", value)
    }

    func report(_ failure: Pipeline.Failure, prefix: String = "") {
        report(prefix + failure.description, kind: .pipeline(failure.kind))
    }

    func report(_ text: String, kind: Failure.Kind = .command) {
        hadError = true
        lastFailure = Failure(kind: kind, text: text)
        onError?(text)
        errors.write(text + "\n")
    }
}
