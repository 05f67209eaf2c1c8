import Foundation
import Infra
import NASLib
import Sweep

/// The front end's one voice on standard error: a message is `brpsh: MESSAGE`, a command's own message
/// `brpsh: COMMAND: MESSAGE`, a warning `brpsh: warning: MESSAGE`; the progress lines of long commands (sweeps) go out
/// as they are. A script's own diagnostics (`file:line:col: error: ...`) are the Pipeline's and keep their form.
enum Reporter {
    static func error(_ message: String, command: String? = nil) {
        write("brpsh: " + (command.map { "\($0): " } ?? "") + message + "\n")
    }

    static func warning(_ message: String, command: String? = nil) {
        write("brpsh: " + (command.map { "\($0): " } ?? "") + "warning: " + message + "\n")
    }

    /// A progress or log line, unprefixed.
    static func line(_ text: String) { write(text + "\n") }

    /// A diagnostic rendered elsewhere (it carries its own position and form).
    static func diagnostic(_ text: String) { write(text.hasSuffix("\n") ? text : text + "\n") }

    /// The message of an error a command reports to the user as `brpsh: ...` (brpsh's error types describe
    /// themselves by their message); nil for an error that is not one of them.
    static func message(of error: Error) -> String? {
        switch error {
        case let e as CommandFailure: return e.message
        case let e as SweepError: return e.message
        case let e as NASLibError: return e.message
        case let e as InfraError: return e.message
        default: return nil
        }
    }

    private static func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
