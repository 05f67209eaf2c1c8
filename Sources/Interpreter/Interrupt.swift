import Synchronization

/// The interrupt request (Ctrl-C). A signal handler may only touch a global flag, so this is
/// the one piece of process-wide state; the interpreter polls it between statements and loop
/// iterations, and long builtins poll it through `BuiltinCall.checkCancelled()`.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Called from the SIGINT handler: only an atomic store.
    public static func request() { flag.store(true, ordering: .relaxed) }

    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    public static func clear() { flag.store(false, ordering: .relaxed) }

    private static let terminating = Atomic<Int32>(0)

    /// Called from a SIGTERM/SIGHUP handler: stop the run like Ctrl-C, remembering the signal.
    public static func requestTermination(_ signal: Int32) {
        terminating.store(signal, ordering: .relaxed)
        flag.store(true, ordering: .relaxed)
    }

    /// The signal that asked the process to end (SIGTERM, SIGHUP), or 0.
    public static var terminationSignal: Int32 { terminating.load(ordering: .relaxed) }

    /// Throws `Interrupted` (and clears the request) when the user asked to stop.
    public static func check() throws {
        if flag.load(ordering: .relaxed) {
            flag.store(false, ordering: .relaxed)
            throw Interrupted()
        }
    }
}
