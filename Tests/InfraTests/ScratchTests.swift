import Foundation
import Testing

@testable import Infra

@Suite struct ScratchTests {
    /// Two borrowers at once get different buffers, whole and writable, and the pool never holds more than its limit.
    /// (Which buffer is lent again is not asserted: other tests borrow from the same pool concurrently.)
    @Test func reusesBoundsAndNeverShares() {
        var first: UnsafeMutableRawPointer?
        Scratch.with(Double.self, count: 1 << 16) { p in
            first = UnsafeMutableRawPointer(p)
            p[0] = 1
            p[(1 << 16) - 1] = 2
            Scratch.with(Double.self, count: 1 << 16) { q in #expect(UnsafeMutableRawPointer(q) != first) }
        }
        #expect(Scratch.retainedBytes <= Scratch.retainedLimit)
        // More than the limit at once: what comes back beyond it is freed.
        Scratch.with(UInt8.self, count: Scratch.retainedLimit) { big in
            big[0] = 1
            Scratch.with(UInt8.self, count: 1 << 20) { $0[0] = 1 }
        }
        #expect(Scratch.retainedBytes <= Scratch.retainedLimit)
    }
}

@Suite struct MemoryPolicyTests {
    /// glibc takes the settings (the largest mmap threshold it allows on 64-bit, a 1 GiB trim threshold).
    @Test func glibcAcceptsTheSettings() {
        #if canImport(Glibc)
            #expect(MemoryPolicy.keepFreedMemory())
        #endif
    }
}
