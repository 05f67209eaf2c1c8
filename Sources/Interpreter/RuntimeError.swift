import Lang

/// An error raised while running: where it happened, what went wrong, and the call trace.
public struct RuntimeError: Error, CustomStringConvertible {
    public var message: String
    public var range: SourceRange?
    public var trace: [String] = []

    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }

    public var diagnostic: Diagnostic {
        Diagnostic(.error, message, at: range, notes: trace)
    }

    public var description: String { DiagnosticRenderer().render(diagnostic) }
}

/// An error from a builtin's body, placed at the call by the interpreter.
public struct BuiltinError: Error, CustomStringConvertible {
    public let message: String
    /// The argument it is about, when there is one (the error then points at that argument).
    public let argument: String?

    public init(_ message: String, argument: String? = nil) {
        self.message = message
        self.argument = argument
    }

    public var description: String { message }
}

/// Raised when the user interrupts (Ctrl-C) a running statement.
public struct Interrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}

/// Non-local control flow, carried by Swift's error mechanism. Sendable, unchecked: it is thrown and caught on the
/// thread that runs the interpreter, never sent to another (its value may hold objects that are not Sendable).
enum ControlFlow: Error, @unchecked Sendable {
    case breakLoop
    case continueLoop
    case returnValue(Value)
}
