extension Parser {
    /// Whether the current identifier (a command-capable builtin) starts a command statement:
    /// the next token is on the same line and is a word (a name, keyword, number or string),
    /// not an operator, '(' or '='.
    mutating func startsCommand() -> Bool {
        let next = peek()
        if next.atLineStart { return false }
        switch next.kind {
        case .identifier, .keyword, .number, .string: return true
        case .error: return true
        default: return false
        }
    }

    /// command := COMMAND_NAME word+                  (words separated by white space or ',')
    /// word    := a run of characters other than white space, ',', ';', '#', '"', '}'
    ///          | STRING                               (escapes allowed, no interpolation)
    ///
    /// Every word becomes a string argument: `load latbench nb201` and `load latbench, nb201`
    /// are `load("latbench", "nb201")`.
    mutating func parseCommand(name: String) throws -> Stmt {
        let nameToken = current
        let bytes = file.bytes
        var i = nameToken.end
        var words: [Word] = []
        func stop(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "\n") || c == UInt8(ascii: ";") || c == UInt8(ascii: "#") || c == UInt8(ascii: "}")
        }
        let limit = lexer.end
        while i < limit {
            let c = bytes[i]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if stop(c) { break }
            if c == UInt8(ascii: "\"") {
                var sub = Lexer(file: file, start: i, end: limit)
                let t = sub.next()
                let r = SourceRange(file: file, start: t.start, end: t.end)
                switch t.kind {
                case .string(let pieces):
                    var text = ""
                    for p in pieces {
                        switch p {
                        case .text(let s): text += s
                        case .interpolation: throw error(Messages.interpolationInWord, at: r)
                        }
                    }
                    words.append(Word(text: text, range: r))
                case .error(let m):
                    throw error(m, at: r)
                default:
                    break
                }
                i = t.end
                continue
            }
            let start = i
            while i < limit, !stop(bytes[i]), bytes[i] != UInt8(ascii: " "), bytes[i] != UInt8(ascii: "\t"),
                bytes[i] != UInt8(ascii: "\r"), bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: ",")
            {
                i += 1
            }
            let r = SourceRange(file: file, start: start, end: i)
            words.append(Word(text: r.text, range: r))
        }
        // Resume ordinary lexing after the words.
        lexer.reset(to: i)
        lookahead.removeAll()
        previous = Token(
            .identifier(name), start: nameToken.start, end: words.last?.range.end ?? nameToken.end,
            atLineStart: false)
        current = lexer.next()
        return Stmt(.command(name: name, nameRange: range(nameToken), words: words), range(from: nameToken.start))
    }
}
