import Lang

/// A value of the language. Lists and records have value semantics (like Swift's arrays):
/// `ys = xs; ys[0] = 9` leaves `xs` unchanged. NASLib objects enter through `.object`.
public enum Value {
    case `nil`
    case bool(Bool)
    case int(Int)
    case number(Double)
    case quantity(Quantity)
    case string(String)
    case list([Value])
    case record(Record)
    case range(RangeValue)
    case function(UserFunction)
    case builtin(BuiltinFunction)
    case object(any HostObject)

    /// The name `type(x)` returns.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "bool"
        case .int: return "int"
        case .number: return "number"
        case .quantity(let q): return "quantity(\(q.unit.dimension.rawValue))"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .range: return "range"
        case .function, .builtin: return "function"
        case .object(let o): return o.typeName
        }
    }

    /// How the value is named in error messages: `string "9x"`, `number 2.5`, `list of 3`.
    public var describeForError: String {
        switch self {
        case .nil: return "nil"
        case .bool(let b): return "bool \(b)"
        case .int(let i): return "integer \(i)"
        case .number(let d): return "number \(Format.number(d))"
        case .quantity(let q): return "\(q.unit.dimension.rawValue) \(q)"
        case .string(let s):
            let shown = s.count > 40 ? String(s.prefix(40)) + "..." : s
            return "string \(Format.quoted(shown))"
        case .list(let xs): return "list of \(xs.count)"
        case .record: return "record"
        case .range(let r): return "range of \(r.count)"
        case .function(let f): return "function '\(f.name)'"
        case .builtin(let b): return "builtin '\(b.name)'"
        case .object(let o): return o.typeName
        }
    }

    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// The value of a plain number (integer or not).
    public var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }
}

/// A record: named fields in the order they were written.
public struct Record {
    public private(set) var keys: [String]
    public private(set) var values: [Value]

    public init() {
        keys = []
        values = []
    }

    public init(_ pairs: [(String, Value)]) {
        keys = pairs.map(\.0)
        values = pairs.map(\.1)
    }

    public subscript(key: String) -> Value? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let v = newValue {
                    values[i] = v
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                }
            } else if let v = newValue {
                keys.append(key)
                values.append(v)
            }
        }
    }

    public var count: Int { keys.count }
    public var pairs: [(String, Value)] { Array(zip(keys, values)) }
}
