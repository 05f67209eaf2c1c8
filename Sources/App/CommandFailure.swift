/// A failure a command reports to the user: its message on standard error (`brpsh: ...`) and exit status 1. The
/// front end's library code (sweeps and their store, grid, backends and merge; output bundles; the REPL's own
/// commands) throws it; swift-argument-parser's `ValidationError` stays in the command files, for mistakes in the
/// command line itself (usage text, status 64).
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
