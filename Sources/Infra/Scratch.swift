import Synchronization

/// Scratch memory that passes borrow and give back, so a large temporary is not mapped, faulted in and unmapped
/// again on every call (each fresh page costs a kernel fault; the evaluation of a whole search space touches tens of
/// megabytes). The pool keeps what it is given back up to `retainedLimit` bytes in all, dropping the smallest
/// buffers first; a borrower that finds nothing large enough gets a fresh buffer. Contents are undefined when
/// borrowed. Safe from any thread: concurrent borrowers never share a buffer.
public enum Scratch {
    /// The most bytes the pool holds between borrowings.
    public static let retainedLimit = 512 << 20

    private struct Buffer: @unchecked Sendable {
        // Sendable, unchecked: a buffer in the pool belongs to no one; one borrower owns it at a time.
        let pointer: UnsafeMutableRawPointer
        let bytes: Int
    }

    private static let pool = Mutex<[Buffer]>([])

    /// Runs `body` with `count` uninitialised elements of `T` (64-byte aligned), returned to the pool afterwards.
    public static func with<T, R>(_: T.Type, count: Int, _ body: (UnsafeMutablePointer<T>) throws -> R) rethrows -> R {
        let bytes = max(64, count * MemoryLayout<T>.stride)
        let buffer =
            pool.withLock { free -> Buffer? in
                guard
                    let i = free.indices.filter({ free[$0].bytes >= bytes }).min(by: { free[$0].bytes < free[$1].bytes }
                    )
                else { return nil }
                return free.remove(at: i)
            } ?? Buffer(pointer: .allocate(byteCount: bytes, alignment: 64), bytes: bytes)
        defer { giveBack(buffer) }
        return try body(buffer.pointer.bindMemory(to: T.self, capacity: count))
    }

    private static func giveBack(_ buffer: Buffer) {
        let dropped = pool.withLock { free -> [Buffer] in
            free.append(buffer)
            free.sort { $0.bytes > $1.bytes }
            var kept = 0
            var dropped: [Buffer] = []
            free = free.filter { b in
                if kept + b.bytes <= retainedLimit {
                    kept += b.bytes
                    return true
                }
                dropped.append(b)
                return false
            }
            return dropped
        }
        for b in dropped { b.pointer.deallocate() }
    }

    /// Bytes the pool holds now (tests).
    public static var retainedBytes: Int { pool.withLock { $0.reduce(0) { $0 + $1.bytes } } }
}
