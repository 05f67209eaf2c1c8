/// The keywords of the language.
public enum Keyword: String, CaseIterable, Sendable {
    case `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`, `fn`, `let`
    case `true`, `false`, `nil`, `and`, `or`, `not`
}

/// Operators and punctuation.
public enum Punct: String, CaseIterable, Sendable {
    case lparen = "("
    case rparen = ")"
    case lbracket = "["
    case rbracket = "]"
    case lbrace = "{"
    case rbrace = "}"
    case comma = ","
    case colon = ":"
    case semicolon = ";"
    case dot = "."
    case dotdot = ".."
    case arrow = "->"
    case plus = "+"
    case minus = "-"
    case star = "*"
    case slash = "/"
    case percent = "%"
    case starstar = "**"
    case assign = "="
    case plusAssign = "+="
    case minusAssign = "-="
    case starAssign = "*="
    case slashAssign = "/="
    case eq = "=="
    case ne = "!="
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
}

/// A number literal as written: its value, whether it is an integer, its unit, and its text
/// (ranges use the text to step in exact decimals).
public struct NumberLiteral: Equatable, Sendable {
    public init(value: Double, integer: Int?, unit: PhysicalUnit?, text: String) {
        self.value = value
        self.integer = integer
        self.unit = unit
        self.text = text
    }
    public let value: Double
    public let integer: Int?
    public let unit: PhysicalUnit?
    /// The digits as written, without the unit (`"0.1"`, `"8e-4"`).
    public let text: String
}

/// One piece of a string literal: text, or an interpolated expression `\(...)` by its byte range.
public enum StringPiece: Equatable, Sendable {
    case text(String)
    case interpolation(start: Int, end: Int)
}

public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case keyword(Keyword)
    case number(NumberLiteral)
    case string([StringPiece])
    case punct(Punct)
    case newline
    case eof
    /// A lexical error; the parser reports it when it reaches the token.
    case error(String)
}

public struct Token: Sendable {
    public let kind: TokenKind
    public let start: Int
    public let end: Int
    /// True when a newline (or the start of input) comes between the previous token and this one.
    public let atLineStart: Bool

    public init(_ kind: TokenKind, start: Int, end: Int, atLineStart: Bool) {
        self.kind = kind
        self.start = start
        self.end = end
        self.atLineStart = atLineStart
    }

    public func isPunct(_ p: Punct) -> Bool {
        if case .punct(let q) = kind { return q == p }
        return false
    }

    public func isKeyword(_ k: Keyword) -> Bool {
        if case .keyword(let q) = kind { return q == k }
        return false
    }

    /// How the token reads in a message: `')'`, `identifier 'x'`, `end of input`.
    public var describe: String {
        switch kind {
        case .identifier(let s): return "identifier '\(s)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .number(let n): return "number \(n.text)\(n.unit?.symbol ?? "")"
        case .string: return "string"
        case .punct(let p): return "'\(p.rawValue)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .error(let m): return m
        }
    }
}
