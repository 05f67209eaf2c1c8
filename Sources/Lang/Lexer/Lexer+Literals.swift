extension Lexer {
    /// number := digits ('.' digits)? (('e'|'E') ('+'|'-')? digits)? unit?
    /// unit   := 's' | 'ms' | 'us' | 'µs' | 'ns' | '%' | 'J' | 'mJ' | 'uJ'   (no space before it)
    ///
    /// `%` right after a number is the percent unit unless an operand follows it directly
    /// (`5%2` is a remainder, `5%` and `5% + x` are percentages).
    mutating func lexNumber() -> TokenKind {
        let start = position
        var isInteger = true
        while let c = peekByte(), Lexer.isDigit(c) || c == UInt8(ascii: "_") { position += 1 }
        if peekByte() == UInt8(ascii: "."), let d = peekByte(1), Lexer.isDigit(d) {
            isInteger = false
            position += 1
            while let c = peekByte(), Lexer.isDigit(c) || c == UInt8(ascii: "_") { position += 1 }
        }
        if let e = peekByte(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var k = 1
            if let s = peekByte(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k = 2 }
            if let d = peekByte(k), Lexer.isDigit(d) {
                isInteger = false
                position += k
                while let c = peekByte(), Lexer.isDigit(c) { position += 1 }
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self).replacingUnderscores()
        guard let value = Double(text) else { return .error(Messages.malformedNumber(text)) }
        guard value.isFinite else { return .error(Messages.numberTooLarge(text)) }
        let integer = isInteger ? Int(text) : nil
        if isInteger && integer == nil { return .error(Messages.integerTooLarge(text)) }
        // PhysicalUnit suffix.
        let unitStart = position
        if peekByte() == UInt8(ascii: "%") {
            let after = peekByte(1)
            let operandFollows =
                after.map {
                    Lexer.isIdentContinue($0) || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[")
                        || $0 == UInt8(ascii: "\"")
                } ?? false
            if !operandFollows {
                position += 1
                return .number(NumberLiteral(value: value, integer: nil, unit: .percent, text: text))
            }
        } else if let c = peekByte(), Lexer.isIdentStart(c) || c == 0xC2 || c == 0xCE {
            if c == 0xC2 || c == 0xCE { position += 2 }
            while let d = peekByte(), Lexer.isIdentContinue(d) { position += 1 }
            let suffix = String(decoding: bytes[unitStart..<position], as: UTF8.self)
            guard let unit = PhysicalUnit(suffix: suffix) else {
                let known = PhysicalUnit.allCases.map(\.symbol).joined(separator: ", ")
                return .error(Messages.unknownUnit(suffix, after: text, known: known))
            }
            return .number(NumberLiteral(value: value, integer: nil, unit: unit, text: text))
        }
        return .number(NumberLiteral(value: value, integer: integer, unit: nil, text: text))
    }

    /// string := '"' (char | escape | '\(' expression ')')* '"'
    /// escape := '\n' | '\t' | '\r' | '\0' | '\\' | '\"' | '\u{' hex+ '}'
    mutating func lexString() -> TokenKind {
        guard stringDepth < Lexer.maxStringDepth else { return .error(Messages.stringsTooDeep(Lexer.maxStringDepth)) }
        stringDepth += 1
        defer { stringDepth -= 1 }
        position += 1  // opening quote
        var pieces: [StringPiece] = []
        var buffer: [UInt8] = []
        func flush() {
            if !buffer.isEmpty { pieces.append(.text(String(decoding: buffer, as: UTF8.self))) }
            buffer.removeAll()
        }
        while true {
            guard let c = peekByte(), c != UInt8(ascii: "\n") else {
                return .error(Messages.unterminatedString)
            }
            position += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") {
                buffer.append(c)
                continue
            }
            guard let e = peekByte() else { return .error(Messages.unterminatedString) }
            position += 1
            switch e {
            case UInt8(ascii: "n"): buffer.append(10)
            case UInt8(ascii: "t"): buffer.append(9)
            case UInt8(ascii: "r"): buffer.append(13)
            case UInt8(ascii: "0"): buffer.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): buffer.append(e)
            case UInt8(ascii: "u"):
                guard let scalar = lexUnicodeEscape() else { return .error(Messages.malformedUnicodeEscape) }
                buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            case UInt8(ascii: "("):
                flush()
                let exprStart = position
                let skipped = skipInterpolation()
                guard case .success(let exprEnd) = skipped else {
                    if case .failure(let inner) = skipped, let message = inner.message { return .error(message) }
                    return .error(Messages.unterminatedInterpolation)
                }
                pieces.append(.interpolation(start: exprStart, end: exprEnd))
            default:
                return .error(Messages.unknownEscape(String(UnicodeScalar(e))))
            }
        }
        flush()
        return .string(pieces)
    }

    private mutating func lexUnicodeEscape() -> UnicodeScalar? {
        guard peekByte() == UInt8(ascii: "{") else { return nil }
        position += 1
        var value: UInt32 = 0
        var digits = 0
        while let c = peekByte(), c != UInt8(ascii: "}") {
            guard let h = Lexer.hexValue(c), digits < 8 else { return nil }
            value = value * 16 + UInt32(h)
            digits += 1
            position += 1
        }
        guard peekByte() == UInt8(ascii: "}"), digits > 0 else { return nil }
        position += 1
        return UnicodeScalar(value)
    }

    /// Skips an interpolated expression up to its closing ')', returning the offset of that ')'.
    /// Nested parentheses and strings inside are skipped whole.
    private mutating func skipInterpolation() -> Result<Int, InnerError> {
        var depth = 1
        while let c = peekByte(), c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "(") {
                depth += 1
            } else if c == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 {
                    let close = position
                    position += 1
                    return .success(close)
                }
            } else if c == UInt8(ascii: "\"") {
                if case .error(let message) = lexString() { return .failure(InnerError(message: message)) }
                continue
            }
            position += 1
        }
        return .failure(InnerError(message: nil))
    }

    /// Why an interpolation could not be skipped: a string inside it failed (its message), or no ')' (nil).
    struct InnerError: Error {
        let message: String?
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c) - 48
        case 65...70: return Int(c) - 55
        case 97...102: return Int(c) - 87
        default: return nil
        }
    }
}

extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
