import Foundation
import Synchronization

/// Data parallelism with a fixed partition: work is always cut into `parts` pieces the same
/// way, and the pieces run at once when the machine has the cores (else one after another).
/// Every piece computes its own outputs in a fixed order, so results are bit-identical whatever
/// the number of cores.
///
/// Pieces are short (tens of microseconds), so they run on one persistent helper thread that
/// waits for work by spinning briefly before it sleeps; waking a sleeping thread for every
/// piece would cost as much as the piece.
public enum Parallel {
    public static let parts = 2

    /// The threads the front end allows (0: as many as the machine has cores); set once at startup, before the
    /// first parallel job (`BRPSH_THREADS` in the command-line tool). NASLib reads no environment itself.
    private static let threadLimit = Atomic<Int>(0)

    public static func configure(threads: Int) { threadLimit.store(max(0, threads), ordering: .sequentiallyConsistent) }

    /// Whether the pieces run concurrently (more than one thread allowed and more than one core).
    public static var concurrent: Bool {
        let limit = threadLimit.load(ordering: .sequentiallyConsistent)
        return (limit == 0 ? cores : min(limit, cores)) > 1
    }

    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Runs body(0..<parts).
    public static func forEachPart(_ body: (Int) -> Void) {
        if concurrent, HelperThread.shared.run(body) { return }
        for p in 0..<parts { body(p) }
    }

    /// The part's share of 0..<n, boundaries rounded to multiples of `align`.
    @inline(__always)
    public static func range(_ part: Int, of n: Int, align: Int = 1) -> Range<Int> {
        let per = ((n + parts - 1) / parts + align - 1) / align * align
        let lo = min(n, part * per)
        return lo..<min(n, lo + per)
    }
}

/// One helper thread that runs part 1 of a two-part job while the caller runs part 0.
// Sendable, unchecked: `body` is written before `posted` is bumped and read after it (atomics order the two threads).
final class HelperThread: @unchecked Sendable {
    /// Started on first use by a concurrent job (never when one thread is allowed).
    static let shared = HelperThread()

    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let busy = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// The current job's body; written before `posted` is bumped, read after.
    private var body: ((Int) -> Void)?

    private init() {
        let t = Thread { [unowned self] in self.loop() }
        t.name = "brpsh-helper"
        t.stackSize = 8 << 20
        t.start()
    }

    /// Runs a job (false when the helper is already busy: then the caller runs it alone).
    func run(_ job: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        return withoutActuallyEscaping(job) { escaping in
            body = escaping
            let ticket = posted.add(1, ordering: .sequentiallyConsistent).newValue
            if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
            escaping(0)
            var spins = 0
            while finished.load(ordering: .acquiring) != ticket {
                spins += 1
                if spins > 1 << 16 { sched_yield() }
            }
            body = nil
            return true
        }
    }

    private func loop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > 20_000 {
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if posted.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
            }
            seen = posted.load(ordering: .acquiring)
            body?(1)
            finished.store(seen, ordering: .releasing)
        }
    }
}
