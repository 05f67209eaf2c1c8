import Interpreter

/// A JSONSerialization object (strings, numbers, arrays, dictionaries with keys sorted) as a value.
func jsonValue(_ x: Any?) -> Value {
    switch x {
    case let s as String: return .string(s)
    case let i as Int: return .int(i)
    case let d as Double: return .number(d)
    case let b as Bool: return .bool(b)
    case let xs as [Any]: return .list(xs.map(jsonValue))
    case let o as [String: Any]: return .record(Record(o.keys.sorted().map { ($0, jsonValue(o[$0])) }))
    default: return .nil
    }
}
