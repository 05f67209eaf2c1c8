/// An expression node: what it is, and where it was written.
public struct Expr: Sendable {
    public let kind: Kind
    public let range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable {
        case literal(Literal)
        /// A string with `\(...)` parts.
        case interpolated([Segment])
        case identifier(String)
        case list([Expr])
        case record([Field])
        case unary(UnaryOp, Expr)
        case binary(BinaryOp, Expr, Expr)
        /// `a and b`, `a or b`: the right side is evaluated only when needed.
        case logical(LogicalOp, Expr, Expr)
        /// `start..end` or `start..end step s` (inclusive).
        case range(start: Expr, end: Expr, step: Expr?)
        case call(callee: Expr, arguments: [Argument])
        case index(Expr, Expr)
        case field(Expr, name: String, nameRange: SourceRange)
        case function(FunctionDecl)
        case ifElse(IfClause)
    }
}

public enum Literal: Sendable {
    case int(Int)
    case number(Double)
    case quantity(Double, PhysicalUnit)
    case string(String)
    case bool(Bool)
    case `nil`
}

public enum Segment: Sendable {
    case text(String)
    case expr(Expr)
}

public struct Field: Sendable {
    public let name: String
    public let nameRange: SourceRange
    public let value: Expr
}

public struct Argument: Sendable {
    /// The label of a named argument (`n` in `gcn(n: 900)`), nil for a positional one.
    public let label: String?
    public let labelRange: SourceRange?
    public let value: Expr
    /// A trailing closure `f(x) { ... }`: it goes to the function's last parameter.
    public var trailing = false
}

public enum UnaryOp: String, Sendable {
    case negate = "-"
    case plus = "+"
    case not = "not"
}

public enum BinaryOp: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
    case power = "**"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case contains = "in"
}

public enum LogicalOp: String, Sendable {
    case and, or
}

/// `fn name(a, b: 2) { ... }` or the closure forms `fn(x) { ... }` and `{ x -> ... }`.
public struct FunctionDecl: Sendable {
    public let name: String?
    public let parameters: [Parameter]
    public let body: Block
    public let range: SourceRange
}

public struct Parameter: Sendable {
    public let name: String
    public let range: SourceRange
    /// The default value, evaluated at each call in the function's defining environment.
    public let defaultValue: Expr?
}

/// `if c { ... } else if d { ... } else { ... }`: its value is the value of the branch taken.
public struct IfClause: Sendable {
    public let condition: Expr
    public let then: Block
    /// Either another `if` (an `else if`) or a final block.
    public let otherwise: Else?

    public indirect enum Else: Sendable {
        case elseIf(IfClause, SourceRange)
        case block(Block)
    }
}

/// Statements in braces; its value is the value of its last statement when that is an expression.
public struct Block: Sendable {
    public let statements: [Stmt]
    public let range: SourceRange
}
