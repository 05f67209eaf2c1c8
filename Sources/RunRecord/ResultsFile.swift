import Builtins
import Foundation
import Infra
import Interpreter
import NASLib

/// `results.json` of an `--out` run: the plain values of everything the script displayed, in
/// order, and the contents of the JSON and CSV files it saved (what `brpsh check` compares).
public enum ResultsFile {
    /// A displayed value as JSON-ready data (objects by their plain value).
    public static func plain(_ v: Value) -> Any {
        guard let text = try? JSON.encode(v), let data = text.data(using: .utf8),
            let obj = try? ExactJSON.object(with: data)
        else {
            return Format.repr(v)
        }
        return obj
    }

    /// A saved CSV as rows of fields, the header first: quoted fields whole (RFC 4180, as `save` writes text with a
    /// comma or a quote), finite decimals as numbers. A file that is not a rectangular CSV is split at line ends and
    /// commas, as written.
    public static func csvRows(_ text: String, source: String) -> [[Any]] {
        func field(_ f: Substring) -> Any { Double(f).flatMap { $0.isFinite ? $0 as Any : nil } ?? String(f) }
        guard let table = try? CSVTable(text: text, source: source) else {
            return text.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(field)
            }
        }
        return [table.header.map { $0 as Any }] + table.rows.map { $0.map { field(Substring($0)) } }
    }

    public static func json(
        displays: [Any], outputs: [String], outDir: String,
        figure: (String) -> [String: Any]? = { _ in nil }
    ) -> String {
        var files: [String: Any] = [:]
        for path in outputs {
            let name = path.hasPrefix(outDir + "/") ? String(path.dropFirst(outDir.count + 1)) : path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            switch (path as NSString).pathExtension.lowercased() {
            case "json": files[name] = (try? ExactJSON.object(with: data)) ?? NSNull()
            case "csv":
                files[name] = csvRows(String(decoding: data, as: UTF8.self), source: name)
            case "svg":
                // The figure's data too, so a sweep's merge can redraw it with error bands.
                var entry: [String: Any] = ["sha256": SHA256Hex.file(path)]
                if let f = figure(path) { entry["figure"] = f }
                files[name] = entry
            default:
                files[name] = ["sha256": SHA256Hex.file(path)]
            }
        }
        let obj: [String: Any] = ["brpsh": Provenance.version, "displays": displays, "outputs": files]
        guard let data = try? JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
