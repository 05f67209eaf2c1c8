import Lang

/// One call of a builtin, with its arguments bound and type-checked. Typed accessors
/// convert (an integral number is an integer, a range is a list) and fail with one message form.
public struct BuiltinCall {
    public let interpreter: Interpreter
    public let function: BuiltinFunction
    public let values: [String: Value]
    public let ranges: [String: SourceRange]
    /// Extra positional arguments of a variadic builtin.
    public let rest: [Value]
    public let range: SourceRange?
    /// Names of the parameters the caller gave explicitly.
    public let given: Set<String>

    public var output: OutputSink { interpreter.output }

    static func badArgument(_ name: String, _ function: String, _ expected: String, _ got: Value) -> String {
        "bad argument '\(name)' to '\(function)' (\(expected) expected, got \(got.describeForError))"
    }

    /// An error about one argument; it points at that argument in the source.
    public func fail(_ name: String, _ message: String) -> BuiltinError {
        BuiltinError("bad argument '\(name)' to '\(function.name)' (\(message))", argument: name)
    }

    public func fail(_ message: String) -> BuiltinError { BuiltinError(message) }

    public subscript(_ name: String) -> Value { values[name] ?? .nil }

    public func isGiven(_ name: String) -> Bool { given.contains(name) }

    /// The same call with other defaults for the parameters the caller did not give (a protocol's settings); names
    /// the builtin does not have are left out. What the caller gave is never replaced.
    public func withDefaults(_ defaults: [String: Value]) -> BuiltinCall {
        var values = values
        for p in function.parameters where !given.contains(p.name) {
            if let v = defaults[p.name] { values[p.name] = v }
        }
        return BuiltinCall(
            interpreter: interpreter, function: function, values: values, ranges: ranges, rest: rest, range: range,
            given: given)
    }

    public func isNil(_ name: String) -> Bool { self[name].isNil }

    public func int(_ name: String) throws -> Int {
        switch self[name] {
        case .int(let i): return i
        case .number(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
        case let v: throw fail(name, "integer expected, got \(v.describeForError)")
        }
    }

    public func int(_ name: String, min: Int, max: Int = Int.max) throws -> Int {
        let i = try int(name)
        guard i >= min && i <= max else {
            let bound = max == Int.max ? "≥ \(min)" : "between \(min) and \(max)"
            throw fail(name, "must be \(bound), got \(i)")
        }
        return i
    }

    public func optionalInt(_ name: String) throws -> Int? { isNil(name) ? nil : try int(name) }

    public func double(_ name: String) throws -> Double {
        guard let d = self[name].asDouble else {
            throw fail(name, "number expected, got \(self[name].describeForError)")
        }
        return d
    }

    public func optionalDouble(_ name: String) throws -> Double? { isNil(name) ? nil : try double(name) }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = self[name] else {
            throw fail(name, "bool expected, got \(self[name].describeForError)")
        }
        return b
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let s) = self[name] else {
            throw fail(name, "string expected, got \(self[name].describeForError)")
        }
        return s
    }

    public func optionalString(_ name: String) throws -> String? { isNil(name) ? nil : try string(name) }

    /// A list argument; a range becomes its elements, an object that is a sequence its elements.
    public func list(_ name: String) throws -> [Value] {
        switch self[name] {
        case .list(let xs): return xs
        case .range(let r): return (try r.elements())
        case .object(let o) where o.sequence() != nil: return o.sequence()!
        case let v: throw fail(name, "list expected, got \(v.describeForError)")
        }
    }

    public func quantity(_ name: String, _ dimension: PhysicalUnit.Dimension) throws -> Quantity {
        guard case .quantity(let q) = self[name], q.unit.dimension == dimension else {
            throw fail(name, "\(Format.dimensionExample(dimension)) expected, got \(self[name].describeForError)")
        }
        return q
    }

    public func object<T>(_ name: String, as type: T.Type, _ expected: String) throws -> T {
        guard case .object(let o) = self[name], let t = o as? T else {
            throw fail(name, "\(expected) expected, got \(self[name].describeForError)")
        }
        return t
    }

    /// The seed for this call: the `seed:` argument if given, else the session seed.
    public func seed(_ name: String = "seed") throws -> Int {
        isNil(name) ? interpreter.seed : try int(name)
    }

    /// Calls a function value given to the builtin (a key function, a closure to repeat).
    public func call(_ f: Value, _ args: [Value]) throws -> Value {
        try interpreter.call(f, args, at: range)
    }

    /// Long-running builtins call this regularly; it throws when the user pressed Ctrl-C.
    public func checkCancelled() throws { try Interrupt.check() }
}
