import Builtins
import Foundation
import Interpreter
import Testing

@Suite struct BuiltinTableTests {
    @Test func everyBuiltinIsDocumented() {
        for b in Builtins.all() {
            #expect(!b.doc.isEmpty, "\(b.name) has no doc")
            #expect(b.doc.hasSuffix(".") || b.doc.hasSuffix(")"), "\(b.name): doc should be a sentence")
        }
        let names = Builtins.all().map(\.name)
        #expect(Set(names).count == names.count, "duplicate builtin names")
    }

    /// docs/builtins.md is generated from the table (`brpsh --builtins-markdown > docs/builtins.md`).
    @Test func builtinsMarkdownIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/builtins.md"), encoding: .utf8)
        #expect(
            doc == Help.markdown(Builtins.all()),
            "docs/builtins.md is stale: run `swift run brpsh --builtins-markdown > docs/builtins.md`")
    }
}
