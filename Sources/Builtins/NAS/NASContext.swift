import Interpreter
import NASLib

/// The NAS state of one session: the benchmark data (from BRPSH_DATA, read on first use).
/// Kept in the interpreter's extension slots, so each session (and each test) has its own.
final class NASContext {
    private var cached: Benchmark?
    /// A data directory given explicitly (tests), instead of BRPSH_DATA.
    var directoryOverride: DataDirectory?

    static let key = "nas"

    static func of(_ interpreter: Interpreter) -> NASContext {
        if let c = interpreter.extensions[key] as? NASContext { return c }
        let c = NASContext()
        interpreter.extensions[key] = c
        return c
    }

    static func of(_ call: BuiltinCall) -> NASContext { of(call.interpreter) }

    /// The data files read so far.
    var filesRead: [String] { cached?.directory.filesRead ?? [] }

    func benchmark() throws -> Benchmark {
        if let b = cached { return b }
        let directory = try directoryOverride ?? DataDirectory.fromEnvironment()
        let b = Benchmark(directory: directory)
        cached = b
        return b
    }
}

/// Runs NASLib code, turning its errors into builtin errors (with "did you mean" for names).
func nas<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as NASLibError {
        if let name = e.unknown {
            let suggestion = Suggest.didYouMean(name, e.candidates, quote: "\"")
            if !suggestion.isEmpty { throw BuiltinError("unknown device \"\(name)\"\(suggestion)") }
        }
        throw BuiltinError(e.message)
    }
}
