import Lang

/// Checks a program before it runs, so that a long script stops at once on a mistake it would
/// otherwise meet an hour in: a call of a builtin by its own name (one the program never
/// rebinds) with an argument name the builtin does not take, an argument given twice, or more
/// positional arguments than it has parameters. The messages are the run-time ones. String literals that reach a
/// parameter with a literal check (a device name, a dataset) are checked too: given directly, or through a `for`
/// loop variable over a list literal, or through a top-level name assigned a list or string literal once
/// (`devices = ["e-tpu", "m-gpx"]`, then `for d in devices { gcn(device: d) }`).
public enum StaticCheck {
    public static func check(_ program: Program, _ interpreter: Interpreter) -> [Diagnostic] {
        var checker = Checker(interpreter: interpreter)
        program.statements.forEach { checker.collectBindings($0) }
        for s in program.statements {
            if case .assign(let target, nil, let value) = s.kind, case .identifier(let n) = target.kind,
                checker.assignments[n] == 1, let items = Checker.stringLiterals(value)
            {
                checker.literalLists[n] = items
            }
        }
        program.statements.forEach { checker.visit($0) }
        return checker.diagnostics
    }

    struct Checker {
        let interpreter: Interpreter
        /// Every name the program binds anywhere (assignments, let, fn, parameters, loop
        /// variables): a call through such a name may not reach the builtin.
        var bound = Set<String>()
        var diagnostics: [Diagnostic] = []
        /// Names assigned exactly once at top level to a literal list of strings (or a string), and how often each
        /// name is assigned anywhere.
        var literalLists: [String: [Expr]] = [:]
        var assignments: [String: Int] = [:]
        /// Names bound otherwise: loop variables (how often), parameters, let, fn names.
        var loopBindings: [String: Int] = [:]
        var otherBindings = Set<String>()
        /// Loop variables over literal string lists, innermost last.
        var loopLiterals: [(String, [Expr])] = []
        var reported = Set<Int>()

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
            case .assign(let target, _, _):
                if case .identifier(let n) = target.kind {
                    bound.insert(n)
                    assignments[n, default: 0] += 1
                }
            case .letBinding(let n, _, _):
                bound.insert(n)
                otherBindings.insert(n)
            case .forLoop(let vars, _, _, _):
                bound.formUnion(vars)
                for v in vars { loopBindings[v, default: 0] += 1 }
            default: break
            }
            let (exprs, stmts, decl) = Checker.parts(s)
            exprs.forEach { collectBindings($0) }
            stmts.forEach { collectBindings($0) }
            if let d = decl { collectBindings(d) }
        }

        mutating func collectBindings(_ d: FunctionDecl) {
            if let n = d.name {
                bound.insert(n)
                otherBindings.insert(n)
            }
            bound.formUnion(d.parameters.map(\.name))
            otherBindings.formUnion(d.parameters.map(\.name))
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
            var pushed = false
            if case .forLoop(let vars, _, let seq, _) = s.kind, vars.count == 1, let items = literals(of: seq) {
                loopLiterals.append((vars[0], items))
                pushed = true
            }
            stmts.forEach { visit($0) }
            if pushed { loopLiterals.removeLast() }
            if let d = decl { visit(d) }
        }

        /// The string literals a list (or string) literal holds; nil when it holds anything else.
        static func stringLiterals(_ e: Expr) -> [Expr]? {
            switch e.kind {
            case .literal(.string): return [e]
            case .list(let items)
            where !items.isEmpty && items.allSatisfy({ if case .literal(.string) = $0.kind { true } else { false } }):
                return items
            default: return nil
            }
        }

        /// The string literals an argument can evaluate to, as far as the program's text shows.
        func literals(of e: Expr) -> [Expr]? {
            if let items = Checker.stringLiterals(e) { return items }
            // Only names nothing else can rebind: a loop variable never assigned, a top-level name assigned once and
            // never a loop variable, parameter or let.
            if case .identifier(let n) = e.kind, !otherBindings.contains(n) {
                if let loop = loopLiterals.last(where: { $0.0 == n }) { return assignments[n] == nil ? loop.1 : nil }
                if assignments[n] == 1, loopBindings[n] == nil { return literalLists[n] }
            }
            return nil
        }

        mutating func checkLiterals(_ parameter: String, _ value: Expr) {
            guard let check = interpreter.literalChecks[parameter], let items = literals(of: value) else { return }
            for item in items {
                guard case .literal(.string(let text)) = item.kind, let problem = check(text),
                    reported.insert(item.range.start).inserted
                else { continue }
                diagnostics.append(Diagnostic(.error, problem, at: item.range))
            }
        }

        mutating func visit(_ d: FunctionDecl) {
            d.parameters.forEach { if let v = $0.defaultValue { visit(v) } }
            d.body.statements.forEach { visit($0) }
        }

        mutating func visit(_ e: Expr) {
            if case .call(let callee, let args) = e.kind, case .identifier(let name) = callee.kind,
                !bound.contains(name),
                interpreter.globals.lookup(name) == nil, let b = interpreter.builtins[name]
            {
                checkCall(b, args, e.range)
            }
            if case .function(let d) = e.kind { return visit(d) }
            let (exprs, stmts) = Checker.children(e)
            exprs.forEach { visit($0) }
            stmts.forEach { visit($0) }
        }

        mutating func checkCall(_ b: BuiltinFunction, _ args: [Argument], _ range: SourceRange) {
            let names = b.parameters.map(\.name)
            let function = "'\(b.name)'"
            var filled = Set<String>()
            var position = 0
            for (k, a) in args.enumerated() {
                var label = a.label
                if a.trailing, label == nil, k == args.count - 1, b.variadic == nil {
                    label = b.trailingClosureTargets.last
                }
                var parameter: String?
                defer { if let p = parameter { checkLiterals(p, a.value) } }
                if let label {
                    parameter = label
                    guard names.contains(label) else {
                        diagnostics.append(
                            Diagnostic(
                                .error, CallMessages.unknownArgument(label, names, function), at: a.labelRange ?? range)
                        )
                        return
                    }
                    guard filled.insert(label).inserted else {
                        diagnostics.append(
                            Diagnostic(
                                .error, CallMessages.givenTwice(label, names, function), at: a.labelRange ?? range))
                        return
                    }
                } else if position < names.count {
                    parameter = names[position]
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
            case .interpolated(let segments):
                return (segments.compactMap { if case .expr(let x) = $0 { x } else { nil } }, [])
            case .list(let items): return (items, [])
            case .record(let fields): return (fields.map(\.value), [])
            case .unary(_, let x), .field(let x, _, _): return ([x], [])
            case .binary(_, let a, let b), .logical(_, let a, let b), .index(let a, let b): return ([a, b], [])
            case .range(let a, let b, let step): return ([a, b] + (step.map { [$0] } ?? []), [])
            case .call(let callee, let args): return ([callee] + args.map(\.value), [])
            case .ifElse(let clause):
                switch clause.otherwise {
                case .elseIf(let next, let r)?:
                    return ([clause.condition, Expr(.ifElse(next), r)], clause.then.statements)
                case .block(let b)?: return ([clause.condition], clause.then.statements + b.statements)
                case nil: return ([clause.condition], clause.then.statements)
                }
            }
        }
    }
}
