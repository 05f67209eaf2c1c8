import Foundation
import Interpreter
import Lang

/// Exit statuses (BSD sysexits where one fits).
public enum ExitCode: Int32 {
    case ok = 0
    /// `brpsh check`: the rerun's results differ from the expected ones.
    case differs = 1
    case usage = 64
    case syntax = 65
    case noInput = 66
    case runtime = 70
}

/// Runs a whole script: parse (reporting every syntax error), apply `--set` overrides, run.
/// Top-level expression statements whose value is not nil are displayed, like notebook cells.
public struct ScriptRunner {
    public let interpreter: Interpreter
    /// Where errors go (standard error in the CLI).
    public let errors: (String) -> Void

    public init(interpreter: Interpreter, errors: @escaping (String) -> Void) {
        self.interpreter = interpreter
        self.errors = errors
    }

    /// A `--set name=value` override.
    public struct Override {
        public let name: String
        public let text: String
        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// Runs the script; `afterStatement` sees each top-level statement once it ran (with its
    /// error message if it failed; the run stops there).
    public func run(_ file: SourceFile, overrides: [Override] = [],
                    display: ((Value, Stmt) -> Void)? = nil,
                    afterStatement: ((Stmt, String?) -> Void)? = nil) -> ExitCode {
        let parsed = interpreter.parse(file)
        if !parsed.diagnostics.isEmpty {
            errors(parsed.diagnostics.map { DiagnosticRenderer().render($0) }.joined(separator: "\n") + "\n")
            return .syntax
        }
        var program = parsed.program
        do {
            try Overrides.apply(overrides, to: &program, interpreter: interpreter)
        } catch let e as Overrides.Failure {
            errors("error: \(e.message)\n")
            return .usage
        } catch {
            errors("error: \(error)\n")
            return .usage
        }
        let problems = StaticCheck.check(program, interpreter)
        if !problems.isEmpty {
            errors(problems.map { DiagnosticRenderer().render($0) }.joined(separator: "\n") + "\n")
            return .syntax
        }
        let show = display ?? { value, _ in
            self.interpreter.output.display(value, text: Format.display(value, terminal: self.interpreter.output.isInteractive))
        }
        for stmt in program.statements {
            do {
                try Interrupt.check()
                if let v = try interpreter.executeTopLevel(stmt), !v.isNil { show(v, stmt) }
                afterStatement?(stmt, nil)
            } catch let e as RuntimeError {
                errors(e.description + "\n")
                afterStatement?(stmt, e.description)
                return .runtime
            } catch is Interrupted {
                errors("interrupted\n")
                afterStatement?(stmt, "interrupted")
                return .runtime
            } catch {
                errors("error: \(error)\n")
                afterStatement?(stmt, "\(error)")
                return .runtime
            }
        }
        return .ok
    }
}

/// `--set name=value`: replaces the value of the script's first top-level assignment
/// `name = ...`, so a paper's script reruns with other settings unedited.
///
/// The value is read as a brpsh literal when it is one (`100`, `5ms`, `"x"`, `[1, 2]`,
/// `{K: 50}`, `true`, `nil`); anything else is taken as a string (`--set device=m-gpu`).
public enum Overrides {
    public struct Failure: Error {
        public let message: String
    }

    public static func apply(_ overrides: [ScriptRunner.Override], to program: inout Program,
                             interpreter: Interpreter) throws {
        for o in overrides {
            let value = literal(o)
            guard let i = program.statements.firstIndex(where: { assigned($0) == o.name }) else {
                let names = program.statements.compactMap(assigned)
                var seen = Set<String>()
                let unique = names.filter { seen.insert($0).inserted }
                let list = unique.isEmpty ? "the script assigns no top-level names" : "it assigns: " + unique.joined(separator: ", ")
                throw Failure(message: "--set \(o.name): the script has no top-level assignment '\(o.name) = ...' (\(list))")
            }
            let stmt = program.statements[i]
            let kind: Stmt.Kind
            switch stmt.kind {
            case .assign(let target, _, _): kind = .assign(target: target, op: nil, value: value)
            case .letBinding(let name, let r, _): kind = .letBinding(name: name, nameRange: r, value: value)
            default: continue
            }
            program.statements[i] = Stmt(kind, stmt.range)
        }
    }

    static func assigned(_ s: Stmt) -> String? {
        switch s.kind {
        case .assign(let target, nil, _):
            if case .identifier(let name) = target.kind { return name }
            return nil
        case .letBinding(let name, _, _): return name
        default: return nil
        }
    }

    /// The override's value as an expression: a literal if it reads as one, else a string.
    static func literal(_ o: ScriptRunner.Override) -> Expr {
        let file = SourceFile(name: "--set \(o.name)", text: o.text)
        let parsed = Parser.parse(file)
        if parsed.diagnostics.isEmpty, parsed.program.statements.count == 1,
            case .expression(let e) = parsed.program.statements[0].kind, isConstant(e)
        {
            return e
        }
        return Expr(.literal(.string(o.text)), SourceRange(file: file, start: 0, end: file.bytes.count))
    }

    static func isConstant(_ e: Expr) -> Bool {
        switch e.kind {
        case .literal: return true
        case .unary(.negate, let x): return isConstant(x)
        case .list(let xs): return xs.allSatisfy(isConstant)
        case .record(let fs): return fs.allSatisfy { isConstant($0.value) }
        case .range(let a, let b, let s): return isConstant(a) && isConstant(b) && (s.map(isConstant) ?? true)
        default: return false
        }
    }
}
