import Lang

/// Evaluates programs: a tree-walking interpreter over the AST.
///
/// Scoping: only functions create environments. An assignment updates the innermost existing
/// binding of the name (so a loop or a closure can update `best`), otherwise it creates the
/// name in the current function (or at top level). Parameters and `let` always bind locally.
public final class Interpreter {
    public let globals = Environment()
    public private(set) var builtins: [String: BuiltinFunction] = [:]
    public var output: OutputSink
    /// The default seed for builtins called without `seed:` (`seed(n)`, `--seed N`).
    public var seed: Int = 1
    /// The host library's state for this session (loaded data, run record, caches): one typed object that the
    /// builtins own and create on first use; the interpreter never looks inside.
    public var host: (any HostState)?
    var callDepth = 0
    public var maxCallDepth = 2000
    /// Checks of string literals by parameter name (`device`, `accuracy`, ...), run before a program starts on every
    /// literal that reaches such a parameter of a builtin: the literal's problem in words, or nil.
    public var literalChecks: [String: @Sendable (String) -> String?] = [:]

    public init(output: OutputSink, builtins: [BuiltinFunction] = []) {
        self.output = output
        for b in builtins { register(b) }
    }

    public func register(_ builtin: BuiltinFunction) {
        builtins[builtin.name] = builtin
    }

    /// Names usable as commands (`load latbench`), for the parser.
    public var commandNames: Set<String> { Set(builtins.values.filter(\.isCommand).map(\.name)) }

    public func parse(_ file: SourceFile) -> ParseResult {
        Parser.parse(file, commandNames: commandNames)
    }

    /// Executes one top-level statement; returns the value when it is an expression statement.
    public func executeTopLevel(_ stmt: Stmt) throws -> Value? {
        do {
            switch stmt.kind {
            case .expression:
                return try execute(stmt, globals)
            default:
                _ = try execute(stmt, globals)
                return nil
            }
        } catch let flow as ControlFlow {
            switch flow {
            case .breakLoop: throw RuntimeError(RuntimeMessages.outsideLoop("break"), at: stmt.range)
            case .continueLoop: throw RuntimeError(RuntimeMessages.outsideLoop("continue"), at: stmt.range)
            case .returnValue: throw RuntimeError(RuntimeMessages.returnOutsideFunction, at: stmt.range)
            }
        }
    }

    /// Executes a statement; the result is its value (for the value of a block).
    func execute(_ stmt: Stmt, _ env: Environment) throws -> Value {
        switch stmt.kind {
        case .expression(let e):
            return try eval(e, env)
        case .assign(let target, let op, let valueExpr):
            var value = try eval(valueExpr, env)
            if let op = op {
                let old = try eval(target, env)
                value = try binary(op, old, value, at: stmt.range)
            }
            try assign(target, value, env)
            return .nil
        case .letBinding(let name, _, let valueExpr):
            env.define(name, try eval(valueExpr, env))
            return .nil
        case .function(let decl):
            env.assign(decl.name!, .function(UserFunction(declaration: decl, closure: env)))
            return .nil
        case .forLoop(let variables, let vrange, let sequenceExpr, let body):
            try runFor(variables, vrange, sequenceExpr, body, env)
            return .nil
        case .whileLoop(let condition, let body):
            while try truth(eval(condition, env), condition) {
                if try !loopBody(body, env) { break }
            }
            return .nil
        case .breakLoop:
            throw ControlFlow.breakLoop
        case .continueLoop:
            throw ControlFlow.continueLoop
        case .returnValue(let e):
            throw ControlFlow.returnValue(try e.map { try eval($0, env) } ?? .nil)
        case .command(let name, let nameRange, let words):
            return try runCommand(name, nameRange, words, stmt.range, env)
        }
    }

    func runFor(
        _ variables: [String], _ vrange: SourceRange, _ sequenceExpr: Expr, _ body: Block,
        _ env: Environment
    ) throws {
        let sequence = try eval(sequenceExpr, env)
        let count: Int
        let element: (Int) -> Value
        switch sequence {
        case .list(let xs):
            count = xs.count
            element = { xs[$0] }
        case .range(let r):
            count = r.count
            element = r.element
        case .string(let s):
            let chars = s.map { Value.string(String($0)) }
            count = chars.count
            element = { chars[$0] }
        case .record(let r):
            // One variable: the field names; two: name and value.
            let pairs = r.pairs
            count = pairs.count
            element = { variables.count == 2 ? .list([.string(pairs[$0].0), pairs[$0].1]) : .string(pairs[$0].0) }
        case .object(let o) where o.sequence() != nil:
            let xs = o.sequence()!
            count = xs.count
            element = { xs[$0] }
        default:
            throw RuntimeError(RuntimeMessages.notIterable(sequence), at: sequenceExpr.range)
        }
        for i in 0..<count {
            try bindLoopVariables(variables, element(i), vrange, env)
            if try !loopBody(body, env) { break }
        }
    }

    /// One iteration of a loop body; false after `break`. Checks for Ctrl-C first.
    func loopBody(_ body: Block, _ env: Environment) throws -> Bool {
        try Interrupt.check()
        do {
            _ = try executeBlock(body, env)
        } catch ControlFlow.breakLoop {
            return false
        } catch ControlFlow.continueLoop {
            return true
        }
        return true
    }

    func bindLoopVariables(_ variables: [String], _ value: Value, _ r: SourceRange, _ env: Environment) throws {
        if variables.count == 1 {
            env.assign(variables[0], value)
            return
        }
        guard case .list(let parts) = value, parts.count == variables.count else {
            throw RuntimeError(RuntimeMessages.cannotUnpack(value, into: variables.count), at: r)
        }
        for (name, part) in zip(variables, parts) { env.assign(name, part) }
    }

    /// Runs a block's statements; its value is the last statement's value.
    func executeBlock(_ block: Block, _ env: Environment) throws -> Value {
        var last = Value.nil
        for stmt in block.statements {
            last = try execute(stmt, env)
        }
        return last
    }

    func runCommand(
        _ name: String, _ nameRange: SourceRange, _ words: [Word], _ range: SourceRange,
        _ env: Environment
    ) throws -> Value {
        guard let callee = env.lookup(name) ?? builtins[name].map(Value.builtin) else {
            throw RuntimeError(RuntimeMessages.unknownCommand(name), at: nameRange)
        }
        let args = words.map { CallArgument(label: nil, value: .string($0.text), range: $0.range) }
        return try call(callee, args, at: range, calleeName: name)
    }

    /// Conditions must be booleans: `if 0` is an error, not false.
    func truth(_ v: Value, _ e: Expr) throws -> Bool {
        guard case .bool(let b) = v else {
            throw RuntimeError(RuntimeMessages.conditionNotBool(v), at: e.range)
        }
        return b
    }
}
