import Foundation

/// A CSV file read whole: a header and rows of fields (RFC 4180 quoting, `""` escapes).
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [[String]]
    public let source: String

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw NASLibError("cannot read '\(path)'") }
        try self.init(text: String(decoding: data, as: UTF8.self), source: path)
    }

    public init(text: String, source: String) throws {
        self.source = source
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 byte-order mark
        var records = try CSVTable.parse(bytes, source: source)
        while let last = records.last, last == [""] { records.removeLast() }
        guard let header = records.first else { throw NASLibError("\(source): empty CSV file") }
        self.header = header
        self.rows = Array(records.dropFirst())
        for (i, row) in rows.enumerated() where row.count != header.count {
            throw NASLibError(
                "\(source):\(i + 2): \(row.count) fields, the header has \(header.count) (truncated or corrupt file?)")
        }
    }

    /// The index of a column, or an error naming the columns the file has.
    public func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw NASLibError(
                "\(source): no column '\(name)' (columns: \(Printable.escaped(header.joined(separator: ", "), limit: 400)))"
            )
        }
        return i
    }

    /// A numeric field; `row` is 0-based over data rows (the file line is row + 2). Only plain finite decimals
    /// are numbers (`-12.5`, `3e-4`): `inf`, `nan`, hex floats and values that overflow to infinity are errors
    /// naming the file, line and column. `allowed`, when given, is the range the value must lie in.
    public func number(_ row: Int, _ column: Int, allowed: ClosedRange<Double>? = nil, what: String = "value") throws
        -> Double
    {
        let text = rows[row][column]
        guard CSVTable.isDecimal(text), let v = Double(text), v.isFinite else {
            throw NASLibError(
                "\(source):\(row + 2): column '\(Printable.escaped(header[column]))' is not a finite decimal number: '\(Printable.escaped(text))'"
            )
        }
        if let r = allowed, !r.contains(v) {
            throw NASLibError(
                "\(source):\(row + 2): column '\(Printable.escaped(header[column]))': \(text) is not a valid \(what) (\(r.lowerBound)...\(r.upperBound))"
            )
        }
        return v
    }

    /// `[+-]? digits [. digits] [(e|E) [+-] digits]` (or `.5`), nothing else.
    static func isDecimal(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        func digits() -> Int {
            let n = u.prefix { $0 >= 48 && $0 <= 57 }.count
            u = u.dropFirst(n)
            return n
        }
        if let f = u.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { u = u.dropFirst() }
        var n = digits()
        if u.first == UInt8(ascii: ".") {
            u = u.dropFirst()
            n += digits()
        }
        guard n > 0 else { return false }
        if let e = u.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            u = u.dropFirst()
            if let f = u.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { u = u.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return u.isEmpty
    }

    static func parse(_ b: [UInt8], source: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var i = 0
        var quoted = false
        var line = 1
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\"") {
                        field.append(c)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if c == 10 { line += 1 }
                    field.append(c)
                }
            } else if c == UInt8(ascii: "\"") && field.isEmpty {
                quoted = true
            } else if c == UInt8(ascii: ",") {
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if c == 10 || c == 13 {
                if c == 13 && i + 1 < b.count && b[i + 1] == 10 { i += 1 }
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                records.append(record)
                record.removeAll()
                line += 1
            } else {
                field.append(c)
            }
            i += 1
        }
        if quoted { throw NASLibError("\(source):\(line): unterminated quoted field (truncated file?)") }
        if !field.isEmpty || !record.isEmpty {
            record.append(String(decoding: field, as: UTF8.self))
            records.append(record)
        }
        return records
    }
}
