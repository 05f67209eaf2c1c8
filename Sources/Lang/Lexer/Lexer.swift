/// Turns source bytes into tokens, one at a time (the parser pulls them).
///
/// Newlines are tokens (they separate statements); the parser skips them inside brackets.
/// `#` starts a comment that runs to the end of the line. The lexer never fails: a bad
/// character becomes an `.error` token that the parser reports when it reaches it.
public struct Lexer {
    public let file: SourceFile
    let bytes: [UInt8]
    let end: Int
    public internal(set) var position: Int
    private var sawNewline = true
    /// How many string literals enclose the one being lexed (through `\(` interpolations).
    var stringDepth = 0
    /// The deepest nesting of strings in interpolations (the lexer recurses for each level).
    public static let maxStringDepth = 100

    /// Lexes `file` from byte `start` to byte `end` (the whole file by default).
    public init(file: SourceFile, start: Int = 0, end: Int? = nil) {
        self.file = file
        self.bytes = file.bytes
        self.end = end ?? file.bytes.count
        self.position = start
    }

    /// Moves the lexer to a byte offset (used after the parser scans command words itself).
    public mutating func reset(to offset: Int, atLineStart: Bool = false) {
        position = offset
        sawNewline = atLineStart
    }

    func peekByte(_ k: Int = 0) -> UInt8? {
        let i = position + k
        return i < end ? bytes[i] : nil
    }

    public mutating func next() -> Token {
        skipSpaceAndComments()
        let start = position
        let lineStart = sawNewline
        sawNewline = false
        guard let c = peekByte() else { return Token(.eof, start: start, end: start, atLineStart: lineStart) }
        if c == UInt8(ascii: "\n") {
            // Collapse runs of blank lines (and comment-only lines) into one newline token.
            while let b = peekByte(), b == UInt8(ascii: "\n") {
                position += 1
                skipSpaceAndComments()
            }
            sawNewline = true
            return Token(.newline, start: start, end: start + 1, atLineStart: lineStart)
        }
        let kind: TokenKind
        if Lexer.isDigit(c) {
            kind = lexNumber()
        } else if Lexer.isIdentStart(c) {
            kind = lexIdentifier()
        } else if c == UInt8(ascii: "\"") {
            kind = lexString()
        } else {
            kind = lexPunct()
        }
        return Token(kind, start: start, end: position, atLineStart: lineStart)
    }

    private mutating func skipSpaceAndComments() {
        while let c = peekByte() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                position += 1
            } else if c == UInt8(ascii: "\\"), peekByte(1) == UInt8(ascii: "\n") {
                // A backslash at the end of a line continues the statement on the next line.
                position += 2
            } else if c == UInt8(ascii: "#") {
                while let d = peekByte(), d != UInt8(ascii: "\n") { position += 1 }
            } else {
                break
            }
        }
    }

    private mutating func lexIdentifier() -> TokenKind {
        let start = position
        while let c = peekByte(), Lexer.isIdentContinue(c) { position += 1 }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        if let k = Keyword(rawValue: name) { return .keyword(k) }
        return .identifier(name)
    }

    private mutating func lexPunct() -> TokenKind {
        // Longest match first.
        let two: [(String, Punct)] = [
            ("**", .starstar), ("..", .dotdot), ("->", .arrow), ("==", .eq), ("!=", .ne), ("<=", .le),
            (">=", .ge), ("+=", .plusAssign), ("-=", .minusAssign), ("*=", .starAssign), ("/=", .slashAssign),
        ]
        if let a = peekByte(), let b = peekByte(1) {
            for (s, p) in two where Array(s.utf8) == [a, b] {
                position += 2
                return .punct(p)
            }
        }
        let c = peekByte()!
        if let p = Punct(rawValue: String(UnicodeScalar(c))), p.rawValue.utf8.count == 1 {
            position += 1
            return .punct(p)
        }
        // Skip one whole UTF-8 character so the message names it.
        let start = position
        position += 1
        while let d = peekByte(), d & 0xC0 == 0x80 { position += 1 }
        let ch = String(decoding: bytes[start..<position], as: UTF8.self)
        if ch == "!" { return .error(Messages.bangForNot) }
        if ch == "&" || ch == "|" { return .error(Messages.cStyleLogic(ch)) }
        if ch == "'" { return .error(Messages.singleQuote) }
        return .error(Messages.unexpectedCharacter(ch))
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_")
    }
    static func isIdentContinue(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
}
