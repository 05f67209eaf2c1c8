extension Parser {
    /// primary := NUMBER | STRING | 'true' | 'false' | 'nil' | IDENT | '(' expression ')'
    ///          | list | record | closure | 'fn' '(' parameters? ')' block | ifExpr
    mutating func parsePrimary() throws -> Expr {
        let t = current
        let r = range(t)
        switch t.kind {
        case .number(let n):
            advance()
            if let unit = n.unit { return Expr(.literal(.quantity(n.value, unit)), r) }
            if let i = n.integer { return Expr(.literal(.int(i)), r) }
            return Expr(.literal(.number(n.value)), r)
        case .string(let pieces):
            advance()
            return try stringExpression(pieces, r)
        case .identifier(let name):
            advance()
            return Expr(.identifier(name), r)
        case .keyword(.true):
            advance()
            return Expr(.literal(.bool(true)), r)
        case .keyword(.false):
            advance()
            return Expr(.literal(.bool(false)), r)
        case .keyword(.nil):
            advance()
            return Expr(.literal(.nil), r)
        case .keyword(.fn):
            advance()
            let decl = try parseFunctionRest(name: nil, start: t.start)
            return Expr(.function(decl), range(from: t.start))
        case .keyword(.if):
            return Expr(.ifElse(try parseIf()), range(from: t.start))
        case .punct(.lparen):
            openBracket()
            let inner = try parseExpression()
            try closeBracket(.rparen, "to close the parenthesis")
            return Expr(inner.kind, range(from: t.start))
        case .punct(.lbracket):
            return try parseList()
        case .punct(.lbrace):
            if closureHasParameters() { return try parseBraceClosure() }
            return try parseRecord()
        case .eof, .newline:
            throw error(Messages.expected("an expression", "here", found: t.describe))
        default:
            throw error(Messages.unexpected(t.describe, "where an expression was expected"))
        }
    }

    /// list := '[' (expression (',' expression)* ','?)? ']'
    mutating func parseList() throws -> Expr {
        let start = current.start
        openBracket()
        var items: [Expr] = []
        while !current.isPunct(.rbracket) {
            items.append(try parseExpression())
            if !match(.comma) { break }
        }
        try closeBracket(.rbracket, "to close the list")
        return Expr(.list(items), range(from: start))
    }

    /// record := '{' (field (',' field)* ','?)? '}'
    /// field  := (IDENT | STRING) ':' expression
    mutating func parseRecord() throws -> Expr {
        let start = current.start
        openBracket()
        var fields: [Field] = []
        while !current.isPunct(.rbrace) {
            let name: String
            switch current.kind {
            case .identifier(let n): name = n
            case .string(let pieces) where pieces.count <= 1:
                if case .text(let s)? = pieces.first { name = s } else { name = "" }
            default:
                throw error(Messages.expected("a field name", "in the record", found: current.describe))
            }
            let nrange = range(current)
            if fields.contains(where: { $0.name == name }) {
                throw error(Messages.duplicateField(name), at: nrange)
            }
            advance()
            try expect(.colon, "after the field name '\(name)'")
            fields.append(Field(name: name, nameRange: nrange, value: try parseExpression()))
            if !match(.comma) { break }
        }
        try closeBracket(.rbrace, "to close the record")
        return Expr(.record(fields), range(from: start))
    }

    /// ifExpr := 'if' expression block ('else' (ifExpr | block))?
    mutating func parseIf() throws -> IfClause {
        advance()  // if
        let condition = try parseCondition()
        let then = try parseBlock("the 'if' branch")
        // `else` may start the next line: `}\nelse {`.
        if nesting == 0, case .newline = current.kind, peek().isKeyword(.else) { advance() }
        guard current.isKeyword(.else) else { return IfClause(condition: condition, then: then, otherwise: nil) }
        advance()
        if current.isKeyword(.if) {
            let start = current.start
            let nested = try parseIf()
            return IfClause(condition: condition, then: then, otherwise: .elseIf(nested, range(from: start)))
        }
        let otherwise = try parseBlock("the 'else' branch")
        return IfClause(condition: condition, then: then, otherwise: .block(otherwise))
    }

    /// A string literal; `\(expression)` parts are parsed from their place in the source.
    mutating func stringExpression(_ pieces: [StringPiece], _ r: SourceRange) throws -> Expr {
        var segments: [Segment] = []
        for piece in pieces {
            switch piece {
            case .text(let s):
                segments.append(.text(s))
            case .interpolation(let start, let end):
                var sub = Parser(file: file, start: start, end: end, commandNames: [])
                sub.nesting = 1
                sub.depth = depth  // the limits count across interpolations
                sub.skipNewlines()
                let e: Expr
                do {
                    e = try sub.parseExpression()
                    if !sub.atEnd {
                        throw sub.error(
                            Messages.expected("')'", "to end the interpolation", found: sub.current.describe))
                    }
                } catch {
                    diagnostics.append(contentsOf: sub.diagnostics)
                    if sub.abandoned { abandoned = true }
                    throw Failure()
                }
                segments.append(.expr(e))
            }
        }
        if segments.count <= 1, case .text(let s)? = segments.first { return Expr(.literal(.string(s)), r) }
        if segments.isEmpty { return Expr(.literal(.string("")), r) }
        return Expr(.interpolated(segments), r)
    }
}
