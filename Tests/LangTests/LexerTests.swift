import Lang
import PropertyBased
import Testing

func tokens(_ text: String) -> [TokenKind] {
    var lexer = Lexer(file: SourceFile(name: "t", text: text))
    var out: [TokenKind] = []
    while true {
        let t = lexer.next()
        out.append(t.kind)
        if case .eof = t.kind { return out }
    }
}

func number(_ v: Double, int: Int? = nil, unit: PhysicalUnit? = nil, _ text: String) -> TokenKind {
    .number(NumberLiteral(value: v, integer: int, unit: unit, text: text))
}

@Suite struct LexerTests {
    @Test func numbersAndUnits() {
        #expect(
            tokens("1ms 250us 0.5s 5% 8e-4 1_000") == [
                number(1, unit: .ms, "1"), number(250, unit: .us, "250"), number(0.5, unit: .s, "0.5"),
                number(5, unit: .percent, "5"), number(8e-4, "8e-4"), number(1000, int: 1000, "1000"), .eof,
            ])
    }

    @Test func percentVersusRemainder() {
        #expect(tokens("5%2") == [number(5, int: 5, "5"), .punct(.percent), number(2, int: 2, "2"), .eof])
        #expect(tokens("5% + x") == [number(5, unit: .percent, "5"), .punct(.plus), .identifier("x"), .eof])
        #expect(tokens("a % b") == [.identifier("a"), .punct(.percent), .identifier("b"), .eof])
    }

    @Test func rangeDotsAfterIntegers() {
        #expect(tokens("1..5") == [number(1, int: 1, "1"), .punct(.dotdot), number(5, int: 5, "5"), .eof])
        #expect(tokens("1.5..2") == [number(1.5, "1.5"), .punct(.dotdot), number(2, int: 2, "2"), .eof])
    }

    @Test func unknownUnitIsAnErrorToken() {
        guard case .error(let m) = tokens("2x")[0] else {
            Issue.record("expected an error token")
            return
        }
        #expect(m.hasPrefix("unknown unit 'x' after number 2"))
    }

    @Test func stringsWithEscapesAndInterpolation() {
        let t = tokens(#""a\n\(x + 1)b""#)
        guard case .string(let pieces) = t[0] else {
            Issue.record("expected a string")
            return
        }
        #expect(pieces.count == 3)
        #expect(pieces[0] == .text("a\n"))
        #expect(pieces[2] == .text("b"))
    }

    @Test func newlinesCollapseAndCommentsVanish() {
        #expect(tokens("a # c\n\n  # only a comment\nb") == [.identifier("a"), .newline, .identifier("b"), .eof])
    }

    @Test func keywordsAndOperators() {
        #expect(
            tokens("if x >= 1 and not y { } ** -> ..") == [
                .keyword(.if), .identifier("x"), .punct(.ge), number(1, int: 1, "1"), .keyword(.and), .keyword(.not),
                .identifier("y"), .punct(.lbrace), .punct(.rbrace), .punct(.starstar), .punct(.arrow), .punct(.dotdot),
                .eof,
            ])
    }

    /// Property: the lexer terminates on any bytes, never traps, and its tokens tile the input
    /// in order (each token starts at or after the previous one's end).
    @Test func lexerNeverCrashesOnRandomBytes() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...200)) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            var lexer = Lexer(file: SourceFile(name: "fuzz", text: text))
            var last = 0
            var steps = 0
            while true {
                let t = lexer.next()
                #expect(t.start >= last)
                #expect(t.end >= t.start)
                last = t.end
                steps += 1
                if case .eof = t.kind { break }
                if steps > 10_000 {
                    Issue.record("lexer did not terminate")
                    break
                }
            }
        }
    }
}
