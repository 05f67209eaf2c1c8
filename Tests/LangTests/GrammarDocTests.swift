import Foundation
import Testing

/// docs/language.md must contain every grammar production written in the parser's `///`
/// comments, so the documentation and the parser cannot drift apart.
@Suite struct GrammarDocTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func normalize(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    @Test func everyProductionIsDocumented() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let docLines = Set(doc.components(separatedBy: "\n").map(Self.normalize))
        let sources = Self.root.appendingPathComponent("Sources/Lang")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        var productions = 0
        for f in files {
            let text = try String(contentsOf: sources.appendingPathComponent(f), encoding: .utf8)
            var inProduction = false
            for line in text.components(separatedBy: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("///") else {
                    inProduction = false
                    continue
                }
                let body = String(t.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                if body.contains(":=") || (inProduction && body.hasPrefix("|")) {
                    inProduction = true
                    productions += 1
                    #expect(docLines.contains(Self.normalize(body)), "docs/language.md lacks: \(body) (\(f))")
                } else {
                    inProduction = false
                }
            }
        }
        #expect(productions > 30)
    }
}
