import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An append-only JSON-lines file, the form of brpsh's journals (searches, measurements): a header object on the
/// first line, then one record per line, each appended and synced to disk before `append` returns.
///
/// Opening an existing file reads it whole without changing it: a header whose `format` is not `format` refuses the
/// file, the header goes to `accept` (which throws to refuse it too: other settings) and each complete record line to
/// `read`, numbered as in the file. Only
/// when both accept it is a last line without its newline — cut short by a crash — dropped from the file; a file that
/// is refused is never written to. A missing or empty file is created with `header` (its keys sorted) and `format`.
public final class JSONLinesFile {
    public let path: String
    /// What the file is, for messages ("search journal").
    public let what: String
    /// Whether this open created the file.
    public let created: Bool
    private let handle: FileHandle

    public init(
        path: String, what: String, format: String, header: [String: Any], accept: ([String: Any]) throws -> Void,
        read: (_ line: Int, _ record: Data) throws -> Void
    ) throws {
        self.path = path
        self.what = what
        try FileLock.requireRegularOrAbsent(path, what: "a \(what)")
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            // A file always ends in a newline; anything after the last one is a line cut short by a crash.
            let complete = data.last == UInt8(ascii: "\n")
            lines.removeLast()
            guard let first = lines.first, let h = try? ExactJSON.object(with: Data(first)) as? [String: Any],
                h["format"] as? String == format
            else {
                throw InfraError("\(path): not a brpsh \(what)")
            }
            try accept(h)
            for (i, line) in lines.enumerated().dropFirst() {
                do { try read(i + 1, Data(line)) } catch { throw InfraError("\(path):\(i + 1): \(error)") }
            }
            if !complete {
                let keep = lines.reduce(0) { $0 + $1.count + 1 }
                guard truncate(path, off_t(keep)) == 0 else {
                    throw InfraError("\(path): cannot drop the incomplete last line")
                }
            }
            created = false
        } else {
            var first = header
            first["format"] = format
            let line = try JSONSerialization.data(withJSONObject: first, options: [.sortedKeys]) + Data("\n".utf8)
            guard FileManager.default.createFile(atPath: path, contents: line) else {
                throw InfraError("\(path): cannot write the \(what)")
            }
            created = true
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw InfraError("\(path): cannot open for appending")
        }
        h.seekToEndOfFile()
        handle = h
    }

    deinit { try? handle.close() }

    /// Appends one record (a JSON object's text, without its newline) and syncs it to disk.
    public func append(_ record: String) throws {
        do {
            try handle.write(contentsOf: Data((record + "\n").utf8))
            try handle.synchronize()
        } catch {
            throw InfraError("\(path): cannot append to the \(what) (\(error.localizedDescription))")
        }
    }
}
