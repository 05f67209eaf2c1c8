/// A list of records shown as an aligned table: one column per field (in order of first
/// appearance), numbers right-aligned, at most 40 rows shown (the first 30 and the last 5).
public struct Table {
    public let columns: [String]
    public let rows: [[Value?]]

    /// nil unless `values` is a non-empty list whose elements are all records.
    public init?(records values: [Value]) {
        guard !values.isEmpty else { return nil }
        var records: [Record] = []
        for v in values {
            guard case .record(let r) = v else { return nil }
            records.append(r)
        }
        var columns: [String] = []
        for r in records {
            for k in r.keys where !columns.contains(k) { columns.append(k) }
        }
        self.columns = columns
        self.rows = records.map { r in columns.map { r[$0] } }
    }

    public init(columns: [String], rows: [[Value?]]) {
        self.columns = columns
        self.rows = rows
    }

    public static func cell(_ v: Value?) -> String {
        switch v {
        case nil, .nil?: return "-"
        case .number(let d)?: return Format.compact(d)
        case .quantity(let q)?: return Format.compact(q.value) + q.unit.symbol
        case .string(let s)?: return s
        case let x?: return Format.repr(x, nested: true)
        }
    }

    static func isNumeric(_ v: Value?) -> Bool {
        switch v {
        case .int?, .number?, .quantity?: return true
        default: return false
        }
    }

    public func render() -> String {
        var shownRows: [[Value?]?] = rows.map { $0 }
        if rows.count > 40 {
            shownRows = rows.prefix(30).map { $0 } + [nil] + rows.suffix(5).map { $0 }
        }
        let texts: [[String]?] = shownRows.map { $0.map { $0.map(Table.cell) } }
        var widths = columns.map(\.count)
        for row in texts.compactMap({ $0 }) {
            for (i, t) in row.enumerated() { widths[i] = max(widths[i], t.count) }
        }
        func pad(_ s: String, _ w: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return right ? fill + s : s + fill
        }
        let numericColumn = columns.indices.map { c in rows.contains { Table.isNumeric($0[c]) } }
        var lines = [
            zip(columns, widths).enumerated().map { i, cw in pad(cw.0, cw.1, right: numericColumn[i]) }
                .joined(separator: "  ")
        ]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for (r, row) in texts.enumerated() {
            guard let row = row else {
                lines.append("... (\(rows.count - 35) more rows)")
                continue
            }
            let raw = shownRows[r]!
            lines.append(
                row.enumerated().map { i, t in pad(t, widths[i], right: Table.isNumeric(raw[i])) }
                    .joined(separator: "  "))
        }
        return lines.map { $0.replacingTrailingSpaces() }.joined(separator: "\n")
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
