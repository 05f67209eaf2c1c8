import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files that survive a crash: written to a temporary name beside the target, flushed to disk, renamed over the old
/// one, and the directory flushed, so a reader sees the old file or the new one, never part of one. The one way
/// brpsh writes a file durably (sweep stores and merges, latency tables, few-shot predictors).
public enum DurableFile {
    /// Writes text, ending it with a newline if it has none.
    public static func write(_ text: String, to path: String) throws {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        try write(bytes: bytes, to: path)
    }

    /// Writes the bytes as they are.
    public static func write(_ data: Data, to path: String) throws { try write(bytes: Array(data), to: path) }

    static func write(bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InfraError("cannot write \(tmp): \(String(cString: strerror(errno)))") }
        var ok = true
        bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    ok = false
                    return
                }
                offset += n
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw InfraError("cannot write \(path): \(reason)")
        }
        let dirFD = open(
            URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }
}
