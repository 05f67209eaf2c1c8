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

    /// Throws `Interrupted` (and clears the request) when the user asked to stop.
    public static func check() throws {
        if flag.load(ordering: .relaxed) {
            flag.store(false, ordering: .relaxed)
            throw Interrupted()
        }
    }
}
