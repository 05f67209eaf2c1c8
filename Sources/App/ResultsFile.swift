import ArgumentParser
import Builtins
import Foundation
import Infra
import Interpreter
import NASLib
import RunRecord

#if canImport(Glibc)
    import Glibc
#endif

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
        if Paths.canonical(notebook) == Paths.canonical(script) {
            return
                "--notebook \(notebook) would overwrite the script \(script); give the notebook another name (.ipynb)"
        }
        return nil
    }

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
