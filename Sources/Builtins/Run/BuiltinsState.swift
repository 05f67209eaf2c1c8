import Interpreter

/// Everything the builtins keep per session, typed: the run record, the NAS data, the files written, and the
/// data-file hashes computed for cache keys. Created on first use, so it sees the session seed set by then.
final class BuiltinsState: HostState {
    let run: RunContext
    let nas = NASContext()
    let outputs = OutputLog()
    let hashes = Caching.Hashes()

    init(seed: Int) {
        run = RunContext()
        run.initialSeed = seed
    }

    static func of(_ interpreter: Interpreter) -> BuiltinsState {
        if let s = interpreter.host as? BuiltinsState { return s }
        let s = BuiltinsState(seed: interpreter.seed)
        interpreter.host = s
        let sink = SessionWarnings(interpreter)
        s.nas.warn = { sink.say($0) }
        return s
    }
}

/// Says a warning from code that has no builtin call at hand (a data file read without verification) the way
/// builtins do: through the session's output (stderr, or the cell's stderr stream) and into its provenance.
/// Unchecked: data files are read on the thread that runs the session's builtins, the one the output belongs to.
final class SessionWarnings: @unchecked Sendable {
    private weak var interpreter: Interpreter?

    init(_ interpreter: Interpreter) { self.interpreter = interpreter }

    func say(_ message: String) {
        guard let interpreter else {
            Stderr.write("warning: \(message)\n")
            return
        }
        RunContext.of(interpreter).logWarning(message)
        interpreter.output.warn("warning: \(message)\n")
    }
}
