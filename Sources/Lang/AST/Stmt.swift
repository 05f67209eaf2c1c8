/// A statement node.
public struct Stmt: Sendable {
    public let kind: Kind
    public let range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable {
        case expression(Expr)
        /// `target = value`, `target += value`, ...; the target is an identifier, index or field.
        case assign(target: Expr, op: BinaryOp?, value: Expr)
        /// `let name = value`: always binds in the current function's scope.
        case letBinding(name: String, nameRange: SourceRange, value: Expr)
        case function(FunctionDecl)
        /// `for x in xs { }`, or `for i, x in pairs { }` (each element a list of that length).
        case forLoop(variables: [String], variableRange: SourceRange, sequence: Expr, body: Block)
        case whileLoop(condition: Expr, body: Block)
        case breakLoop
        case continueLoop
        case returnValue(Expr?)
        /// `load latbench`: a command-capable builtin followed by bare words.
        case command(name: String, nameRange: SourceRange, words: [Word])
    }
}

/// One bare word of a command statement, already turned into its string.
public struct Word: Sendable {
    public let text: String
    public let range: SourceRange
}

/// A parsed program: a file, a `-c` argument, or one REPL input.
public struct Program: Sendable {
    public let file: SourceFile
    public var statements: [Stmt]
}
