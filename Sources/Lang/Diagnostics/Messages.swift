/// The catalogue of the lexer's and parser's messages, so every message reads the same way: what was expected,
/// what it belongs to, and what was found. (Run-time messages: `RuntimeMessages` in Interpreter.)
public enum Messages {
    public static func expected(_ what: String, _ context: String, found: String) -> String {
        "expected \(what) \(context), found \(found)"
    }
    public static func unexpected(_ found: String, _ context: String) -> String {
        "unexpected \(found) \(context)"
    }
    public static let comparisonChain =
        "comparisons do not chain (write 'a < b and b < c')"
    public static let badAssignTarget =
        "cannot assign to this expression (assign to a name, a field 'r.x' or an element 'xs[i]')"
    public static let duplicateParameter = "duplicate parameter"
    public static let positionalAfterNamed = "positional argument after a named argument"
    public static let defaultBeforeRequired = "a parameter without a default follows one with a default"
    public static let interpolationInWord = "string interpolation is not allowed in command words"
    /// `'[' was never closed`, at the opener.
    public static func neverClosed(_ opener: String) -> String { "\(opener) was never closed" }
    /// The note under it: where the parser gave up.
    public static func gaveUpNote(line: Int, column: Int, _ what: String) -> String {
        "note: the parser gave up at \(line):\(column): \(what)"
    }
    /// A binary operator with nothing after it, reported at the operator.
    public static func danglingOperator(_ op: String) -> String {
        "expected an expression after \(op), found end of input"
    }
    public static func tooDeep(_ limit: Int) -> String { "expression nested too deeply (more than \(limit) levels)" }
    public static func chainTooLong(_ limit: Int) -> String {
        "expression too long (more than \(limit) operands in one chain of operators; split it with variables or sum())"
    }
    // Lexer.
    public static let bangForNot = "unexpected character '!' (write 'not' for negation)"
    public static func cStyleLogic(_ ch: String) -> String { "unexpected character '\(ch)' (write 'and' / 'or')" }
    public static let singleQuote = "unexpected character \"'\" (strings use double quotes)"
    public static func unexpectedCharacter(_ ch: String) -> String { "unexpected character '\(ch)'" }
    public static func malformedNumber(_ text: String) -> String { "malformed number '\(text)'" }
    public static func numberTooLarge(_ text: String) -> String {
        "number literal '\(text)' is too large (the largest is about 1.8e308)"
    }
    public static func integerTooLarge(_ text: String) -> String { "integer literal '\(text)' is too large" }
    public static func unknownUnit(_ suffix: String, after text: String, known: String) -> String {
        "unknown unit '\(suffix)' after number \(text) (units: \(known))"
    }
    public static let unterminatedString = "unterminated string (missing closing '\"')"
    public static let malformedUnicodeEscape = "malformed \\u{...} escape in string"
    public static let unterminatedInterpolation = "unterminated interpolation '\\(' in string (missing ')')"
    public static func stringsTooDeep(_ limit: Int) -> String {
        "strings nested too deeply in interpolations (more than \(limit) levels)"
    }
    public static func unknownEscape(_ e: String) -> String { "unknown escape '\\\(e)' in string" }

    // Parser, outside the expected/unexpected pattern.
    public static func outsideLoop(_ keyword: String) -> String { "'\(keyword)' outside a loop" }
    public static let returnOutsideFunction = "'return' outside a function"
    public static func duplicateField(_ name: String) -> String { "duplicate field '\(name)' in the record" }
    public static let tooManyErrors = "too many syntax errors; stopping here"
}
