import Builtins
import Foundation
import Interpreter

/// `results.json` of an `--out` run: the plain values of everything the script displayed, in
/// order, and the contents of the JSON and CSV files it saved (what `brpsh check` compares).
enum ResultsFile {
    /// A displayed value as JSON-ready data (objects by their plain value).
    static func plain(_ v: Value) -> Any {
        guard let text = try? JSON.encode(v), let data = text.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return Format.repr(v)
        }
        return obj
    }

    static func json(displays: [Any], outputs: [String], outDir: String) -> String {
        var files: [String: Any] = [:]
        for path in outputs {
            let name = path.hasPrefix(outDir + "/") ? String(path.dropFirst(outDir.count + 1)) : path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            switch (path as NSString).pathExtension.lowercased() {
            case "json": files[name] = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) ?? NSNull()
            case "csv":
                files[name] = String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
                    line.split(separator: ",", omittingEmptySubsequences: false).map { f -> Any in
                        Double(f).map { $0 as Any } ?? String(f)
                    }
                }
            default:
                files[name] = ["sha256": SHA256Hex.file(path)]
            }
        }
        let obj: [String: Any] = ["brpsh": CLI.version, "displays": displays, "outputs": files]
        guard let data = try? JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Collects everything printed, for transcript.txt.
final class TranscriptSink: OutputSink {
    let inner: OutputSink
    private(set) var text = ""
    init(_ inner: OutputSink) { self.inner = inner }
    var isInteractive: Bool { inner.isInteractive }
    func write(_ s: String) {
        if !s.hasPrefix("\r") { text += s }
        inner.write(s)
    }
    func display(_ value: Value, text t: String) {
        text += t + "\n"
        inner.display(value, text: t)
    }
    func log(_ s: String) { text += s }
}
