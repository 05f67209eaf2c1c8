import Lang

/// Checks a program before it runs, so that a long script stops at once on a mistake it would
/// otherwise meet an hour in: a call of a builtin by its own name (one the program never
/// rebinds) with an argument name the builtin does not take, an argument given twice, or more
/// positional arguments than it has parameters. The messages are the run-time ones.
public enum StaticCheck {
    public static func check(_ program: Program, _ interpreter: Interpreter) -> [Diagnostic] {
        var checker = Checker(interpreter: interpreter)
        program.statements.forEach { checker.collectBindings($0) }
        program.statements.forEach { checker.visit($0) }
        return checker.diagnostics
    }

    struct Checker {
        let interpreter: Interpreter
        /// Every name the program binds anywhere (assignments, let, fn, parameters, loop
        /// variables): a call through such a name may not reach the builtin.
        var bound = Set<String>()
        var diagnostics: [Diagnostic] = []

        init(interpreter: Interpreter) { self.interpreter = interpreter }

        /// A statement's parts: its expressions, nested statements, and a function it declares.
        static func parts(_ s: Stmt) -> (exprs: [Expr], stmts: [Stmt], decl: FunctionDecl?) {
            switch s.kind {
            case .assign(let target, _, let value): return ([target, value], [], nil)
            case .letBinding(_, _, let value): return ([value], [], nil)
            case .function(let d): return ([], [], d)
            case .forLoop(_, _, let seq, let body): return ([seq], body.statements, nil)
            case .whileLoop(let c, let body): return ([c], body.statements, nil)
            case .expression(let e): return ([e], [], nil)
            case .returnValue(let e): return (e.map { [$0] } ?? [], [], nil)
            case .breakLoop, .continueLoop, .command: return ([], [], nil)
            }
        }

        mutating func collectBindings(_ s: Stmt) {
            switch s.kind {
            case .assign(let target, _, _): if case .identifier(let n) = target.kind { bound.insert(n) }
            case .letBinding(let n, _, _): bound.insert(n)
            case .forLoop(let vars, _, _, _): bound.formUnion(vars)
            default: break
            }
            let (exprs, stmts, decl) = Checker.parts(s)
            exprs.forEach { collectBindings($0) }
            stmts.forEach { collectBindings($0) }
            if let d = decl { collectBindings(d) }
        }

        mutating func collectBindings(_ d: FunctionDecl) {
            if let n = d.name { bound.insert(n) }
            bound.formUnion(d.parameters.map(\.name))
            d.body.statements.forEach { collectBindings($0) }
        }

        /// Expressions bind names in closures and in the blocks of if-expressions.
        mutating func collectBindings(_ e: Expr) {
            if case .function(let d) = e.kind { return collectBindings(d) }
            let (exprs, stmts) = Checker.children(e)
            exprs.forEach { collectBindings($0) }
            stmts.forEach { collectBindings($0) }
        }

        mutating func visit(_ s: Stmt) {
            let (exprs, stmts, decl) = Checker.parts(s)
            exprs.forEach { visit($0) }
            stmts.forEach { visit($0) }
            if let d = decl { visit(d) }
        }

        mutating func visit(_ d: FunctionDecl) {
            d.parameters.forEach { if let v = $0.defaultValue { visit(v) } }
            d.body.statements.forEach { visit($0) }
        }

        mutating func visit(_ e: Expr) {
            if case .call(let callee, let args) = e.kind, case .identifier(let name) = callee.kind, !bound.contains(name),
               interpreter.globals.lookup(name) == nil, let b = interpreter.builtins[name] {
                checkCall(b, args, e.range)
            }
            if case .function(let d) = e.kind { return visit(d) }
            let (exprs, stmts) = Checker.children(e)
            exprs.forEach { visit($0) }
            stmts.forEach { visit($0) }
        }

        mutating func checkCall(_ b: BuiltinFunction, _ args: [Argument], _ range: SourceRange) {
            let names = b.parameters.map(\.name), function = "'\(b.name)'"
            var filled = Set<String>()
            var position = 0
            for (k, a) in args.enumerated() {
                var label = a.label
                if a.trailing, label == nil, k == args.count - 1, b.variadic == nil { label = b.trailingClosureTargets.last }
                if let label {
                    guard names.contains(label) else {
                        diagnostics.append(Diagnostic(.error, CallMessages.unknownArgument(label, names, function), at: a.labelRange ?? range))
                        return
                    }
                    guard filled.insert(label).inserted else {
                        diagnostics.append(Diagnostic(.error, CallMessages.givenTwice(label, names, function), at: a.labelRange ?? range))
                        return
                    }
                } else if position < names.count {
                    filled.insert(names[position])
                    position += 1
                } else if b.variadic == nil {
                    diagnostics.append(Diagnostic(.error, CallMessages.tooMany(names, function), at: a.value.range))
                    return
                }
            }
        }

        /// An expression's direct parts: its sub-expressions, and the statements of an
        /// if-expression's blocks. A closure has none (callers handle its declaration).
        static func children(_ e: Expr) -> (exprs: [Expr], stmts: [Stmt]) {
            switch e.kind {
            case .literal, .identifier, .function: return ([], [])
            case .interpolated(let segments): return (segments.compactMap { if case .expr(let x) = $0 { x } else { nil } }, [])
            case .list(let items): return (items, [])
            case .record(let fields): return (fields.map(\.value), [])
            case .unary(_, let x), .field(let x, _, _): return ([x], [])
            case .binary(_, let a, let b), .logical(_, let a, let b), .index(let a, let b): return ([a, b], [])
            case .range(let a, let b, let step): return ([a, b] + (step.map { [$0] } ?? []), [])
            case .call(let callee, let args): return ([callee] + args.map(\.value), [])
            case .ifElse(let clause):
                switch clause.otherwise {
                case .elseIf(let next, let r)?: return ([clause.condition, Expr(.ifElse(next), r)], clause.then.statements)
                case .block(let b)?: return ([clause.condition], clause.then.statements + b.statements)
                case nil: return ([clause.condition], clause.then.statements)
                }
            }
        }
    }
}
