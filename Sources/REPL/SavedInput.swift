import Foundation
import Interpreter
import Lang

/// An input that ran without an error, as `:save` writes it into a script that runs on its own.
///
/// A script has no `_`, `_n` or `Out[n]`, so references to earlier results are rewritten: `_` becomes `_m` for the
/// result it meant when the input ran, `Out[n]` becomes `_n`, and an input whose result is used later is saved as
/// `_n = <input>` followed by `_n` (which shows the value, as the REPL did). `:run file` inputs are inlined.
public struct SavedInput {
    public let text: String
    /// The input's number (`In [n]`); 0 for a `:run` file.
    public let number: Int
    /// The number of the last result shown before this input ran (what `_` meant), 0 if none.
    public let previousResult: Int
    let program: Program?
    /// The script a `:run` input ran.
    let from: String?

    init(text: String, number: Int, previousResult: Int, program: Program?, from: String? = nil) {
        self.text = text
        self.number = number
        self.previousResult = previousResult
        self.program = program
        self.from = from
    }

    /// A reference to an earlier result inside an input: its byte range and the result number it names.
    struct Reference {
        let range: Range<Int>
        let result: Int
    }

    /// `_`, `_n` and `Out[n]` in the input's text (also inside string interpolations).
    func references() -> [Reference] {
        let file = SourceFile(name: "saved", text: text)
        var out: [Reference] = []
        func scan(_ start: Int, _ end: Int) {
            var lexer = Lexer(file: file, start: start, end: end)
            var tokens: [Token] = []
            while true {
                let t = lexer.next()
                if case .eof = t.kind { break }
                tokens.append(t)
            }
            for (i, t) in tokens.enumerated() {
                switch t.kind {
                case .identifier("_") where previousResult > 0:
                    out.append(Reference(range: t.start..<t.end, result: previousResult))
                case .identifier(let name) where name.isNumberedResult:
                    out.append(Reference(range: t.start..<t.end, result: Int(name.dropFirst())!))
                case .identifier("Out")
                where i + 3 < tokens.count && tokens[i + 1].isPunct(.lbracket)
                    && tokens[i + 3].isPunct(.rbracket):
                    if case .number(let n) = tokens[i + 2].kind, let k = n.integer {
                        out.append(Reference(range: t.start..<tokens[i + 3].end, result: k))
                    }
                case .string(let pieces):
                    for case .interpolation(let s, let e) in pieces { scan(s, e) }
                default:
                    break
                }
            }
        }
        scan(0, file.bytes.count)
        return out
    }

    /// The text with every reference written as `_n`.
    func rewritten(_ refs: [Reference]) -> String {
        var bytes = Array(text.utf8)
        for r in refs.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(r.range, with: Array("_\(r.result)".utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the input is one expression statement (so its result can be named).
    var isSingleExpression: Bool {
        guard let p = program, p.statements.count == 1, case .expression = p.statements[0].kind else { return false }
        return true
    }

    /// The script for a session's saved inputs.
    public static func script(_ inputs: [SavedInput]) -> String {
        let refs = inputs.map { $0.from == nil ? $0.references() : [] }
        let used = Set(refs.flatMap { $0.map(\.result) })
        var lines = ["# brpsh session saved by :save"]
        for (input, r) in zip(inputs, refs) {
            if let path = input.from {
                lines.append("# from \(path)")
                lines.append(input.text.trimmingCharacters(in: .newlines))
                continue
            }
            let text = input.rewritten(r)
            if used.contains(input.number) && input.number > 0 {
                if input.isSingleExpression {
                    lines.append("_\(input.number) = \(text)")
                    lines.append("_\(input.number)")
                } else {
                    lines.append(text)
                    lines.append(
                        "# note: In [\(input.number)]'s result is used below, but it is not one expression to name")
                }
            } else {
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
