import Foundation
import Infra

/// A latency table as a file: LatBench's own pickle (`dict{ (6 op codes, eagle order) : seconds }`, what the
/// shipped files hold and eagle reads) or a CSV (`arch,vector,latency_s`). Both read back to the same table.
public enum LatencyTableFile {
    /// A pickle of protocol 2 (Python 2.3 and later load it): an empty dict filled by SETITEMS batches of up to
    /// 1000 entries, keys as tuples of 1-byte ints, values as 8-byte big-endian floats, in arch-code order.
    public static func pickle(_ table: MetricTable) -> [UInt8] {
        var out: [UInt8] = [0x80, 2, UInt8(ascii: "}")]  // PROTO 2, EMPTY_DICT
        let archs = table.measured.sorted()
        var i = 0
        while i < archs.count {
            out.append(UInt8(ascii: "("))  // MARK
            for a in archs[i..<min(i + 1000, archs.count)] {
                out.append(UInt8(ascii: "("))  // MARK
                for v in a.vector { out += [UInt8(ascii: "K"), UInt8(v)] }  // BININT1
                out.append(UInt8(ascii: "t"))  // TUPLE
                out.append(UInt8(ascii: "G"))  // BINFLOAT
                withUnsafeBytes(of: table[a]!.bitPattern.bigEndian) { out += $0 }
            }
            out.append(UInt8(ascii: "u"))  // SETITEMS
            i += 1000
        }
        out.append(UInt8(ascii: "."))  // STOP
        return out
    }

    public static func csv(_ table: MetricTable) -> String {
        var s = "arch,vector,latency_s\n"
        for a in table.measured.sorted() {
            s += "\(a.description),\(a.vector.map(String.init).joined(separator: " ")),\(table[a]!)\n"
        }
        return s
    }

    /// Writes by extension: `.pickle`/`.pkl` or `.csv`.
    public static func write(_ table: MetricTable, to path: String) throws {
        let data: Data
        switch (path as NSString).pathExtension.lowercased() {
        case "pickle", "pkl": data = Data(pickle(table))
        case "csv": data = Data(csv(table).utf8)
        default: throw NASLibError("\(path): save a latency table as .pickle (LatBench's format) or .csv")
        }
        try DurableFile.write(data, to: path)
    }

    /// Reads a table written by `write` (or any LatBench pickle) by extension.
    public static func read(_ path: String, name: String) throws -> MetricTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NASLibError("\(path): cannot read the file")
        }
        guard data.count <= 64 << 20 else {
            throw NASLibError("\(path): \(data.count) bytes is too large for a latency table")
        }
        switch (path as NSString).pathExtension.lowercased() {
        case "pickle", "pkl": return try LatBenchReader.parse([UInt8](data), path: path, name: name)
        case "csv": return try parseCSV(String(decoding: data, as: UTF8.self), path: path, name: name)
        default: throw NASLibError("\(path): a latency table is a .pickle (LatBench's format) or a .csv")
        }
    }

    static func parseCSV(_ text: String, path: String, name: String) throws -> MetricTable {
        let csv = try CSVTable(text: text, source: path)
        let arch = try csv.column("arch")
        let latency = try csv.column("latency_s")
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for (i, row) in csv.rows.enumerated() {
            let a: NB201Arch
            do { a = try NB201Arch(string: row[arch]) } catch let e as NASLibError {
                throw NASLibError("\(path):\(i + 2): \(e.message)")
            }
            let v = try csv.number(i, latency)
            guard v.isFinite, v > 0 else {
                throw NASLibError("\(path):\(i + 2): latency \(row[latency]) is not a positive number of seconds")
            }
            guard values[a.code].isNaN else { throw NASLibError("\(path):\(i + 2): \(a) appears twice") }
            values[a.code] = v
        }
        guard !csv.rows.isEmpty else { throw NASLibError("\(path): no measurements") }
        return MetricTable(name: name, values: values)
    }

    /// The SHA-256 of a table's values (arch code and bit pattern of every measured entry): its identity.
    public static func fingerprint(_ table: MetricTable) -> String {
        var s = SHA256()
        for a in table.measured.sorted() { s.update("\(a.code):\(table[a]!.bitPattern)\n") }
        return s.hexDigest()
    }
}
