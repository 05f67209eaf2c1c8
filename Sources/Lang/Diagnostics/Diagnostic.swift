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
    /// Source lines longer than this many characters are shown as a window around the caret.
    public static let maxLine = 160

    public init() {}

    public func render(_ d: Diagnostic) -> String {
        guard let range = d.range else {
            return (["\(d.severity.rawValue): \(d.message)"] + d.notes).joined(separator: "\n")
        }
        let file = range.file
        let loc = file.location(of: range.start)
        var lines = ["\(file.name):\(loc.line):\(loc.column): \(d.severity.rawValue): \(d.message)"]
        let text = file.lineText(loc.line)
        // The caret spans the range on its first line (at least one column).
        let endLoc = file.location(of: range.end)
        let lineLength = text.unicodeScalars.count
        var width = 1
        if endLoc.line == loc.line {
            width = max(1, endLoc.column - loc.column)
        } else {
            width = max(1, lineLength - loc.column + 1)
        }
        // A very long line is shown as a window around the caret, marked with '…' where it is cut.
        var shown = text
        var column = loc.column
        if lineLength > DiagnosticRenderer.maxLine {
            let scalars = Array(text.unicodeScalars)
            let from = max(
                0, min(loc.column - 1 - DiagnosticRenderer.maxLine / 2, lineLength - DiagnosticRenderer.maxLine))
            let to = min(lineLength, from + DiagnosticRenderer.maxLine)
            var view = String(String.UnicodeScalarView(scalars[from..<to]))
            column = loc.column - from
            if from > 0 {
                view = "…" + view
                column += 1
            }
            if to < lineLength { view += "…" }
            shown = view
            width = min(width, DiagnosticRenderer.maxLine - (column - 1) + 1)
        }
        lines.append("    " + shown)
        let pad = String(repeating: " ", count: max(0, column - 1))
        lines.append("    " + pad + "^" + String(repeating: "~", count: max(0, width - 1)))
        lines.append(contentsOf: d.notes)
        return lines.joined(separator: "\n")
    }
}
