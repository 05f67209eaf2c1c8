import Lang

/// Exit statuses (BSD sysexits where one fits).
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// `brpsh check`: the rerun's results differ from the expected ones; `brpsh data verify`: a file fails.
    case differs = 1
    case usage = 64
    case syntax = 65
    case noInput = 66
    case runtime = 70
    /// An output file or directory (`--out`, `--notebook`) cannot be written.
    case cannotCreate = 73
}

/// The one way brpsh code runs, for the REPL, scripts, notebooks and the kernel (as jlox's `run()` serves its
/// prompt and its files): source → parse (every syntax error) → `--set` overrides → static check → run, statement
/// by statement. Whatever stops the code is a `Pipeline.Failure`: diagnostics with source ranges, rendered by
/// `DiagnosticRenderer`.
public struct Pipeline {
    public let interpreter: Interpreter

    public init(interpreter: Interpreter) {
        self.interpreter = interpreter
    }

    /// What stopped code before or while it ran.
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable {
            /// Syntax errors, or the static check's (nothing ran).
            case syntax
            /// A `--set` override that does not apply (nothing ran).
            case usage
            /// A statement failed; the statements before it ran.
            case runtime
            /// The user interrupted a statement.
            case interrupted
        }

        public let kind: Kind
        public let diagnostics: [Diagnostic]

        public init(_ kind: Kind, _ diagnostics: [Diagnostic]) {
            self.kind = kind
            self.diagnostics = diagnostics
        }

        public var exitCode: ExitStatus {
            switch kind {
            case .syntax: return .syntax
            case .usage: return .usage
            case .runtime, .interrupted: return .runtime
            }
        }

        /// Every diagnostic, rendered (`file:line:col: error: message`, the line, a caret).
        public var description: String {
            if kind == .interrupted { return "interrupted" }
            return diagnostics.map { DiagnosticRenderer().render($0) }.joined(separator: "\n")
        }
    }

    /// Source prepared to run.
    public enum Prepared {
        /// The input stops inside an open bracket or block (the REPL asks for another line).
        case incomplete
        case failed(Failure)
        case ready(Program)
    }

    /// Parses, applies the overrides and checks the program statically.
    public func prepare(_ file: SourceFile, overrides: [Override] = [], allowIncomplete: Bool = false) -> Prepared {
        let parsed = interpreter.parse(file)
        if allowIncomplete && parsed.incomplete { return .incomplete }
        if !parsed.diagnostics.isEmpty { return .failed(Failure(.syntax, parsed.diagnostics)) }
        var program = parsed.program
        do {
            try Overrides.apply(overrides, to: &program)
        } catch let e as Overrides.Failure {
            return .failed(Failure(.usage, [Diagnostic(.error, e.message, at: nil)]))
        } catch {
            return .failed(Failure(.usage, [Diagnostic(.error, "\(error)", at: nil)]))
        }
        let problems = StaticCheck.check(program, interpreter)
        return problems.isEmpty ? .ready(program) : .failed(Failure(.syntax, problems))
    }

    /// Runs a prepared program's statements in order; each top-level value that is not nil goes to `display`.
    /// `afterStatement` sees each statement once it ran, with its failure if it failed (the run stops there).
    public func execute(
        _ program: Program, display: (Value, Stmt) -> Void,
        afterStatement: ((Stmt, Failure?) -> Void)? = nil
    ) -> Failure? {
        for stmt in program.statements {
            do {
                try Interrupt.check()
                if let v = try interpreter.executeTopLevel(stmt), !v.isNil { display(v, stmt) }
                afterStatement?(stmt, nil)
            } catch {
                let failure = Pipeline.failure(error, at: stmt)
                afterStatement?(stmt, failure)
                return failure
            }
        }
        return nil
    }

    /// Prepares and runs a whole file; nil when every statement ran.
    public func run(
        _ file: SourceFile, overrides: [Override] = [], display: ((Value, Stmt) -> Void)? = nil,
        afterStatement: ((Stmt, Failure?) -> Void)? = nil
    ) -> Failure? {
        switch prepare(file, overrides: overrides) {
        case .incomplete: return nil  // not produced without allowIncomplete
        case .failed(let f): return f
        case .ready(let program):
            let output = interpreter.output
            let show =
                display ?? { value, _ in
                    output.display(value, text: Format.display(value, terminal: output.isInteractive))
                }
            return execute(program, display: show, afterStatement: afterStatement)
        }
    }

    /// Any error a statement throws, as a failure placed at the statement when the error carries no place.
    static func failure(_ error: Error, at stmt: Stmt) -> Failure {
        switch error {
        case let e as RuntimeError:
            return Failure(.runtime, [e.diagnostic])
        case is Interrupted:
            return Failure(.interrupted, [Diagnostic(.error, "interrupted", at: nil)])
        case let e as Diagnostic:
            return Failure(.runtime, [e])
        default:
            return Failure(.runtime, [Diagnostic(.error, "\(error)", at: stmt.range)])
        }
    }
}

extension Optional where Wrapped == Pipeline.Failure {
    /// The exit status of a run: 0 when nothing failed.
    public var exitCode: ExitStatus { self?.exitCode ?? .ok }
}
