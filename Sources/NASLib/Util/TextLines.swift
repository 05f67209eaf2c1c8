/// Lines of text from outside (files, a command's output), split at each LF byte with a CR before it dropped.
///
/// Splitting a Swift `String` on the `Character` "\n" does not split a CRLF file at all: "\r\n" is one grapheme
/// cluster, a different Character. Bytes are split instead; each line is decoded on its own, so invalid UTF-8 in
/// one line (replaced by U+FFFD) leaves the others intact.
public enum TextLines {
    /// The lines of `bytes`; with `keepEmpty` false, empty lines are left out. A final line without LF is kept.
    public static func of<C: Collection>(_ bytes: C, keepEmpty: Bool = true) -> [String] where C.Element == UInt8 {
        var out: [String] = []
        var line: [UInt8] = []
        func finish() {
            if line.last == 0x0D { line.removeLast() }
            if keepEmpty || !line.isEmpty { out.append(String(decoding: line, as: UTF8.self)) }
            line.removeAll(keepingCapacity: true)
        }
        for b in bytes {
            if b == 0x0A { finish() } else { line.append(b) }
        }
        if !line.isEmpty { finish() }
        return out
    }

    /// The lines of `text` (see `of(_:)` for bytes).
    public static func of(_ text: String, keepEmpty: Bool = true) -> [String] {
        of(Array(text.utf8), keepEmpty: keepEmpty)
    }
}
