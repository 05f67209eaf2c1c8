/// Values as JSON text (`json(x)`, `save(x, "f.json")`).
///
/// Records keep their field order; ranges become arrays; quantities become strings such as
/// `"1.25ms"` (they read back in the language unchanged); NaN and infinities become null;
/// host objects use their plain value. Functions have no JSON form.
public enum JSON {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    public static func encode(_ v: Value, pretty: Bool = false) throws -> String {
        var out = ""
        try write(v, into: &out, pretty: pretty, indent: 0)
        return out
    }

    static func write(_ v: Value, into out: inout String, pretty: Bool, indent: Int) throws {
        let nl = pretty ? "\n" + String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? "\n" + String(repeating: "  ", count: indent) : ""
        let sep = pretty ? ": " : ":"
        switch v {
        case .nil: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += d.isFinite ? Format.number(d) : "null"
        case .quantity(let q): out += Format.quoted(q.description)
        case .string(let s): out += string(s)
        case .list(let xs): try array(xs, &out, pretty, indent, nl, close)
        case .range(let r): try array((try r.elements()), &out, pretty, indent, nl, close)
        case .record(let r):
            if r.count == 0 {
                out += "{}"
                return
            }
            out += "{"
            for (i, (k, x)) in r.pairs.enumerated() {
                out += (i > 0 ? "," : "") + nl + string(k) + sep
                try write(x, into: &out, pretty: pretty, indent: indent + 1)
            }
            out += close + "}"
        case .object(let o):
            guard let plain = o.plainValue() else { throw Failure(message: "\(o.typeName) has no JSON form") }
            try write(plain, into: &out, pretty: pretty, indent: indent)
        case .function, .builtin:
            throw Failure(message: "functions have no JSON form")
        }
    }

    static func array(
        _ xs: [Value], _ out: inout String, _ pretty: Bool, _ indent: Int, _ nl: String,
        _ close: String
    ) throws {
        if xs.isEmpty {
            out += "[]"
            return
        }
        // Arrays of scalars stay on one line even when pretty.
        let flat = xs.allSatisfy {
            if case .list = $0 { return false }
            if case .record = $0 { return false }
            return true
        }
        out += "["
        for (i, x) in xs.enumerated() {
            out += (i > 0 ? "," : "") + (flat ? (pretty && i > 0 ? " " : "") : nl)
            try write(x, into: &out, pretty: pretty, indent: indent + 1)
        }
        out += (flat ? "" : close) + "]"
    }

    /// A JSON string literal (control characters escaped).
    public static func string(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if ch.value < 0x20 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
