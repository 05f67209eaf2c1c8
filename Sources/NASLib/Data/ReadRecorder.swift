import Foundation

/// Which files a computation used, each with the SHA-256 of the bytes it used: the result cache stores them with an
/// entry and hands the entry back only while every one of them is unchanged, so no file can be left out of a key by
/// hand. Recordings nest (a file noted inside an inner recording is in every open one).
///
/// Reads note themselves: `DataDirectory.read` notes every data file; the `Benchmark` notes, each time it serves a
/// table, index or map it keeps in memory, the files that table was made from; builtins that read a user's file
/// (`per_seed:`) note it with `note(file:bytes:)`. The builtins open one recording per NAS builtin call, so a cached
/// result lists what its whole call read, its argument checks included.
// Sendable, unchecked: the open recordings are read and written under `lock`.
public final class ReadRecorder: @unchecked Sendable {
    private var open: [[String: String]] = []
    private let lock = NSLock()

    public init() {}

    /// Runs `body`, returning its value and every file noted while it ran (path → SHA-256).
    public func recording<T>(_ body: () throws -> T) rethrows -> (value: T, files: [String: String]) {
        let depth = lock.withLock {
            open.append([:])
            return open.count - 1
        }
        defer { lock.withLock { _ = open.popLast() } }
        let value = try body()
        let files = lock.withLock { open[depth] }
        return (value, files)
    }

    /// What the innermost open recording holds so far (empty when none is open).
    public func current() -> [String: String] { lock.withLock { open.last ?? [:] } }

    /// Notes files used (path → SHA-256) in every open recording.
    public func note(_ files: [String: String]) {
        guard !files.isEmpty else { return }
        lock.withLock {
            for i in open.indices { open[i].merge(files) { _, new in new } }
        }
    }

    public func note(path: String, sha256: String) { note([path: sha256]) }

    /// Notes a user's file by the bytes that were read from it.
    public func note(file path: String, bytes: [UInt8]) { note(path: path, sha256: SHA256.hex(bytes)) }

    /// Whether every file still has the recorded hash (nil), or the first that does not: its path.
    public static func firstChanged(_ files: [String: String], hash: (String) -> String?) -> String? {
        files.keys.sorted().first { hash($0) != files[$0] }
    }
}
