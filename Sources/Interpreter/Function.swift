import Lang

/// A function written in the language: `fn name(a, b: 2) { ... }` or a closure.
/// It keeps the environment it was created in (closures capture it by reference).
public final class UserFunction {
    public let declaration: FunctionDecl
    public let closure: Environment

    public init(declaration: FunctionDecl, closure: Environment) {
        self.declaration = declaration
        self.closure = closure
    }

    public var name: String { declaration.name ?? "<closure>" }
    public var parameterNames: [String] { declaration.parameters.map(\.name) }
}

/// A builtin: name, parameters (with types, defaults and docs), a one-line doc and a body.
/// The builtin table drives `help`, completion and docs/builtins.md.
///
/// Sendable, unchecked: every property is a constant, so the builtin table can be built once and shared; the
/// body runs only on the thread that runs the interpreter calling it.
public final class BuiltinFunction: @unchecked Sendable {
    public let name: String
    public let parameters: [BuiltinParameter]
    /// Extra positional arguments (`print(a, b, c)`), described by this parameter.
    public let variadic: BuiltinParameter?
    public let doc: String
    /// Usable as a command: `load latbench` is `load("latbench")`.
    public let isCommand: Bool
    /// A section heading for help and docs (e.g. "Basics", "Data").
    public let category: String
    public let body: (BuiltinCall) throws -> Value

    public init(
        _ name: String, _ parameters: [BuiltinParameter] = [], variadic: BuiltinParameter? = nil,
        doc: String, command: Bool = false, category: String = "Basics",
        body: @escaping (BuiltinCall) throws -> Value
    ) {
        self.name = name
        self.parameters = parameters
        self.variadic = variadic
        self.doc = doc
        self.isCommand = command
        self.category = category
        self.body = body
    }

    /// Files the builtins under a help/docs section.
    public static func category(_ name: String, _ builtins: [BuiltinFunction]) -> [BuiltinFunction] {
        builtins.map { $0.wrapping(category: name) { body, c in try body(c) } }
    }

    /// The same builtin (name, parameters, doc) with its body run through `wrap`, which gets the original body and
    /// the call (and may file it under another `category`).
    public func wrapping(
        category: String? = nil,
        _ wrap: @escaping ((BuiltinCall) throws -> Value, BuiltinCall) throws -> Value
    ) -> BuiltinFunction {
        let original = body
        return BuiltinFunction(
            name, parameters, variadic: variadic, doc: doc, command: isCommand,
            category: category ?? self.category
        ) { c in try wrap(original, c) }
    }

    /// `gcn(device, n: 900, seed: 1)`: required parameters bare, the others with defaults.
    public var signature: String {
        var parts = parameters.map { p -> String in
            guard let d = p.defaultValue else { return p.name }
            return "\(p.name): \(Format.source(d))"
        }
        if let v = variadic { parts.append("\(v.name)...") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// Sendable, unchecked: its default is a literal value (a number, string, quantity, or a list or record of them),
/// never an object or function.
public struct BuiltinParameter: @unchecked Sendable {
    public let name: String
    public let type: ParamType
    /// nil: required. `.nil` is a real default (the argument may be omitted and is nil).
    public let defaultValue: Value?
    public let doc: String

    public init(_ name: String, _ type: ParamType, default defaultValue: Value? = nil, _ doc: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

/// What a builtin parameter accepts; checked before the body runs, so every message reads
/// `bad argument 'n' to 'gcn' (integer expected, got string "9x")`.
public indirect enum ParamType {
    case any
    case int
    case number
    case bool
    case string
    case list
    case record
    case function
    case quantity(PhysicalUnit.Dimension)
    /// An object of the named host type.
    case object(String)
    case oneOf([ParamType])
    /// The type, or nil.
    case optional(ParamType)

    public var describe: String {
        switch self {
        case .any: return "any value"
        case .int: return "integer"
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .quantity(let d): return Format.dimensionExample(d)
        case .object(let t): return t
        case .oneOf(let ts): return ts.map(\.describe).joined(separator: " or ")
        case .optional(let t): return t.describe + " or nil"
        }
    }

    /// Whether `v` is acceptable as is (integral numbers count as integers).
    public func accepts(_ v: Value) -> Bool {
        switch (self, v) {
        case (.any, _): return true
        case (.int, .int): return true
        case (.int, .number(let d)): return d.rounded() == d && abs(d) < 9e15
        case (.number, .int), (.number, .number): return true
        case (.bool, .bool), (.string, .string), (.list, .list), (.record, .record): return true
        case (.list, .range): return true
        case (.function, .function), (.function, .builtin): return true
        case (.quantity(let d), .quantity(let q)): return q.unit.dimension == d
        case (.object(let t), .object(let o)): return o.typeName == t
        case (.oneOf(let ts), _): return ts.contains { $0.accepts(v) }
        case (.optional, .nil): return true
        case (.optional(let t), _): return t.accepts(v)
        default: return false
        }
    }
}
