import Foundation
import Interpreter
import NASLib

/// The NAS state of one session: the benchmark data (the shipped data, or BRPSH_DATA; read on first use).
/// Part of the session's `BuiltinsState`, so each session (and each test) has its own.
final class NASContext {
    private var cached: Benchmark?
    /// The process environment as the front end read it (`BRPSH_DATA`).
    let environment: [String: String]
    /// A data directory given explicitly (tests), instead of the one `DataSetup` finds.
    var directoryOverride: DataDirectory?
    /// The files each NAS builtin call reads (one recording per call: `Builtins.recordingReads`).
    let reads = ReadRecorder()

    static func of(_ interpreter: Interpreter) -> NASContext { BuiltinsState.of(interpreter).nas }

    static func of(_ call: BuiltinCall) -> NASContext { of(call.interpreter) }

    /// The data files read so far, with their hashes.
    var filesRead: [DataFileRecord] { cached?.directory.filesRead ?? [] }

    /// The data directory, if one was opened.
    var directory: DataDirectory? { cached?.directory }

    /// Where the session's data warnings go: the session's output and provenance.
    let warn: @Sendable (String) -> Void

    init(environment: [String: String], warn: @escaping @Sendable (String) -> Void) {
        self.environment = environment
        self.warn = warn
    }

    func benchmark() throws -> Benchmark {
        if let b = cached { return b }
        let directory = try directoryOverride ?? DataSetup.resolve(environment: environment, warn: warn)
        directory.reads = reads
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
            if !suggestion.isEmpty { throw BuiltinError("unknown \(e.unknownKind) \"\(name)\"\(suggestion)") }
        }
        throw BuiltinError(e.message)
    }
}

/// Finds the benchmark data for a session: `BRPSH_DATA` when set, else the data brpsh ships.
public enum DataSetup {
    /// `warn` says a data warning (without "warning: "); nil writes it to standard error.
    public static func resolve(environment: [String: String], warn: (@Sendable (String) -> Void)? = nil) throws
        -> DataDirectory
    {
        let directory = try DataLocation.resolve(environment: environment)
        if directory.manifest == nil, let builtIn = DataLocation.builtIn() {
            directory.reference = (try? DataDirectory(root: builtIn))?.manifest
        }
        directory.onUnverified = { record in
            let why: String
            if directory.manifest != nil {
                why = "\(DataManifest.fileName) does not list it"
            } else if directory.reference?.entries[record.relative] != nil {
                why = "it differs from the published file brpsh ships"
            } else {
                why = "\(directory.root) has no \(DataManifest.fileName)"
            }
            let message = "data file \(record.path) is unverified (\(why)); its SHA-256 is \(record.sha256)"
            if let warn {
                warn(message)
            } else {
                Stderr.write("warning: \(message)\n")
            }
        }
        return directory
    }
}
