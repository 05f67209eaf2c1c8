import Foundation
import Infra
import Interpreter

#if canImport(Glibc)
    import Glibc
#endif

/// An `--out` bundle: the directory a run writes (its saved files, then provenance.json, transcript.txt and
/// results.json at its end), locked while the run writes it.
public enum RunBundle {
    /// Writes the run's three record files into `dir`; the problems, each naming its file (none when all were
    /// written).
    public static func write(
        _ dir: String, provenance: ProvenanceRecord, results: ResultsRecord, transcript: String
    ) -> [String] {
        let writes: [(String, (String) throws -> Void)] = [
            ("provenance.json", { try provenance.write(to: $0) }),
            (
                "transcript.txt",
                { try DurableFile.write(transcript + (transcript.hasSuffix("\n") ? "" : "\n"), to: $0) }
            ),
            ("results.json", { try results.write(to: $0) }),
        ]
        var problems: [String] = []
        for (name, write) in writes {
            let path = (dir as NSString).appendingPathComponent(name)
            do { try write(path) } catch { problems.append("cannot write \(path): \(error)") }
        }
        return problems
    }

    /// A new private directory (mode 0700, unpredictable name, never an existing path followed through a link).
    public static func privateDirectory(_ prefix: String) throws -> String {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-XXXXXX")
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RunRecordError("cannot create a private scratch directory under \(NSTemporaryDirectory())")
        }
        return String(cString: made)
    }

    /// An exclusive lock on a bundle directory while a run writes it (flock on the directory itself, released when
    /// the process ends), so two runs cannot interleave their files in one bundle.
    public final class Lock {
        private let lock: FileLock

        public init(_ dir: String) throws {
            let held: FileLock?
            do { held = try FileLock(directory: dir) } catch {
                throw RunRecordError("cannot open the output directory '\(dir)'")
            }
            guard let held else {
                throw RunRecordError("another brpsh run is writing '\(dir)'; wait for it or give another --out")
            }
            lock = held
        }
    }

    /// Collects everything printed, for transcript.txt, and every displayed value (a top-level result or
    /// `display(...)`), for results.json, passing all of it on to the real output.
    public final class Transcript: OutputSink {
        let inner: OutputSink
        public private(set) var text = ""
        public private(set) var displays: [RecordValue] = []
        public init(_ inner: OutputSink) { self.inner = inner }
        public var isInteractive: Bool { inner.isInteractive }
        public func write(_ s: String) {
            if !s.hasPrefix("\r") { text += s }
            inner.write(s)
        }
        public func display(_ value: Value, text t: String) {
            text += t + "\n"
            displays.append(RecordValue(value: value))
            inner.display(value, text: t)
        }
        public func displayData(_ value: Value, text t: String) {
            text += t + "\n"
            displays.append(RecordValue(value: value))
            inner.displayData(value, text: t)
        }
        public func log(_ s: String) { text += s }
        public func showSaved(_ value: Value, path: String) { inner.showSaved(value, path: path) }
        /// Warnings pass through, not into the transcript (a note like "from cache" would make two runs' transcripts
        /// differ); the warnings proper are in provenance.json (`warnings`).
        public func warn(_ text: String) { inner.warn(text) }
    }
}
