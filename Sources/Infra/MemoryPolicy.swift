import CMemory

/// How the process's allocator treats freed memory. The only file that imports CMemory.
public enum MemoryPolicy {
    /// Blocks up to this size come from the heap (glibc's largest allowed mmap threshold on 64-bit).
    public static let heapBlockLimit = 32 << 20
    /// Free memory at the heap's top is kept up to this much.
    public static let retainedTop = 1 << 30

    /// Keeps freed memory for reuse instead of handing it back to the system and faulting it in again.
    ///
    /// With glibc's defaults a training's per-step buffers and per-epoch weight snapshots (a few MB each) are mapped
    /// and unmapped, or the heap's top is trimmed and regrown, again and again: every fresh page is a kernel fault.
    /// After a float64 training raised glibc's adaptive threshold, a BRP-NAS search took 2.4 million faults and 27 s
    /// instead of 0.1 million and 23 s. Called once at startup by the executables (brpsh, brpsh-bench), before any
    /// work; the process's peak memory is then kept until it exits. Returns whether the allocator took the settings.
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        brpsh_keep_freed_memory(heapBlockLimit, retainedTop) == 1
    }
}
