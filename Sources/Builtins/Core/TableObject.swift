import Interpreter

/// `table(x)`: a value shown as an aligned table (its plain value is the list of records).
final class TableObject: HostObject, MemberTable {
    let records: [Value]
    init(_ records: [Value]) { self.records = records }

    var typeName: String { "table" }

    static let members: [Member<TableObject>] = [
        Member("rows", "the rows, as records") { o in .list(o.records) },
        Member("columns", "the column names") { o in .list((Table(records: o.records)?.columns ?? []).map(Value.string))
        },
    ]

    func display() -> String { Table(records: records)?.render() ?? "(empty table)" }
    func plainValue() -> Value? { .list(records) }
    func sequence() -> [Value]? { records }

    /// Rows for any value: a list of records as is; a record as field/value rows; a list of
    /// plain values as index/value rows; an object through its plain value.
    static func rows(of v: Value) -> [Value]? {
        switch v {
        case .list(let xs):
            if xs.allSatisfy({ if case .record = $0 { return true } else { return false } }) { return xs }
            return xs.enumerated().map { .record(Record([("index", .int($0.offset)), ("value", $0.element)])) }
        case .record(let r):
            return r.pairs.map { .record(Record([("field", .string($0.0)), ("value", $0.1)])) }
        case .object(let o):
            if let t = o as? TableObject { return t.records }
            return o.plainValue().flatMap(rows(of:))
        case .range(let r):
            return (try? r.elements()).flatMap { rows(of: .list($0)) }
        default:
            return nil
        }
    }
}
