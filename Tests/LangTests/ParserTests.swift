import Lang
import PropertyBased
import Testing

func parse(_ text: String, commands: Set<String> = ["load"]) -> ParseResult {
    Parser.parse(SourceFile(name: "t", text: text), commandNames: commands)
}

/// A compact rendering of expressions, to check precedence and associativity.
func sexpr(_ e: Expr) -> String {
    switch e.kind {
    case .literal(.int(let i)): return String(i)
    case .literal(.number(let d)): return String(d)
    case .literal(.quantity(let v, let u)): return "\(v)\(u.symbol)"
    case .identifier(let n): return n
    case .unary(let op, let x): return "(\(op.rawValue) \(sexpr(x)))"
    case .binary(let op, let a, let b): return "(\(op.rawValue) \(sexpr(a)) \(sexpr(b)))"
    case .logical(let op, let a, let b): return "(\(op.rawValue) \(sexpr(a)) \(sexpr(b)))"
    case .range(let a, let b, let s): return "(.. \(sexpr(a)) \(sexpr(b))\(s.map { " step " + sexpr($0) } ?? ""))"
    case .call(let f, let args):
        return "(call \(sexpr(f))" + args.map { " " + ($0.label.map { $0 + ":" } ?? "") + sexpr($0.value) }.joined()
            + ")"
    case .field(let b, let n, _): return "(. \(sexpr(b)) \(n))"
    case .index(let b, let i): return "([] \(sexpr(b)) \(sexpr(i)))"
    default: return "?"
    }
}

func expression(_ text: String) -> String {
    let r = parse(text)
    guard r.diagnostics.isEmpty, let s = r.program.statements.first, case .expression(let e) = s.kind else {
        return "error: \(r.diagnostics.map(\.message))"
    }
    return sexpr(e)
}

@Suite struct ParserTests {
    @Test func precedence() {
        #expect(expression("1 + 2 * 3") == "(+ 1 (* 2 3))")
        #expect(expression("-2 ** 2") == "(- (** 2 2))")
        #expect(expression("2 ** 3 ** 2") == "(** 2 (** 3 2))")
        #expect(expression("a or b and not c") == "(or a (and b (not c)))")
        #expect(expression("a + 1 < b * 2") == "(< (+ a 1) (* b 2))")
        #expect(expression("1ms..7ms step 0.1") == "(.. 1.0ms 7.0ms step 0.1)")
        #expect(expression("f(x, n: 2).y[0]") == "([] (. (call f x n:2) y) 0)")
        #expect(expression("x in 1..3") == "(in x (.. 1 3))")
    }

    @Test func comparisonsDoNotChain() {
        #expect(parse("1 < 2 < 3").diagnostics.first?.message == Messages.comparisonChain)
    }

    @Test func commandSyntax() {
        let r = parse("load latbench \"nb 201\" hw-nas-bench; x = 1")
        #expect(r.diagnostics.isEmpty)
        guard case .command(let name, _, let words) = r.program.statements[0].kind else {
            Issue.record("expected a command")
            return
        }
        #expect(name == "load")
        #expect(words.map(\.text) == ["latbench", "nb 201", "hw-nas-bench"])
        #expect(r.program.statements.count == 2)
        // Commas separate words like spaces do.
        if case .command(_, _, let w) = parse("load latbench, nb201 ,hw,\"a,b\"").program.statements[0].kind {
            #expect(w.map(\.text) == ["latbench", "nb201", "hw", "a,b"])
        } else {
            Issue.record("expected a command")
        }
        // Not a command: a call, an assignment, a bare name.
        for text in ["load(\"x\")", "load = 3", "load"] {
            guard case .command = parse(text).program.statements[0].kind else { continue }
            Issue.record("'\(text)' parsed as a command")
        }
    }

    @Test func incompleteInputAsksForMore() {
        for text in ["f(1,", "if x {", "[1, 2", "x = 1 +", "fn f() {\n  1"] {
            #expect(parse(text).incomplete, "\(text)")
        }
        for text in ["f(1))", "x = = 1"] {
            #expect(!parse(text).incomplete, "\(text)")
        }
    }

    @Test func severalErrorsInOnePass() {
        let r = parse("x = (1 +\ny = 2 2\nz = ]\n")
        #expect(r.diagnostics.count >= 2)
    }

    @Test func trailingClosureNotInConditions() {
        let r = parse("for x in xs { print(x) }")
        #expect(r.diagnostics.isEmpty)
        let t = parse("repeat(3) { s -> s * 2 }")
        #expect(t.diagnostics.isEmpty)
        if case .expression(let e) = t.program.statements[0].kind, case .call(_, let args) = e.kind {
            #expect(args.count == 2)
        } else {
            Issue.record("expected a call with a trailing closure")
        }
    }

    /// Property: the parser returns (never traps or loops) on random token soup.
    @Test func parserNeverCrashesOnRandomInput() async {
        let pieces = [
            "x", "1", "2ms", "(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "*", "**", "..", "step",
            "if", "else", "for", "in", "fn", "return", "\n", ";", "\"s\"", "->", "load", "and", "not", ".",
        ]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40)) { idx in
            let text = idx.map { pieces[$0] }.joined(separator: " ")
            let r = parse(text)
            #expect(r.program.statements.count <= idx.count + 1)
        }
    }
}
