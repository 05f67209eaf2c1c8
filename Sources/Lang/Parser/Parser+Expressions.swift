extension Parser {
    /// expression := or
    mutating func parseExpression() throws -> Expr {
        try nest()
        defer { depth -= 1 }
        return try parseOr()
    }

    /// or := and ('or' and)*
    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        var operands = 1
        while current.isKeyword(.or) {
            try chained(&operands)
            try advancePastOperator()
            let right = try parseAnd()
            left = Expr(.logical(.or, left, right), left.range.to(right.range))
        }
        return left
    }

    /// and := not ('and' not)*
    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        var operands = 1
        while current.isKeyword(.and) {
            try chained(&operands)
            try advancePastOperator()
            let right = try parseNot()
            left = Expr(.logical(.and, left, right), left.range.to(right.range))
        }
        return left
    }

    /// not := 'not' not | comparison
    mutating func parseNot() throws -> Expr {
        if current.isKeyword(.not) {
            let start = current.start
            try nest()
            defer { depth -= 1 }
            advance()
            let operand = try parseNot()
            return Expr(.unary(.not, operand), range(from: start))
        }
        return try parseComparison()
    }

    /// comparison := range (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in') range)?
    mutating func parseComparison() throws -> Expr {
        let left = try parseRange()
        guard let op = comparisonOperator() else { return left }
        try advancePastOperator()
        let right = try parseRange()
        if comparisonOperator() != nil { throw error(Messages.comparisonChain) }
        return Expr(.binary(op, left, right), left.range.to(right.range))
    }

    func comparisonOperator() -> BinaryOp? {
        switch current.kind {
        case .punct(.eq): return .equal
        case .punct(.ne): return .notEqual
        case .punct(.lt): return .less
        case .punct(.le): return .lessEqual
        case .punct(.gt): return .greater
        case .punct(.ge): return .greaterEqual
        case .keyword(.in): return .contains
        default: return nil
        }
    }

    /// range := additive ('..' additive ('step' additive)?)?
    mutating func parseRange() throws -> Expr {
        let start = try parseAdditive()
        guard current.isPunct(.dotdot) else { return start }
        advance()
        let end = try parseAdditive()
        var step: Expr? = nil
        if case .identifier("step") = current.kind {
            advance()
            step = try parseAdditive()
        }
        return Expr(.range(start: start, end: end, step: step), start.range.to(step?.range ?? end.range))
    }

    /// additive := multiplicative (('+' | '-') multiplicative)*
    mutating func parseAdditive() throws -> Expr {
        var left = try parseMultiplicative()
        var operands = 1
        while true {
            let op: BinaryOp
            if current.isPunct(.plus) { op = .add } else if current.isPunct(.minus) { op = .subtract } else { break }
            try chained(&operands)
            try advancePastOperator()
            let right = try parseMultiplicative()
            left = Expr(.binary(op, left, right), left.range.to(right.range))
        }
        return left
    }

    /// multiplicative := unary (('*' | '/' | '%') unary)*
    mutating func parseMultiplicative() throws -> Expr {
        var left = try parseUnary()
        var operands = 1
        while true {
            let op: BinaryOp
            switch current.kind {
            case .punct(.star): op = .multiply
            case .punct(.slash): op = .divide
            case .punct(.percent): op = .remainder
            default: return left
            }
            try chained(&operands)
            try advancePastOperator()
            let right = try parseUnary()
            left = Expr(.binary(op, left, right), left.range.to(right.range))
        }
    }

    /// unary := ('-' | '+') unary | power
    mutating func parseUnary() throws -> Expr {
        let start = current.start
        if current.isPunct(.minus) || current.isPunct(.plus) {
            let op: UnaryOp = current.isPunct(.minus) ? .negate : .plus
            try nest()
            defer { depth -= 1 }
            advance()
            let operand = try parseUnary()
            return Expr(.unary(op, operand), range(from: start))
        }
        return try parsePower()
    }

    /// power := postfix ('**' unary)?        (right-associative; binds tighter than unary minus on its left)
    mutating func parsePower() throws -> Expr {
        let base = try parsePostfix()
        guard current.isPunct(.starstar) else { return base }
        try advancePastOperator()
        try nest()  // `a ** b ** c ...` nests to the right: each level counts toward the depth limit
        defer { depth -= 1 }
        let exponent = try parseUnary()
        return Expr(.binary(.power, base, exponent), base.range.to(exponent.range))
    }

    /// postfix := primary ('(' arguments? ')' trailingClosure? | trailingClosure
    ///                     | '[' expression ']' | '.' IDENT)*
    mutating func parsePostfix() throws -> Expr {
        var expr = try parsePrimary()
        while true {
            if current.isPunct(.lparen) && !current.atLineStart {
                var args = try parseArguments(for: expr)
                if let closure = try parseTrailingClosure() {
                    args.append(Argument(label: nil, labelRange: nil, value: closure, trailing: true))
                }
                expr = Expr(.call(callee: expr, arguments: args), expr.range.to(range(from: previous.start)))
            } else if current.isPunct(.lbracket) && !current.atLineStart {
                openBracket()
                let index = try parseExpression()
                try closeBracket(.rbracket, "after the index")
                expr = Expr(.index(expr, index), expr.range.to(range(previous)))
            } else if current.isPunct(.dot) {
                advance()
                let (name, nrange) = try expectFieldName()
                expr = Expr(.field(expr, name: name, nameRange: nrange), expr.range.to(nrange))
            } else if let closure = try parseTrailingClosure() {
                let arg = Argument(label: nil, labelRange: nil, value: closure, trailing: true)
                expr = Expr(.call(callee: expr, arguments: [arg]), expr.range.to(closure.range))
            } else {
                return expr
            }
        }
    }

    /// A field name after '.': a name, or a unit for quantities (`x.ms`, `x.s`).
    mutating func expectFieldName() throws -> (String, SourceRange) {
        switch current.kind {
        case .identifier(let name):
            let r = range(current)
            advance()
            return (name, r)
        case .keyword(let k):
            let r = range(current)
            advance()
            return (k.rawValue, r)
        default:
            throw error(Messages.expected("a field name", "after '.'", found: current.describe))
        }
    }

    /// arguments := argument (',' argument)* ','?
    /// argument  := (IDENT ':')? expression
    mutating func parseArguments(for callee: Expr) throws -> [Argument] {
        openBracket()  // (
        var args: [Argument] = []
        while !current.isPunct(.rparen) {
            var label: String? = nil
            var labelRange: SourceRange? = nil
            if case .identifier(let name) = current.kind, peek().isPunct(.colon) {
                label = name
                labelRange = range(current)
                advance()
                advance()
            } else if args.last?.label != nil {
                throw error(Messages.positionalAfterNamed)
            }
            let value = try parseExpression()
            args.append(Argument(label: label, labelRange: labelRange, value: value))
            if !match(.comma) { break }
        }
        try closeBracket(.rparen, "after arguments")
        return args
    }

    /// trailingClosure := closure          (its '{' on the same line as the call; not in conditions)
    mutating func parseTrailingClosure() throws -> Expr? {
        guard current.isPunct(.lbrace), !current.atLineStart, !noTrailingClosure else { return nil }
        return try parseBraceClosure()
    }

    /// closure := '{' (IDENT (',' IDENT)* '->')? separator* (statement (separator+ statement)*)? separator* '}'
    mutating func parseBraceClosure() throws -> Expr {
        let start = current.start
        var params: [Parameter] = []
        if closureHasParameters() {
            advance()  // {
            while case .identifier(let name) = current.kind {
                if params.contains(where: { $0.name == name }) {
                    throw error(Messages.duplicateParameter + " '\(name)'")
                }
                params.append(Parameter(name: name, range: range(current), defaultValue: nil))
                advance()
                if !match(.comma) { break }
            }
            try expect(.arrow, "after the closure's parameters")
            let body = try parseFunctionBody { p in try p.parseClosureBody(start: start) }
            return Expr(
                .function(FunctionDecl(name: nil, parameters: params, body: body, range: range(from: start))),
                range(from: start))
        }
        advance()  // {
        let body = try parseFunctionBody { p in try p.parseClosureBody(start: start) }
        return Expr(
            .function(FunctionDecl(name: nil, parameters: [], body: body, range: range(from: start))),
            range(from: start))
    }

    mutating func parseClosureBody(start: Int) throws -> Block {
        let savedNesting = nesting
        let savedTrailing = noTrailingClosure
        nesting = 0
        noTrailingClosure = false
        defer {
            nesting = savedNesting
            noTrailingClosure = savedTrailing
            if nesting > 0 { skipNewlines() }
        }
        let statements = try parseStatements(until: "the closure")
        return Block(statements: statements, range: SourceRange(file: file, start: start, end: previous.end))
    }

    /// Whether a '{' starts `{ a, b -> ...}` (scans ahead without consuming).
    mutating func closureHasParameters() -> Bool {
        var i = 0
        func token(_ k: Int) -> Token {
            while lookahead.count <= k { lookahead.append(lexer.next()) }
            return lookahead[k]
        }
        // current is '{'; lookahead[0...] follow it.
        while true {
            let t = token(i)
            if case .newline = t.kind {
                i += 1
                continue
            }
            guard case .identifier = t.kind else { return false }
            var j = i + 1
            while case .newline = token(j).kind { j += 1 }
            let sep = token(j)
            if sep.isPunct(.arrow) { return true }
            guard sep.isPunct(.comma) else { return false }
            i = j + 1
        }
    }
}
