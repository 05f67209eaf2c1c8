import Figures
import Foundation
import Infra
import Interpreter
import Lang

/// Writing result files: `save(x, "file.csv" | "file.json" | "file.svg" | "file.txt")`.
enum Output {
    @discardableResult
    static func write(_ text: String, to requested: String, _ c: BuiltinCall) throws -> String {
        let path = try RunContext.of(c.interpreter).resolve(requested)
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try DurableFile.write(Data(text.utf8), to: url.path)
        } catch let e as InfraError {
            throw c.fail("file", e.message)
        } catch {
            throw c.fail("file", "cannot write '\(path)': \(error.localizedDescription)")
        }
        OutputLog.of(c.interpreter).record(path)
        return path
    }

    /// CSV of a list of records: a column per field (first appearance order); quantities as
    /// numbers in their column's unit, named in the header (`threshold (ms)`); objects by their
    /// plain value (archs as NB201 indices); nil as an empty field.
    static func csv(_ rows: [Value]) throws -> String {
        guard let table = Table(records: rows) else { throw JSON.Failure(message: "CSV needs a list of records") }
        var units: [PhysicalUnit?] = table.columns.map { _ in nil }
        for row in table.rows {
            for (i, v) in row.enumerated() where units[i] == nil {
                if case .quantity(let q)? = v { units[i] = q.unit }
            }
        }
        let header = zip(table.columns, units).map { name, u in field(u.map { "\(name) (\($0.symbol))" } ?? name) }
        var lines = [header.joined(separator: ",")]
        for row in table.rows {
            lines.append(try zip(row, units).map { v, u in try cell(v, u) }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func cell(_ v: Value?, _ unit: PhysicalUnit?) throws -> String {
        switch v {
        case nil, .nil?: return ""
        case .quantity(let q)?:
            guard let u = unit, u.dimension == q.unit.dimension else { return field(q.description) }
            return Format.number(q.unit.convert(q.value, to: u))
        case .string(let s)?: return field(s)
        case .number(let d)?: return d.isFinite ? Format.number(d) : ""
        case .object(let o)?: return try cell(o.plainValue(), unit)
        case let x?: return field(try JSON.encode(x))
        }
    }

    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Rows for CSV: a list of records, an object's plain list, or a record as one row.
    static func rows(_ v: Value) -> [Value]? {
        switch v {
        case .list(let xs): return xs
        case .record: return [v]
        case .object(let o): return o.csvRows() ?? o.plainValue().flatMap(rows)
        default: return nil
        }
    }

    static let save = BuiltinFunction(
        "save",
        [
            BuiltinParameter("x", .any, "a table, list of records, record, figure or any plain value"),
            BuiltinParameter("file", .string, "ends in .csv, .json, .svg or .txt"),
        ],
        doc: "Writes a value to a file by its extension: CSV (records), JSON, SVG (figures) or text.",
        category: "Basics"
    ) { c in
        let path = try c.string("file")
        let ext = (path as NSString).pathExtension.lowercased()
        let x = c["x"]
        let text: String
        var figureSaved: Figure?
        switch ext {
        case "svg":
            guard case .object(let o) = x, let p = o as? Plottable else {
                throw c.fail("x", "only figures can be saved as SVG (got \(x.describeForError))")
            }
            let figure = try p.figure()
            text = SVGRenderer().render(figure)
            figureSaved = figure
        case "json":
            do { text = try JSON.encode(x, pretty: true) + "\n" } catch let e as JSON.Failure {
                throw c.fail("x", e.message)
            }
        case "csv":
            guard let rows = rows(x) else { throw c.fail("x", "CSV needs records, got \(x.describeForError)") }
            do { text = try csv(rows) } catch let e as JSON.Failure { throw c.fail("x", e.message) }
        case "txt":
            text = Format.str(x) + "\n"
        default:
            throw c.fail("file", "unknown file type '.\(ext)' (use .csv, .json, .svg or .txt)")
        }
        let written = try write(text, to: path, c)
        if let f = figureSaved { OutputLog.of(c.interpreter).figures[written] = FigureBox(f) }
        if ext == "svg" { c.output.showSaved(x, path: path) }
        return .nil
    }
}

/// The files a session wrote (for provenance records).
public final class OutputLog {
    public private(set) var paths: [String] = []
    public static func paths(_ i: Interpreter) -> [String] { of(i).paths }
    static func of(_ i: Interpreter) -> OutputLog { BuiltinsState.of(i).outputs }
    /// The figures saved as SVG, by path (their data goes into results.json, so a sweep's merge can redraw them).
    var figures: [String: FigureBox] = [:]
    func record(_ p: String) { if !paths.contains(p) { paths.append(p) } }
    /// The data of the figure saved at `path`, as JSON-ready values.
    public static func figureData(_ i: Interpreter, path: String) -> [String: Any]? {
        of(i).figures[path]?.figure.plainData
    }
}
