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
        return s
    }
}
