import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive, non-blocking `flock` on a file or a directory, held while the object lives and released when the
/// process ends however it ends. Used for bundles, sweep tasks and journals' directories, so two processes never
/// append to one journal or write one bundle.
public final class FileLock: @unchecked Sendable {  // Sendable, unchecked: the descriptor is only closed in deinit
    private let fd: Int32

    /// Locks `path` (a file, created if missing); nil when another process holds it or it cannot be opened.
    public init?(_ path: String) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
    }

    /// Locks the directory itself. Throws when it cannot be opened; nil when another process holds it.
    public init?(directory: String) throws {
        fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InfraError("cannot open the directory '\(directory)' (\(String(cString: strerror(errno))))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// The lock on a directory for this process: the one this process already holds for it (a journal reopened in
    /// the same session, a cell run again to resume) or a new one; nil when another process holds it. A flock
    /// belongs to an open file, so a second lock from this process would refuse this process; the registry is
    /// process-wide because the locks are.
    public static func forProcess(directory: String) throws -> FileLock? {
        let key = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        return try registryLock.withLock {
            if let held = registry[key]?.lock { return held }
            guard let lock = try FileLock(directory: directory) else { return nil }
            registry[key] = Held(lock: lock)
            return lock
        }
    }

    private struct Held { weak var lock: FileLock? }
    nonisolated(unsafe) private static var registry: [String: Held] = [:]  // guarded by registryLock
    private static let registryLock = NSLock()

    /// A journal's file must be a regular file when it exists: a FIFO would block the reader or swallow appends, a
    /// directory or device is not a journal.
    public static func requireRegularOrAbsent(_ path: String, what: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw InfraError(
                "\(path) is not a regular file, so it cannot be \(what); remove it or use another directory")
        }
    }
}
