import Crypto
import Foundation

/// SHA-256 for provenance records, cache keys and data verification: swift-crypto's
/// implementation behind the small interface the rest of brpsh uses (hex digests, files read in chunks).
public struct SHA256 {
    private var hasher = Crypto.SHA256()

    public init() {}

    public mutating func update(_ bytes: some Collection<UInt8>) {
        if let done = bytes.withContiguousStorageIfAvailable({
            hasher.update(bufferPointer: UnsafeRawBufferPointer($0))
        }) {
            return done
        }
        hasher.update(data: Array(bytes))
    }

    public mutating func update(_ string: String) { update(Array(string.utf8)) }

    /// The 32-byte digest.
    public func finalize() -> [UInt8] { Array(hasher.finalize()) }

    /// The digest as 64 lowercase hex digits.
    public func hexDigest() -> String { SHA256.hexString(finalize()) }

    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var s = SHA256()
        s.update(bytes)
        return s.hexDigest()
    }

    public static func hex(_ string: String) -> String { hex(Array(string.utf8)) }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hash of a file, read in chunks.
    public static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NASLibError("cannot read '\(path)' to hash it")
        }
        defer { try? handle.close() }
        var s = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            s.update([UInt8](chunk))
        }
        return s.hexDigest()
    }
}
