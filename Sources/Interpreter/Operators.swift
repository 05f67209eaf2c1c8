import Lang

#if canImport(Glibc)
    import Glibc
#endif

extension Interpreter {
    func unary(_ op: UnaryOp, _ v: Value, at r: SourceRange) throws -> Value {
        switch (op, v) {
        case (.negate, .int(let i)):
            guard i != Int.min else { throw RuntimeError(RuntimeMessages.negationOverflow(i), at: r) }
            return .int(-i)
        case (.negate, .number(let d)): return .number(-d)
        case (.negate, .quantity(let q)): return .quantity(Quantity(-q.value, q.unit))
        case (.plus, .int), (.plus, .number), (.plus, .quantity): return v
        case (.not, .bool(let b)): return .bool(!b)
        default:
            throw RuntimeError(RuntimeMessages.cannotApply(op.rawValue, to: v), at: r)
        }
    }

    func binary(_ op: BinaryOp, _ a: Value, _ b: Value, at r: SourceRange) throws -> Value {
        do {
            return try Operators.apply(op, a, b)
        } catch let e as Operators.Failure {
            throw RuntimeError(e.message, at: r)
        }
    }
}

/// The arithmetic, comparison and membership operators on values.
public enum Operators {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func apply(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .equal: return .bool(equal(a, b))
        case .notEqual: return .bool(!equal(a, b))
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(try compare(op, a, b))
        case .contains: return .bool(try contains(b, a))
        case .add, .subtract, .multiply, .divide, .remainder, .power: return try arithmetic(op, a, b)
        }
    }

    static func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try integer(op, x, y)
        case (.int, .number), (.number, .int), (.number, .number): return try real(op, a.asDouble!, b.asDouble!)
        case (.quantity(let x), .quantity(let y)): return try quantities(op, x, y)
        case (.quantity(let q), .int), (.quantity(let q), .number):
            return try scaled(op, q, b.asDouble!, quantityFirst: true)
        case (.int, .quantity(let q)), (.number, .quantity(let q)):
            return try scaled(op, q, a.asDouble!, quantityFirst: false)
        case (.string(let x), .string(let y)) where op == .add:
            try checkSize(x.utf8.count + y.utf8.count, "string", unit: "bytes", limit: maxStringBytes)
            return .string(x + y)
        case (.list(let x), .list(let y)) where op == .add:
            let cap = RangeValue.maxMaterialized
            try checkSize(elements(x, cap: cap) + elements(y, cap: cap), "list", unit: "elements", limit: cap)
            return .list(x + y)
        case (.list(let x), .int(let n)) where op == .multiply && n >= 0:
            // Nested elements count: [[0] * 10^7] * 10^7 holds 10^14 of them (shared storage), which json, repr and
            // == would walk.
            try checkRepeat(elements(x, cap: RangeValue.maxMaterialized), n, "list", limit: RangeValue.maxMaterialized)
            return .list(Array([[Value]](repeating: x, count: n).joined()))
        case (.string(let x), .int(let n)) where op == .multiply && n >= 0:
            try checkRepeat(x.utf8.count, n, "string", limit: maxStringBytes)
            return .string(String(repeating: x, count: n))
        default:
            var hint = ""
            if case .string = a, op == .add { hint = " (use interpolation: \"...\\(x)\")" }
            throw Failure(message: "cannot \(verb(op)) \(a.describeForError) and \(b.describeForError)" + hint)
        }
    }

    /// The longest string `*` may make, in bytes.
    public static let maxStringBytes = 100_000_000

    /// How many elements a list holds, nested lists' and records' elements included, counted up to just past `cap`.
    static func elements(_ xs: [Value], cap: Int) -> Int {
        var n = 0
        var stack: [[Value]] = [xs]
        while let top = stack.popLast(), n <= cap {
            n += top.count
            for v in top where n <= cap {
                switch v {
                case .list(let inner): stack.append(inner)
                case .record(let r): stack.append(r.values)
                default: break
                }
            }
        }
        return n
    }

    /// `a + b` refuses results past the limits (doubling a string or list in a loop would exhaust memory).
    static func checkSize(_ size: Int, _ what: String, unit: String, limit: Int) throws {
        guard size <= limit else {
            throw Failure(message: "the \(what) would have \(size) \(unit), more than the limit of \(limit)")
        }
    }

    /// `xs * n` and `s * n` refuse results past the limits (they would exhaust memory).
    static func checkRepeat(_ size: Int, _ n: Int, _ what: String, limit: Int) throws {
        let (total, overflow) = size.multipliedReportingOverflow(by: n)
        guard !overflow, total <= limit else {
            throw Failure(message: RuntimeMessages.repeatTooLarge(what, size, n, limit: limit))
        }
    }

    static func verb(_ op: BinaryOp) -> String {
        switch op {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        case .remainder: return "take the remainder of"
        case .power: return "raise"
        default: return "compare"
        }
    }

    static func integer(_ op: BinaryOp, _ x: Int, _ y: Int) throws -> Value {
        let result: (Int, Bool)
        switch op {
        case .add: result = x.addingReportingOverflow(y)
        case .subtract: result = x.subtractingReportingOverflow(y)
        case .multiply: result = x.multipliedReportingOverflow(by: y)
        case .divide:
            guard y != 0 else { throw Failure(message: RuntimeMessages.divisionByZero) }
            return .number(Double(x) / Double(y))
        case .remainder:
            guard y != 0 else { throw Failure(message: RuntimeMessages.remainderByZero) }
            // Int.min % -1 is 0 (reported as overflow)
            let m = x.remainderReportingOverflow(dividingBy: y).partialValue
            return .int(m != 0 && (m < 0) != (y < 0) ? m + y : m)
        case .power:
            if y < 0 { return try real(.power, Double(x), Double(y)) }
            // Square and multiply: at most 2·64 checked multiplications; overflow is an error, as for `*`.
            var acc = 1
            var base = x
            var e = y
            while e > 0 {
                if e & 1 == 1 {
                    let (p, o) = acc.multipliedReportingOverflow(by: base)
                    if o { throw Failure(message: RuntimeMessages.powerOverflow(x, y)) }
                    acc = p
                }
                e >>= 1
                if e > 0 {
                    let (b, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw Failure(message: RuntimeMessages.powerOverflow(x, y)) }
                    base = b
                }
            }
            return .int(acc)
        default: fatalError("not arithmetic: \(op)")
        }
        if result.1 { throw Failure(message: RuntimeMessages.integerOverflow(x, op.rawValue, y)) }
        return .int(result.0)
    }

    static func real(_ op: BinaryOp, _ x: Double, _ y: Double) throws -> Value {
        if op == .power, x == 0, y < 0 { throw Failure(message: RuntimeMessages.divisionByZero) }  // 0 ** -1 = 1 / 0
        let v = try realValue(op, x, y)
        if case .number(let r) = v, !r.isFinite, x.isFinite, y.isFinite {
            let what = r.isNaN ? "is not a number" : "overflows a float (beyond about 1.8e308)"
            throw Failure(message: "\(Format.repr(.number(x))) \(op.rawValue) \(Format.repr(.number(y))) \(what)")
        }
        return v
    }

    static func realValue(_ op: BinaryOp, _ x: Double, _ y: Double) throws -> Value {
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        case .divide:
            guard y != 0 else { throw Failure(message: RuntimeMessages.divisionByZero) }
            return .number(x / y)
        case .remainder:
            guard y != 0 else { throw Failure(message: RuntimeMessages.remainderByZero) }
            let m = fmod(x, y)
            return .number(m != 0 && (m < 0) != (y < 0) ? m + y : m)
        case .power: return .number(pow(x, y))
        default: fatalError("not arithmetic: \(op)")
        }
    }

    static func quantities(_ op: BinaryOp, _ x: Quantity, _ y: Quantity) throws -> Value {
        guard x.unit.dimension == y.unit.dimension else {
            throw Failure(
                message: "cannot \(verb(op)) '\(x.unit.symbol)' and '\(y.unit.symbol)' "
                    + "(\(x.unit.dimension.rawValue) and \(y.unit.dimension.rawValue))")
        }
        let yv = y.unit.convert(y.value, to: x.unit)
        let sum = op == .add ? x.value + yv : x.value - yv
        if op == .add || op == .subtract, !sum.isFinite, x.value.isFinite, y.value.isFinite {
            throw Failure(
                message:
                    "\(Format.repr(.quantity(x))) \(op.rawValue) \(Format.repr(.quantity(y))) overflows a float (beyond about 1.8e308)"
            )
        }
        switch op {
        case .add, .subtract: return .quantity(Quantity(sum, x.unit))
        case .divide:
            guard yv != 0 else { throw Failure(message: RuntimeMessages.divisionByZero) }
            return .number(x.value / yv)
        case .remainder:
            guard yv != 0 else { throw Failure(message: RuntimeMessages.remainderByZero) }
            guard case .number(let m) = try real(.remainder, x.value, yv) else { fatalError() }
            return .quantity(Quantity(m, x.unit))
        default:
            throw Failure(message: "cannot \(verb(op)) two quantities ('\(x.unit.symbol)' and '\(y.unit.symbol)')")
        }
    }

    static func scaled(_ op: BinaryOp, _ q: Quantity, _ k: Double, quantityFirst: Bool) throws -> Value {
        switch op {
        case .multiply,
            .divide where quantityFirst:  // a quantity times a number either way; divided only by a number
            guard op == .multiply || k != 0 else { throw Failure(message: RuntimeMessages.divisionByZero) }
            let v = op == .multiply ? q.value * k : q.value / k
            guard v.isFinite || !q.value.isFinite || !k.isFinite else {
                throw Failure(
                    message:
                        "\(Format.repr(.quantity(q))) \(op.rawValue) \(Format.repr(.number(k))) overflows a float (beyond about 1.8e308)"
                )
            }
            return .quantity(Quantity(v, q.unit))
        default:
            let number = Format.number(k)
            let hint =
                (op == .add || op == .subtract) ? " (give the number a unit, e.g. \(number)\(q.unit.symbol))" : ""
            let (l, r) =
                quantityFirst ? ("'\(q.unit.symbol)'", "a plain number") : ("a plain number", "'\(q.unit.symbol)'")
            throw Failure(message: "cannot \(verb(op)) \(l) and \(r)" + hint)
        }
    }

    /// Structural equality; numbers compare by value across int/number; quantities of one
    /// dimension compare exactly in the finer unit; values of different types are unequal.
    public static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.nil, .nil): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int, .number), (.number, .int), (.number, .number): return a.asDouble! == b.asDouble!
        case (.quantity(let x), .quantity(let y)):
            guard x.unit.dimension == y.unit.dimension else { return false }
            let (u, v) = Quantity.compare(x, y)
            return u == v
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.range(let x), .range(let y)): return x.equals(y)
        case (.record(let x), .record(let y)):
            return x.keys == y.keys && zip(x.values, y.values).allSatisfy { equal($0, $1) }
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.object(let x), .object(let y)): return x.isEqual(to: y)
        default: return false
        }
    }

    public static func compare(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Bool {
        let order = try ordering(a, b)
        switch op {
        case .less: return order < 0
        case .lessEqual: return order <= 0
        case .greater: return order > 0
        case .greaterEqual: return order >= 0
        default: fatalError("not an ordering: \(op)")
        }
    }

    /// -1, 0 or 1. Numbers, quantities of one dimension, strings, and lists of those
    /// (lexicographically) are ordered; anything else is an error.
    public static func ordering(_ a: Value, _ b: Value) throws -> Int {
        func sign(_ x: Double, _ y: Double) throws -> Int {
            if x.isNaN || y.isNaN { throw Failure(message: RuntimeMessages.orderNaN) }
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.int, .number), (.number, .int), (.number, .number): return try sign(a.asDouble!, b.asDouble!)
        case (.quantity(let x), .quantity(let y)) where x.unit.dimension == y.unit.dimension:
            let (u, v) = Quantity.compare(x, y)
            return try sign(u, v)
        case (.string(let x), .string(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.list(let x), .list(let y)):
            for (u, v) in zip(x, y) {
                let c = try ordering(u, v)
                if c != 0 { return c }
            }
            return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
        case (.quantity(let x), .quantity(let y)):
            throw Failure(
                message: "cannot compare '\(x.unit.symbol)' and '\(y.unit.symbol)' "
                    + "(\(x.unit.dimension.rawValue) and \(y.unit.dimension.rawValue))")
        default:
            throw Failure(message: "cannot compare \(a.describeForError) and \(b.describeForError)")
        }
    }

    /// `x in container`: an element of a list or range, a substring, a record's field name.
    static func contains(_ container: Value, _ x: Value) throws -> Bool {
        switch container {
        case .list(let xs): return xs.contains { equal($0, x) }
        case .range(let r): return try r.contains(x)
        case .string(let s):
            guard case .string(let sub) = x else {
                throw Failure(message: "'in' on a string needs a string, got \(x.describeForError)")
            }
            return s.contains(sub)
        case .record(let rec):
            guard case .string(let k) = x else {
                throw Failure(message: "'in' on a record needs a field name, got \(x.describeForError)")
            }
            return rec[k] != nil
        case .object(let o) where o.sequence() != nil:
            return o.sequence()!.contains { equal($0, x) }
        default:
            throw Failure(message: "cannot test membership in \(container.describeForError)")
        }
    }
}
