import Foundation

/// Where the REPL gets its lines: libedit on a terminal, plain standard input otherwise,
/// a list of lines in tests.
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> LineReaderResult
    /// Records a complete input in the history.
    func addHistory(_ entry: String)
}

public enum LineReaderResult: Equatable {
    case line(String)
    /// Ctrl-C while typing: drop the current input.
    case interrupted
    /// Ctrl-D or end of input.
    case eof
}

/// Reads standard input line by line, without prompts or editing.
public final class PlainLineReader: LineReader {
    public init() {}
    public func readLine(prompt: String) -> LineReaderResult {
        guard let line = Swift.readLine(strippingNewline: true) else { return .eof }
        return .line(line)
    }
    public func addHistory(_ entry: String) {}
}

/// Feeds fixed lines (tests).
public final class ScriptedLineReader: LineReader {
    var lines: [String]
    public private(set) var prompts: [String] = []
    public init(_ lines: [String]) { self.lines = lines }
    public func readLine(prompt: String) -> LineReaderResult {
        prompts.append(prompt)
        guard !lines.isEmpty else { return .eof }
        return .line(lines.removeFirst())
    }
    public func addHistory(_ entry: String) {}
}
