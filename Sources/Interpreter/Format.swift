import Foundation
import Lang

/// How values print. `str` is what `print` and interpolation show (strings bare);
/// `repr` is what the REPL and scripts display (strings quoted, lists of records as tables).
public enum Format {
    /// Shortest text that reads back as the same double (`0.1`, `3.0`, `1e-05`).
    public static func number(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }

    /// A quantity's magnitude with up to 12 significant digits (hides conversion noise).
    public static func quantityMagnitude(_ d: Double) -> String {
        if !d.isFinite { return number(d) }
        let s = String(format: "%.12g", d)
        return s
    }

    /// A compact number for tables: up to 6 significant digits.
    public static func compact(_ d: Double) -> String {
        if !d.isFinite { return number(d) }
        if d == d.rounded() && abs(d) < 1e9 { return String(format: "%.0f", d) }
        return String(format: "%.6g", d)
    }

    public static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    public static func dimensionExample(_ d: PhysicalUnit.Dimension) -> String {
        switch d {
        case .time: return "time (like 5ms)"
        case .percentage: return "percentage (like 5%)"
        case .energy: return "energy (like 2mJ)"
        }
    }

    /// The text `print` writes: strings without quotes; everything else as displayed.
    public static func str(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        return repr(v)
    }

    /// The text a displayed value shows as; on a terminal, objects may draw (figures).
    public static func display(_ v: Value, terminal: Bool) -> String {
        if case .object(let o) = v { return o.display(terminal: terminal) }
        if case .record(let r) = v, let table = fieldTable(r) { return table }
        return repr(v)
    }

    /// A record of at least four plain values (a metrics record such as `p.test`) displays as a small table, one
    /// field per row, numbers to 6 significant digits; `repr`, `json` and results.json keep full precision.
    static func fieldTable(_ r: Record) -> String? {
        guard r.count >= 4, r.pairs.allSatisfy({ isPlain($0.1) }) else { return nil }
        let rows = r.pairs.map { Value.record(Record([("field", .string($0.0)), ("value", $0.1)])) }
        return Table(records: rows)?.render()
    }

    static func isPlain(_ v: Value) -> Bool {
        switch v {
        case .nil, .bool, .int, .number, .quantity, .string: return true
        default: return false
        }
    }

    /// The text a displayed value shows as.
    public static func repr(_ v: Value, nested: Bool = false) -> String {
        switch v {
        case .nil: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d): return number(d)
        case .quantity(let q): return q.description
        case .string(let s): return quoted(s)
        case .list(let xs):
            if !nested, let table = Table(records: xs) { return table.render() }
            return listText(xs)
        case .record(let r):
            let fields = r.pairs.map { "\(fieldName($0.0)): \(repr($0.1, nested: true))" }
            return "{" + fields.joined(separator: ", ") + "}"
        case .range(let r): return rangeText(r)
        case .function(let f): return "<fn \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case .builtin(let b): return "<builtin \(b.signature)>"
        case .object(let o): return nested ? o.inlineDisplay() : o.display()
        }
    }

    static func fieldName(_ k: String) -> String {
        let ok =
            k.first.map { $0.isLetter || $0 == "_" } == true && k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        return ok ? k : quoted(k)
    }

    /// Long lists show their first 20 and last 5 elements and their length.
    static func listText(_ xs: [Value]) -> String {
        if xs.count <= 60 { return "[" + xs.map { repr($0, nested: true) }.joined(separator: ", ") + "]" }
        let head = xs.prefix(20).map { repr($0, nested: true) }
        let tail = xs.suffix(5).map { repr($0, nested: true) }
        return "[" + (head + ["..."] + tail).joined(separator: ", ") + "] (\(xs.count) items)"
    }

    static func rangeText(_ r: RangeValue) -> String {
        guard r.count > 0 else { return "(empty range)" }
        let first = repr(r.element(0))
        let last = repr(r.element(r.count - 1))
        switch r.kind {
        case .integer(_, let step):
            return step == 1 ? "\(first)..\(last)" : "\(first)..\(last) step \(step)"
        case .real(_, let step, _):
            let s = r.unit.map { Quantity(step, $0).description } ?? number(step)
            return "\(first)..\(last) step \(s)"
        }
    }

    /// A value written as source text (for signatures in help): `900`, `"m-gpu"`, `5ms`, `nil`.
    public static func source(_ v: Value) -> String { repr(v, nested: true) }
}
