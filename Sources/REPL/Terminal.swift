import Foundation
import Interpreter

/// Process-level terminal plumbing: is a stream a terminal, Ctrl-C, a large stack.
public enum Terminal {
    public static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// SIGINT sets the interrupt flag (without SA_RESTART, so a blocked read returns).
    /// The signal mask is reset first: a process inherits its parent's, and a parent that
    /// blocked signals (a thread pool's worker starting a terminal multiplexer, say) would
    /// otherwise leave brpsh deaf to SIGTERM and SIGHUP — unkillable when its terminal closes.
    public static func installInterruptHandler() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupt.request() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// For a script run: SIGTERM and SIGHUP stop it like Ctrl-C (at the next statement, loop iteration or epoch), so
    /// its `--out` bundle is written with what it has and marked incomplete. The handler is reset on delivery: a
    /// second signal ends the process at once.
    public static func installTerminationHandler() {
        for sig in [SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { s in Interrupt.requestTermination(s) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND))
            sigaction(sig, &action, nil)
        }
    }

    /// Runs `body` on a thread with a 512 MiB stack (deep recursion in user code stays an
    /// error message, not a crash) and waits for it.
    /// With `routeInterrupts`, SIGINT is blocked in the calling thread so that Ctrl-C reaches
    /// the worker (and interrupts its blocking read).
    public static func withLargeStack<T>(routeInterrupts: Bool = false, _ body: @escaping () -> T) -> T {
        let box = ResultBox<T>(body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            if routeInterrupts { Terminal.setInterruptMask(SIG_UNBLOCK) }
            box.value = box.body()
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        if routeInterrupts { setInterruptMask(SIG_BLOCK) }
        done.wait()
        return box.value!
    }

    /// Blocks or unblocks SIGINT in the calling thread. The worker unblocks it (threads may
    /// start with signals blocked), the waiting main thread blocks it.
    static func setInterruptMask(_ how: Int32) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(how, &set, nil)
    }

    public static func writeError(_ s: String) {
        FileHandle.standardError.write(s.data(using: .utf8)!)
    }
}

/// Writes to standard error.
public final class StandardError: OutputSink {
    public init() {}
    public func write(_ s: String) { Terminal.writeError(s) }
}

/// Carries the work into the large-stack thread and its result out. Unchecked: the calling thread waits on a
/// semaphore while the worker runs, so the two never touch the box at the same time.
final class ResultBox<T>: @unchecked Sendable {
    let body: () -> T
    var value: T?
    init(_ body: @escaping () -> T) { self.body = body }
}
