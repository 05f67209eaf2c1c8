extension Parser {
    /// program := separator* (statement (separator+ statement)*)? separator* EOF
    /// separator := NEWLINE | ';'
    mutating func parseProgram() -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipSeparators()
            if atEnd || abandoned { break }
            if current.isPunct(.rbrace) {
                _ = error(Messages.unexpected("'}'", "(no block is open)"))
                advance()
                continue
            }
            if let s = parseStatementRecovering() { statements.append(s) }
        }
        return statements
    }

    mutating func skipSeparators() {
        while true {
            switch current.kind {
            case .newline: advance()
            case .punct(.semicolon): advance()
            default: return
            }
        }
    }

    /// Parses one statement; on a syntax error, records it and skips to the next statement.
    mutating func parseStatementRecovering() -> Stmt? {
        do {
            let s = try parseStatement()
            if !atSeparator {
                throw error(Messages.expected("a newline or ';'", "after the statement", found: current.describe))
            }
            return s
        } catch {
            synchronize()
            return nil
        }
    }

    /// statement := command | fnDecl | forStmt | whileStmt | 'break' | 'continue' | returnStmt
    ///            | letStmt | assignment | expression
    mutating func parseStatement() throws -> Stmt {
        let start = current.start
        switch current.kind {
        case .keyword(.fn):
            if case .identifier = peek().kind { return try parseFunctionDeclaration() }
        case .keyword(.for): return try parseFor()
        case .keyword(.while): return try parseWhile()
        case .keyword(.break), .keyword(.continue):
            let isBreak = current.isKeyword(.break)
            if loopDepth == 0 {
                throw error(Messages.outsideLoop(isBreak ? "break" : "continue"), at: range(current))
            }
            advance()
            return Stmt(isBreak ? .breakLoop : .continueLoop, range(from: start))
        case .keyword(.return): return try parseReturn()
        case .keyword(.let): return try parseLet()
        case .identifier(let name) where commandNames.contains(name) && startsCommand():
            return try parseCommand(name: name)
        default:
            break
        }
        return try parseAssignmentOrExpression()
    }

    /// fnDecl := 'fn' IDENT '(' parameters? ')' block
    mutating func parseFunctionDeclaration() throws -> Stmt {
        let start = current.start
        advance()  // fn
        let (name, _) = try expectIdentifier("after 'fn'")
        let decl = try parseFunctionRest(name: name, start: start)
        return Stmt(.function(decl), range(from: start))
    }

    /// The part of a function after `fn` or `fn name`: '(' parameters? ')' block
    /// parameters := parameter (',' parameter)* ','?
    /// parameter  := IDENT (':' expression)?
    mutating func parseFunctionRest(name: String?, start: Int) throws -> FunctionDecl {
        guard current.isPunct(.lparen) else {
            throw error(
                Messages.expected(
                    "'('", "to start the parameter list of " + (name.map { "'\($0)'" } ?? "the function"),
                    found: current.describe))
        }
        openBracket()
        var params: [Parameter] = []
        while !current.isPunct(.rparen) {
            params.append(try parseParameter(after: params))
            if !match(.comma) { break }
        }
        try closeBracket(.rparen, "after the parameters")
        let body = try parseFunctionBody { p in try p.parseBlock("the function body") }
        return FunctionDecl(name: name, parameters: params, body: body, range: range(from: start))
    }

    mutating func parseParameter(after params: [Parameter]) throws -> Parameter {
        let (pname, prange) = try expectIdentifier("in the parameter list")
        if params.contains(where: { $0.name == pname }) {
            throw error(Messages.duplicateParameter + " '\(pname)'", at: prange)
        }
        var defaultValue: Expr? = nil
        if match(.colon) {
            defaultValue = try parseExpression()
        } else if params.last?.defaultValue != nil {
            throw error(Messages.defaultBeforeRequired + " ('\(pname)')", at: prange)
        }
        return Parameter(name: pname, range: prange, defaultValue: defaultValue)
    }

    /// forStmt := 'for' IDENT (',' IDENT)* 'in' expression block
    mutating func parseFor() throws -> Stmt {
        let start = current.start
        advance()
        let (first, firstRange) = try expectIdentifier("after 'for'")
        var vrange = firstRange
        var variables = [first]
        while match(.comma) {
            let (next, nrange) = try expectIdentifier("after ',' in the loop variables")
            if variables.contains(next) { throw error(Messages.duplicateParameter + " '\(next)'", at: nrange) }
            variables.append(next)
            vrange = vrange.to(nrange)
        }
        guard matchKeyword(.in) else {
            throw error(Messages.expected("'in'", "after the loop variable", found: current.describe))
        }
        let sequence = try parseCondition()
        let body = try parseLoopBody("the 'for' loop")
        return Stmt(
            .forLoop(variables: variables, variableRange: vrange, sequence: sequence, body: body),
            range(from: start))
    }

    /// whileStmt := 'while' expression block
    mutating func parseWhile() throws -> Stmt {
        let start = current.start
        advance()
        let condition = try parseCondition()
        let body = try parseLoopBody("the 'while' loop")
        return Stmt(.whileLoop(condition: condition, body: body), range(from: start))
    }

    /// An expression before a statement's block: a `{` there opens the block, not a closure.
    mutating func parseCondition() throws -> Expr {
        let saved = noTrailingClosure
        noTrailingClosure = true
        defer { noTrailingClosure = saved }
        return try parseExpression()
    }

    /// returnStmt := 'return' expression?
    mutating func parseReturn() throws -> Stmt {
        let start = current.start
        if functionDepth == 0 { throw error(Messages.returnOutsideFunction, at: range(current)) }
        advance()
        if atSeparator { return Stmt(.returnValue(nil), range(from: start)) }
        let value = try parseExpression()
        return Stmt(.returnValue(value), range(from: start))
    }

    /// letStmt := 'let' IDENT '=' expression
    mutating func parseLet() throws -> Stmt {
        let start = current.start
        advance()
        let (name, nrange) = try expectIdentifier("after 'let'")
        try expect(.assign, "after the name in 'let'")
        skipNewlines()
        let value = try parseExpression()
        return Stmt(.letBinding(name: name, nameRange: nrange, value: value), range(from: start))
    }

    /// assignment := target ('=' | '+=' | '-=' | '*=' | '/=') expression
    /// target     := IDENT ('.' IDENT | '[' expression ']')*
    mutating func parseAssignmentOrExpression() throws -> Stmt {
        let start = current.start
        let expr = try parseExpression()
        let ops: [(Punct, BinaryOp?)] = [
            (.assign, nil), (.plusAssign, .add), (.minusAssign, .subtract), (.starAssign, .multiply),
            (.slashAssign, .divide),
        ]
        for (p, op) in ops where current.isPunct(p) {
            guard Parser.isAssignable(expr) else { throw error(Messages.badAssignTarget, at: expr.range) }
            advance()
            skipNewlines()  // `x =` continues on the next line
            let value = try parseExpression()
            return Stmt(.assign(target: expr, op: op, value: value), range(from: start))
        }
        return Stmt(.expression(expr), range(from: start))
    }

    static func isAssignable(_ e: Expr) -> Bool {
        switch e.kind {
        case .identifier: return true
        case .field(let base, _, _), .index(let base, _): return isAssignable(base)
        default: return false
        }
    }

    mutating func parseLoopBody(_ owner: String) throws -> Block {
        loopDepth += 1
        defer { loopDepth -= 1 }
        return try parseBlock(owner)
    }

    /// A function's body: `break` and `continue` cannot reach loops outside it.
    mutating func parseFunctionBody(_ body: (inout Parser) throws -> Block) throws -> Block {
        let savedLoops = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer {
            loopDepth = savedLoops
            functionDepth -= 1
        }
        return try body(&self)
    }

    /// block := '{' separator* (statement (separator+ statement)*)? separator* '}'
    mutating func parseBlock(_ owner: String) throws -> Block {
        try nest()
        defer { depth -= 1 }
        let open = current
        guard current.isPunct(.lbrace) else {
            throw error(Messages.expected("'{'", "to start \(owner)", found: current.describe))
        }
        let savedNesting = nesting
        let savedTrailing = noTrailingClosure
        nesting = 0
        noTrailingClosure = false
        advance()
        defer {
            nesting = savedNesting
            noTrailingClosure = savedTrailing
            if nesting > 0 { skipNewlines() }
        }
        let statements = try parseStatements(until: owner)
        return Block(statements: statements, range: SourceRange(file: file, start: open.start, end: previous.end))
    }

    /// The statements of a block up to and including its closing '}'.
    mutating func parseStatements(until owner: String) throws -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipSeparators()
            if current.isPunct(.rbrace) { break }
            if atEnd {
                throw error(Messages.expected("'}'", "to close \(owner)", found: current.describe))
            }
            if let s = parseStatementRecovering() { statements.append(s) }
            // Input too deep or too long to go on: give up on the whole file (recovery would not advance).
            if abandoned { throw Failure() }
        }
        advance()  // '}'
        return statements
    }
}
