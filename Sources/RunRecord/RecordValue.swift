import Foundation
import Infra
import Lang

/// A number with its unit, as every run record writes one: `{"value": 1.25, "unit": "ms"}`. The unit is one of
/// brpsh's unit symbols (`s`, `ms`, `us`, `%`, `J`, ... as the language writes them); the value is in that unit.
public struct RecordQuantity: Codable, Hashable, Sendable {
    public var value: Double
    public var unit: String

    public init(_ value: Double, _ unit: String) {
        self.value = value
        self.unit = unit
    }

    /// The quantity a record's fields spell: exactly `value` (a number) and `unit` (one of brpsh's unit symbols).
    init?(fields: [String: RecordValue]) {
        guard fields.count == 2, let v = fields["value"]?.number, case .string(let u)? = fields["unit"],
            PhysicalUnit(rawValue: u) != nil
        else { return nil }
        self.init(v, u)
    }

    /// The quantity a string of the previous format spells ("85.2%", "-3.1ms"), or nil.
    public init?(text: String) {
        guard let q = PhysicalUnit.parseQuantity(text) else { return nil }
        self.init(q.value, q.unit.symbol)
    }

    /// "85.2%": the value's shortest form and the unit.
    public var text: String { RecordValue.shortest(value) + unit }
}

/// A value in a run record (results.json, provenance.json, a merge, a recording): JSON's kinds, with a quantity
/// typed as value and unit instead of a string to re-parse. Objects are written with sorted keys.
///
/// Reading: an object of exactly `value` (a number) and `unit` (a brpsh unit symbol) is a quantity; an integer
/// literal that fits `Int` is an integer, every other number the correctly rounded double of its text. Writing: a
/// number that is not finite is written as null (JSON has no NaN).
public enum RecordValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case quantity(RecordQuantity)
    case list([RecordValue])
    case object([String: RecordValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let l = try? c.decode([RecordValue].self) {
            self = .list(l)
        } else {
            let o = try c.decode([String: RecordValue].self)
            self = RecordQuantity(fields: o).map(RecordValue.quantity) ?? .object(o)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .number(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .quantity(let q): try c.encode(q)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        }
    }

    /// Numbers compare by value (an integer 3 equals the number 3.0: JSON does not tell them apart), NaN equal to
    /// NaN; everything else structurally.
    public static func == (a: RecordValue, b: RecordValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.quantity(let x), .quantity(let y)):
            return x.unit == y.unit && (x.value == y.value || x.value.isNaN && y.value.isNaN)
        case (.list(let x), .list(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default:
            guard let x = a.number, let y = b.number else { return false }
            return x == y || x.isNaN && y.isNaN
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .int, .number: h.combine(number.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern })
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .string(let s): h.combine(s)
        case .quantity(let q): h.combine(q.unit)
        case .list(let l): h.combine(l)
        case .object(let o): h.combine(o)
        }
    }

    /// The number of an integer or a number (not of a boolean or a quantity).
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var list: [RecordValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    public var object: [String: RecordValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public subscript(key: String) -> RecordValue? { object?[key] }

    /// What kind of JSON value it is, for messages ("a number", "a quantity").
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .number: return "a number"
        case .string: return "a string"
        case .quantity: return "a quantity"
        case .list: return "a list"
        case .object: return "an object"
        }
    }

    /// A CSV cell read from a saved file: a finite decimal is a number, a number with a brpsh unit a quantity, anything
    /// else its text.
    public static func cell(_ text: Substring) -> RecordValue {
        if let d = Double(text), d.isFinite { return .number(d) }
        if let q = RecordQuantity(text: String(text)) { return .quantity(q) }
        return .string(String(text))
    }

    /// The previous format's values read into this one: a string that spells a quantity ("85.2%") is that quantity.
    public var upgradingQuantityStrings: RecordValue {
        switch self {
        case .string(let s): return RecordQuantity(text: s).map(RecordValue.quantity) ?? self
        case .list(let l): return .list(l.map(\.upgradingQuantityStrings))
        case .object(let o): return .object(o.mapValues(\.upgradingQuantityStrings))
        default: return self
        }
    }

    /// A short text for messages: a string in quotes (cut at 60 characters), a quantity as "85.2%", JSON otherwise.
    public var shortText: String {
        switch self {
        case .string(let s): return s.count > 60 ? "\"\(s.prefix(57))...\"" : "\"\(s)\""
        case .quantity(let q): return q.text
        case .int(let i): return String(i)
        case .number(let d): return RecordValue.shortest(d)
        default:
            let text = (try? RunRecordJSON.text(self, pretty: false)) ?? "?"
            return text.count > 60 ? String(text.prefix(57)) + "..." : text
        }
    }

    /// A double's shortest text that reads back as itself ("85.2", "3" for 3.0).
    public static func shortest(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
    }

    /// The value as Foundation's JSON shapes (for the figure renderer, which takes plain data): a quantity as its
    /// object.
    public var foundation: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .number(let d): return d
        case .string(let s): return s
        case .quantity(let q): return ["value": q.value, "unit": q.unit] as [String: Any]
        case .list(let l): return l.map(\.foundation)
        case .object(let o): return o.mapValues(\.foundation)
        }
    }

    /// Foundation's JSON shapes as a value (numbers by their kind: a boolean, an integer, a double).
    public init(foundation v: Any) {
        switch v {
        case let b as Bool where type(of: v) == Bool.self: self = .bool(b)
        case let i as Int where type(of: v) == Int.self: self = .int(i)
        case let d as Double where type(of: v) == Double.self: self = .number(d)
        case let n as NSNumber:
            let code = String(cString: n.objCType)
            self =
                JSONNumber.isBoolean(n)
                ? .bool(n.boolValue) : code == "d" || code == "f" ? .number(n.doubleValue) : .int(n.intValue)
        case let s as String: self = .string(s)
        case let l as [Any]: self = .list(l.map(RecordValue.init(foundation:)))
        case let o as [String: Any]:
            let fields = o.mapValues(RecordValue.init(foundation:))
            self = RecordQuantity(fields: fields).map(RecordValue.quantity) ?? .object(fields)
        default: self = .null
        }
    }
}

/// How every run record is written and read: JSON with sorted keys, pretty-printed, slashes unescaped, a final
/// newline.
public enum RunRecordJSON {
    public static func data<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
        return try e.encode(value) + (pretty ? Data("\n".utf8) : Data())
    }

    public static func text<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        String(decoding: try data(value, pretty: pretty), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ data: Data, file: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: data) } catch let e as DecodingError {
            throw RunRecordError("\(file): \(describe(e))")
        }
    }

    public static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw RunRecordError("cannot read \(path)") }
        return data
    }

    /// The format every record file is written in (its `format` field; the previous format had none).
    public static let currentFormat = 2

    /// A record file's value: `current` decodes this format, `previous` the previous one (no `format` field); a file
    /// of a newer format is refused whole, never half-read.
    static func decode<T>(
        _ data: Data, file: String, current: (Data) throws -> T, previous: (Data) throws -> T
    ) throws -> T {
        switch try decode(FormatField.self, data, file: file).format {
        case nil: return try previous(data)
        case currentFormat?: return try current(data)
        case let f?:
            throw RunRecordError(
                "\(file) is in format \(f), which this brpsh (format \(currentFormat)) does not read; use a newer brpsh"
            )
        }
    }

    /// A decoding error as one sentence naming where in the file it is.
    static func describe(_ e: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty
                ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? "/\($0.stringValue)" }.joined()
        }
        switch e {
        case .dataCorrupted(let c): return "not valid JSON\(at(c.codingPath)) (damaged?)"
        case .keyNotFound(let k, let c): return "no field '\(k.stringValue)'\(at(c.codingPath))"
        case .typeMismatch(let t, let c): return "expected \(t)\(at(c.codingPath))"
        case .valueNotFound(let t, let c): return "a null where \(t) belongs\(at(c.codingPath))"
        @unknown default: return "\(e)"
        }
    }
}

public struct RunRecordError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

extension RecordValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(integerLiteral i: Int) { self = .int(i) }
    public init(floatLiteral d: Double) { self = .number(d) }
    public init(stringLiteral s: String) { self = .string(s) }
    public init(arrayLiteral xs: RecordValue...) { self = .list(xs) }
    public init(dictionaryLiteral pairs: (String, RecordValue)...) {
        self = .object(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
    }
}
