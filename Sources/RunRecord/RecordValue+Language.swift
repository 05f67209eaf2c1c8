import Interpreter

/// The language's value (inside `RecordValue`, `Value` names its dictionary literal's value type).
public typealias LanguageValue = Value

extension RecordValue {
    /// A value of the language as a run record holds it: a quantity as value and unit, a record as an object, a range
    /// as its elements, a host object as its plain value; what has no plain form (a function, an object without one) as
    /// its printed text; a number that is not finite as null.
    public init(value v: LanguageValue) {
        switch v {
        case .nil: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .number(let d): self = d.isFinite ? .number(d) : .null
        case .quantity(let q): self = q.value.isFinite ? .quantity(RecordQuantity(q.value, q.unit.symbol)) : .null
        case .string(let s): self = .string(s)
        case .list(let xs): self = .list(xs.map(RecordValue.init(value:)))
        case .range(let r):
            if let xs = try? r.elements() {
                self = .list(xs.map(RecordValue.init(value:)))
            } else {
                self = .string(Format.repr(v))
            }
        case .record(let r):
            var o: [String: RecordValue] = [:]
            for (k, x) in r.pairs { o[k] = RecordValue(value: x) }
            self = .object(o)
        case .object(let obj):
            if let plain = obj.plainValue() { self = RecordValue(value: plain) } else { self = .string(Format.repr(v)) }
        case .function, .builtin: self = .string(Format.repr(v))
        }
    }
}
