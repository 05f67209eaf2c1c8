import ArgumentParser
import Builtins
import Foundation
import Infra
import Interpreter
import NASLib

#if canImport(Glibc)
    import Glibc
#endif

/// `results.json` of an `--out` run: the plain values of everything the script displayed, in
/// order, and the contents of the JSON and CSV files it saved (what `brpsh check` compares).
enum ResultsFile {
    /// A displayed value as JSON-ready data (objects by their plain value).
    static func plain(_ v: Value) -> Any {
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
    static func csvRows(_ text: String, source: String) -> [[Any]] {
        func field(_ f: Substring) -> Any { Double(f).flatMap { $0.isFinite ? $0 as Any : nil } ?? String(f) }
        guard let table = try? CSVTable(text: text, source: source) else {
            return text.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(field)
            }
        }
        return [table.header.map { $0 as Any }] + table.rows.map { $0.map { field(Substring($0)) } }
    }

    static func json(
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

/// Collects everything printed, for transcript.txt, and every displayed value (a top-level result or
/// `display(...)`), for results.json.
final class TranscriptSink: OutputSink {
    let inner: OutputSink
    private(set) var text = ""
    private(set) var displays: [Any] = []
    init(_ inner: OutputSink) { self.inner = inner }
    var isInteractive: Bool { inner.isInteractive }
    func write(_ s: String) {
        if !s.hasPrefix("\r") { text += s }
        inner.write(s)
    }
    func display(_ value: Value, text t: String) {
        text += t + "\n"
        displays.append(ResultsFile.plain(value))
        inner.display(value, text: t)
    }
    func displayData(_ value: Value, text t: String) {
        text += t + "\n"
        displays.append(ResultsFile.plain(value))
        inner.displayData(value, text: t)
    }
    func log(_ s: String) { text += s }
    func showSaved(_ value: Value, path: String) { inner.showSaved(value, path: path) }
    /// Warnings pass through, not into the transcript (a note like "from cache" would make two runs' transcripts
    /// differ); the warnings proper are in provenance.json (`warnings`).
    func warn(_ text: String) { inner.warn(text) }
}

/// Checks on the files a run writes, before it starts.
enum OutputBundle {
    /// Why the run must not start (a notebook that would overwrite the script), or nil.
    static func problem(script: String, _ settings: App.Settings) -> String? {
        guard let notebook = settings.notebook, !["-c", "<stdin>"].contains(script) else { return nil }
        if canonical(notebook) == canonical(script) {
            return
                "--notebook \(notebook) would overwrite the script \(script); give the notebook another name (.ipynb)"
        }
        return nil
    }

    /// An absolute path with links resolved (as far as the file exists).
    static func canonical(_ path: String) -> String { Paths.canonical(path) }

    /// A new private directory (mode 0700, unpredictable name, never an existing path followed through a link).
    static func privateDirectory(_ prefix: String) throws -> String {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-XXXXXX")
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CommandFailure("cannot create a private scratch directory under \(NSTemporaryDirectory())")
        }
        return String(cString: made)
    }
}

/// An exclusive lock on a `--out` directory while a run writes it (flock on the directory itself, released when
/// the process ends), so two runs cannot interleave their files in one bundle.
final class BundleLock {
    private let lock: FileLock

    init(_ dir: String) throws {
        let held: FileLock?
        do { held = try FileLock(directory: dir) } catch {
            throw CommandFailure("cannot open the output directory '\(dir)'")
        }
        guard let held else {
            throw CommandFailure("another brpsh run is writing '\(dir)'; wait for it or give another --out")
        }
        lock = held
    }
}
