import Interpreter

/// Everything the builtins keep per session, typed: the run record, the NAS data, the files written, and the
/// data-file hashes computed for cache keys. Made with the interpreter (`Builtins.makeInterpreter`), from the
/// session's settings; nothing is set on it afterwards.
final class BuiltinsState: HostState {
    let run: RunContext
    let nas: NASContext
    let outputs = OutputLog()
    let hashes = Caching.Hashes()

    private init(_ settings: SessionSettings, warnings: SessionWarnings) {
        run = RunContext(settings)
        nas = NASContext(environment: settings.environment, warn: { warnings.say($0) })
    }

    /// Makes the session's state and gives it to the interpreter, whose seed becomes the session seed.
    static func install(on interpreter: Interpreter, _ settings: SessionSettings) {
        interpreter.seed = settings.seed
        interpreter.host = BuiltinsState(settings, warnings: SessionWarnings(interpreter))
    }

    static func of(_ interpreter: Interpreter) -> BuiltinsState {
        guard let s = interpreter.host as? BuiltinsState else {
            preconditionFailure(
                "an interpreter with brpsh's builtins is made by Builtins.makeInterpreter, which gives it its session state"
            )
        }
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
