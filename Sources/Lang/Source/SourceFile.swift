/// A named piece of source text: a script file, a `-c` argument, or one REPL input.
///
/// The text is kept as UTF-8 bytes; offsets everywhere are byte offsets into it.
/// Line and column numbers are 1-based; columns count Unicode scalars, so a caret
/// lines up under the character a message is about.
public final class SourceFile: Sendable {
    public let name: String
    public let text: String
    public let bytes: [UInt8]
    /// Byte offset at which each line starts (line 1 at index 0).
    public let lineStarts: [Int]

    /// A UTF-8 byte-order mark at the start (some editors write one) is dropped.
    public init(name: String, text: String) {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
        self.name = name
        self.text = text
        let bytes = Array(text.utf8)
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based line containing a byte offset.
    public func line(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The 1-based (line, column) of a byte offset; the column counts Unicode scalars.
    public func location(of offset: Int) -> SourceLocation {
        let line = line(of: offset)
        let start = lineStarts[line - 1]
        let end = min(offset, bytes.count)
        var column = 1
        var i = start
        while i < end {
            // Count only the leading bytes of UTF-8 sequences.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: line, column: column)
    }

    /// The text of a 1-based line, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text of a byte range.
    public func text(of range: SourceRange) -> String {
        let lo = max(0, min(range.start, bytes.count))
        let hi = max(lo, min(range.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// A 1-based line and column.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// A half-open byte range `[start, end)` in one source file.
public struct SourceRange: Equatable, Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    public static func == (a: SourceRange, b: SourceRange) -> Bool {
        a.file === b.file && a.start == b.start && a.end == b.end
    }

    /// The smallest range covering both.
    public func to(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var location: SourceLocation { file.location(of: start) }
    public var text: String { file.text(of: self) }
}
