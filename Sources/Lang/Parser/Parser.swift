/// The result of parsing: the statements that parsed, every syntax error found, and whether
/// the input merely stopped early (an open bracket or block, a trailing operator) — the REPL
/// then asks for another line instead of reporting the errors.
public struct ParseResult: Sendable {
    public let program: Program
    public let diagnostics: [Diagnostic]
    public let incomplete: Bool
}

/// A recursive-descent parser with one function per grammar rule (see docs/language.md).
/// It recovers at statement boundaries, so one pass reports several errors.
public struct Parser {
    let file: SourceFile
    var lexer: Lexer
    /// Raw lookahead tokens (newlines included) not yet consumed.
    var lookahead: [Token] = []
    var current: Token
    var previous: Token
    /// > 0 inside parentheses, brackets and record braces, where newlines are insignificant.
    var nesting = 0
    /// The opening brackets not yet closed, innermost last (for "'[' was never closed").
    var openers: [Token] = []
    /// How deeply expressions are nested now (brackets, unary operators, nested blocks).
    var depth = 0
    /// Set when the input is too deep or too long to go on parsing: the rest of it is not read.
    var abandoned = false
    /// The deepest nesting a program may have; deeper input is an error, not a stack overflow.
    public static let maxDepth = 200
    /// The most operands one chain of binary operators (`1 + 1 + ...`) may have.
    public static let maxChain = 10_000
    /// True while parsing the condition of `if`/`while` or the sequence of `for`,
    /// where `{` opens the statement's block rather than a trailing closure.
    var noTrailingClosure = false
    var diagnostics: [Diagnostic] = []
    var incomplete = false
    /// How many loops / functions enclose the statement being parsed (for break, continue, return).
    var loopDepth = 0
    var functionDepth = 0
    let commandNames: Set<String>

    struct Failure: Error {}

    /// Parses a whole source file. `commandNames` lists the builtins that may be used with
    /// command syntax (`load latbench`).
    public static func parse(_ file: SourceFile, commandNames: Set<String> = []) -> ParseResult {
        var parser = Parser(file: file, start: 0, end: file.bytes.count, commandNames: commandNames)
        let statements = parser.parseProgram()
        return ParseResult(
            program: Program(file: file, statements: statements),
            diagnostics: parser.diagnostics,
            incomplete: parser.incomplete)
    }

    init(file: SourceFile, start: Int, end: Int, commandNames: Set<String>) {
        self.file = file
        self.lexer = Lexer(file: file, start: start, end: end)
        self.commandNames = commandNames
        let first = lexer.next()
        self.current = first
        self.previous = first
    }

    // MARK: Tokens

    mutating func rawNext() -> Token {
        lookahead.isEmpty ? lexer.next() : lookahead.removeFirst()
    }

    /// Moves to the next token; inside brackets, newlines are skipped.
    mutating func advance() {
        previous = current
        current = rawNext()
        if nesting > 0 { skipNewlines() }
    }

    /// Consumes an opening bracket, parenthesis or brace. Nesting rises first, so a newline right
    /// after the opener is skipped like every other newline inside it.
    mutating func openBracket() {
        openers.append(current)
        nesting += 1
        advance()
    }

    /// Consumes the closer of the innermost open bracket. When it is missing and the input ended, or the parser
    /// is back at (or left of) the opener's line indentation on a later line, the error is the one a reader
    /// needs: "'[' was never closed" at the opener, with where the parser gave up as a note (Python 3.10 style).
    mutating func closeBracket(_ p: Punct, _ context: String) throws {
        nesting -= 1
        let opener = openers.popLast()
        if current.isPunct(p) {
            advance()
            return
        }
        if let o = opener, atEnd || wentBackToStatementLevel(from: o) {
            let here = file.location(of: current.start)
            let gaveUp = Messages.expected("'\(p.rawValue)'", context, found: current.describe)
            if diagnostics.isEmpty && atEnd { incomplete = true }
            if diagnostics.count < 50 {
                diagnostics.append(
                    Diagnostic(
                        .error, Messages.neverClosed(o.describe), at: range(o),
                        notes: [Messages.gaveUpNote(line: here.line, column: here.column, gaveUp)]))
            }
            throw Failure()
        }
        throw error(Messages.expected("'\(p.rawValue)'", context, found: current.describe))
    }

    /// Whether `current` starts a later line no further right than the indentation of the opener's line.
    func wentBackToStatementLevel(from opener: Token) -> Bool {
        let o = file.location(of: opener.start)
        let c = file.location(of: current.start)
        guard c.line > o.line, current.atLineStart else { return false }
        let indent = file.lineText(o.line).prefix { $0 == " " || $0 == "\t" }.count
        return c.column <= indent + 1
    }

    /// Consumes a binary operator; a newline after it continues the expression, and the end of input is
    /// reported at the operator ("expected an expression after '+'"), not at an empty line after it.
    mutating func advancePastOperator() throws {
        let op = current
        advance()
        skipNewlines()
        if atEnd {
            if diagnostics.isEmpty { incomplete = true }
            throw error(Messages.danglingOperator(op.describe), at: range(op))
        }
    }

    mutating func skipNewlines() {
        while case .newline = current.kind { current = rawNext() }
    }

    /// The token after `current` (skipping newlines inside brackets).
    mutating func peek() -> Token {
        var i = 0
        while true {
            if i >= lookahead.count { lookahead.append(lexer.next()) }
            let t = lookahead[i]
            if nesting > 0, case .newline = t.kind {
                i += 1
                continue
            }
            return t
        }
    }

    func range(_ t: Token) -> SourceRange { SourceRange(file: file, start: t.start, end: t.end) }
    func range(from start: Int) -> SourceRange {
        SourceRange(file: file, start: start, end: max(start, previous.end))
    }

    var atEnd: Bool {
        if case .eof = current.kind { return true }
        return false
    }

    var atSeparator: Bool {
        switch current.kind {
        case .newline, .eof: return true
        case .punct(let p): return p == .semicolon || p == .rbrace
        default: return false
        }
    }

    mutating func match(_ p: Punct) -> Bool {
        guard current.isPunct(p) else { return false }
        advance()
        return true
    }

    mutating func matchKeyword(_ k: Keyword) -> Bool {
        guard current.isKeyword(k) else { return false }
        advance()
        return true
    }

    /// Consumes `p` or reports "expected 'p' <context>, found ...".
    @discardableResult
    mutating func expect(_ p: Punct, _ context: String) throws -> Token {
        guard current.isPunct(p) else {
            throw error(Messages.expected("'\(p.rawValue)'", context, found: current.describe))
        }
        let t = current
        advance()
        return t
    }

    mutating func expectIdentifier(_ context: String) throws -> (String, SourceRange) {
        guard case .identifier(let name) = current.kind else {
            throw error(Messages.expected("a name", context, found: current.describe))
        }
        let r = range(current)
        advance()
        return (name, r)
    }

    /// Enters one level of nesting, or reports that the input nests too deeply (at the current token).
    mutating func nest() throws {
        depth += 1
        if depth > Parser.maxDepth {
            abandoned = true
            throw error(Messages.tooDeep(Parser.maxDepth))
        }
    }

    /// Counts an operand of a chain of binary operators.
    mutating func chained(_ count: inout Int) throws {
        count += 1
        if count > Parser.maxChain {
            abandoned = true
            throw error(Messages.chainTooLong(Parser.maxChain))
        }
    }

    // MARK: Errors

    /// Records a syntax error at the current token and returns the error that unwinds
    /// to the enclosing statement.
    mutating func error(_ message: String, at r: SourceRange? = nil) -> Failure {
        if diagnostics.isEmpty && atEnd && r == nil { incomplete = true }
        if case .error(let lexMessage) = current.kind, r == nil {
            report(lexMessage, at: range(current))
        } else {
            report(message, at: r ?? range(current))
        }
        return Failure()
    }

    mutating func report(_ message: String, at r: SourceRange) {
        if diagnostics.count < 50 {
            diagnostics.append(Diagnostic(.error, message, at: r))
        }
    }

    /// After an error: skip to the end of the statement (a newline, ';' or '}' at block level).
    /// Braces opened after the error are skipped whole, so `fn f(a, a) { a }` does not
    /// leave a stray '}' behind.
    mutating func synchronize() {
        if abandoned { return }
        nesting = 0
        openers.removeAll()
        noTrailingClosure = false
        var braces = 0
        while true {
            switch current.kind {
            case .eof: return
            case .newline where braces == 0: return
            case .punct(.semicolon) where braces == 0: return
            case .punct(.rbrace):
                if braces == 0 { return }
                braces -= 1
            case .punct(.lbrace):
                braces += 1
            default: break
            }
            advance()
        }
    }
}
