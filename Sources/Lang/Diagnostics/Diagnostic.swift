/// A message about a place in the source: a syntax error, a runtime error, a warning.
///
/// Errors are values; one renderer (`DiagnosticRenderer`) prints them all the same way:
/// `file:line:col: error: message`, the source line, and a caret under the range.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
        case note
    }

    public let severity: Severity
    public let message: String
    public let range: SourceRange?
    /// Extra lines printed after the caret (a call trace, a hint).
    public var notes: [String]

    public init(_ severity: Severity = .error, _ message: String, at range: SourceRange?, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
    }

    public var description: String { DiagnosticRenderer().render(self) }
}

/// Several syntax errors found in one pass over a file.
public struct SyntaxErrors: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String {
        diagnostics.map { DiagnosticRenderer().render($0) }.joined(separator: "\n")
    }
}

/// Renders diagnostics as `file:line:col: error: message`, the source line and a caret.
public struct DiagnosticRenderer: Sendable {
    public init() {}

    public func render(_ d: Diagnostic) -> String {
        guard let range = d.range else {
            return (["\(d.severity.rawValue): \(d.message)"] + d.notes).joined(separator: "\n")
        }
        let file = range.file
        let loc = file.location(of: range.start)
        var lines = ["\(file.name):\(loc.line):\(loc.column): \(d.severity.rawValue): \(d.message)"]
        let text = file.lineText(loc.line)
        lines.append("    " + text)
        // The caret spans the range on its first line (at least one column).
        let endLoc = file.location(of: range.end)
        let lineLength = text.unicodeScalars.count
        var width = 1
        if endLoc.line == loc.line {
            width = max(1, endLoc.column - loc.column)
        } else {
            width = max(1, lineLength - loc.column + 1)
        }
        let pad = String(repeating: " ", count: max(0, loc.column - 1))
        lines.append("    " + pad + "^" + String(repeating: "~", count: max(0, width - 1)))
        lines.append(contentsOf: d.notes)
        return lines.joined(separator: "\n")
    }
}
