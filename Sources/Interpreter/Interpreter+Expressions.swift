import Lang

extension Interpreter {
    func eval(_ expr: Expr, _ env: Environment) throws -> Value {
        switch expr.kind {
        case .literal(let lit):
            switch lit {
            case .int(let i): return .int(i)
            case .number(let d): return .number(d)
            case .quantity(let v, let u): return .quantity(Quantity(v, u))
            case .string(let s): return .string(s)
            case .bool(let b): return .bool(b)
            case .nil: return .nil
            }
        case .interpolated(let segments):
            var s = ""
            for seg in segments {
                switch seg {
                case .text(let t): s += t
                case .expr(let e): s += Format.str(try eval(e, env))
                }
            }
            return .string(s)
        case .identifier(let name):
            if let v = env.lookup(name) { return v }
            if let b = builtins[name] { return .builtin(b) }
            throw RuntimeError(unknownName(name, env), at: expr.range)
        case .list(let items):
            return .list(try items.map { try eval($0, env) })
        case .record(let fields):
            return .record(Record(try fields.map { ($0.name, try eval($0.value, env)) }))
        case .unary(let op, let operand):
            return try unary(op, try eval(operand, env), at: expr.range)
        case .binary(let op, let l, let r):
            return try binary(op, try eval(l, env), try eval(r, env), at: expr.range)
        case .logical(let op, let l, let r):
            let left = try truth(try eval(l, env), l)
            switch op {
            case .and: return left ? .bool(try truth(try eval(r, env), r)) : .bool(false)
            case .or: return left ? .bool(true) : .bool(try truth(try eval(r, env), r))
            }
        case .range(let s, let e, let step):
            return try makeRange(try eval(s, env), try eval(e, env), try step.map { try eval($0, env) }, expr)
        case .call(let calleeExpr, let argExprs):
            let callee = try eval(calleeExpr, env)
            let args = try argExprs.map {
                CallArgument(
                    label: $0.label, value: try eval($0.value, env), range: $0.value.range, labelRange: $0.labelRange,
                    trailing: $0.trailing)
            }
            return try call(callee, args, at: expr.range, calleeName: Interpreter.calleeName(calleeExpr))
        case .index(let base, let index):
            return try subscriptValue(
                try eval(base, env), try eval(index, env), at: expr.range, indexRange: index.range)
        case .field(let base, let name, let nameRange):
            return try field(of: try eval(base, env), name, at: nameRange)
        case .function(let decl):
            return .function(UserFunction(declaration: decl, closure: env))
        case .ifElse(let clause):
            return try evalIf(clause, env)
        }
    }

    func evalIf(_ clause: IfClause, _ env: Environment) throws -> Value {
        if try truth(try eval(clause.condition, env), clause.condition) {
            return try executeBlock(clause.then, env)
        }
        switch clause.otherwise {
        case nil: return .nil
        case .elseIf(let next, _)?: return try evalIf(next, env)
        case .block(let b)?: return try executeBlock(b, env)
        }
    }

    static func calleeName(_ e: Expr) -> String? {
        switch e.kind {
        case .identifier(let n): return n
        case .field(_, let n, _): return n
        default: return nil
        }
    }

    func unknownName(_ name: String, _ env: Environment) -> String {
        var names = Set(builtins.keys)
        var e: Environment? = env
        while let x = e {
            names.formUnion(x.values.keys)
            e = x.parent
        }
        return "unknown name '\(name)'" + Suggest.didYouMean(name, Array(names))
    }

    // MARK: Assignment

    /// Assigns to a name, a field (`r.x = v`) or an element (`xs[i] = v`), in place.
    func assign(_ target: Expr, _ value: Value, _ env: Environment) throws {
        switch target.kind {
        case .identifier(let name):
            env.assign(name, value)
        case .field, .index:
            guard let root = Interpreter.rootName(target) else {
                throw RuntimeError(Messages.badAssignTarget, at: target.range)
            }
            let path = try accessPath(target, env)
            let found: Void? = try env.modify(root) { slot in
                try update(&slot, path[...], value)
            }
            if found == nil { throw RuntimeError(unknownName(root, env), at: target.range) }
        default:
            throw RuntimeError(Messages.badAssignTarget, at: target.range)
        }
    }

    enum PathStep {
        case field(String, SourceRange)
        case index(Value, SourceRange)
    }

    static func rootName(_ e: Expr) -> String? {
        switch e.kind {
        case .identifier(let n): return n
        case .field(let b, _, _), .index(let b, _): return rootName(b)
        default: return nil
        }
    }

    /// The steps from the root variable to the target, with index expressions evaluated.
    func accessPath(_ e: Expr, _ env: Environment) throws -> [PathStep] {
        switch e.kind {
        case .identifier: return []
        case .field(let b, let name, let r): return try accessPath(b, env) + [.field(name, r)]
        case .index(let b, let i): return try accessPath(b, env) + [.index(try eval(i, env), i.range)]
        default: throw RuntimeError(Messages.badAssignTarget, at: e.range)
        }
    }

    /// Replaces the element at `path` inside `slot`, keeping list storage unique.
    func update(_ slot: inout Value, _ path: ArraySlice<PathStep>, _ value: Value) throws {
        guard let step = path.first else {
            slot = value
            return
        }
        switch (step, slot) {
        case (.field(let name, let r), .record(var rec)):
            slot = .nil
            defer { slot = .record(rec) }
            guard var inner = rec[name] else {
                if path.count == 1 {
                    rec[name] = value
                    return
                }
                throw RuntimeError(RuntimeMessages.noRecordField(name), at: r)
            }
            rec[name] = Value.nil
            try update(&inner, path.dropFirst(), value)
            rec[name] = inner
        case (.index(let idx, let r), .list(var xs)):
            slot = .nil
            defer { slot = .list(xs) }
            let i = try listIndex(idx, count: xs.count, at: r)
            var inner = xs[i]
            xs[i] = .nil
            try update(&inner, path.dropFirst(), value)
            xs[i] = inner
        case (.index(.string(let key), let r), .record):
            try update(&slot, [PathStep.field(key, r)] + path.dropFirst(), value)
        case (.field(let name, let r), _):
            throw RuntimeError(RuntimeMessages.cannotSetField(name, of: slot), at: r)
        case (.index(_, let r), _):
            throw RuntimeError(RuntimeMessages.cannotAssignElement(of: slot), at: r)
        }
    }

    /// A list index: integers, negative from the end.
    func listIndex(_ idx: Value, count: Int, at r: SourceRange) throws -> Int {
        guard case .int(let i) = idx else {
            throw RuntimeError(RuntimeMessages.indexNotInteger(idx), at: r)
        }
        let j = i < 0 ? count + i : i
        guard j >= 0 && j < count else {
            throw RuntimeError(RuntimeMessages.indexOutOfRange(i, count: count), at: r)
        }
        return j
    }
}
