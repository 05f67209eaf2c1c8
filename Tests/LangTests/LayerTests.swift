import Foundation
import Testing

/// The architecture (docs/architecture.md): two leaves, one adapter. Each module imports only the modules the
/// layer diagram allows, and each C library is imported by exactly one Swift file.
@Suite struct LayerTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    static let architecture = sources.deletingLastPathComponent().appendingPathComponent("docs/architecture.md")

    /// System modules any module may import.
    static let system: Set<String> = ["Foundation", "Glibc", "Darwin", "Dispatch", "Synchronization"]
    static let cLibraries = ["CBLAS", "CEditLine", "CZMQ", "CMemory", "CExactGEMM", "CVector"]

    /// The layer diagram of docs/architecture.md, the one statement of the allowed imports: per module (a line that
    /// starts at the first column of the diagram), the modules after `->` (parenthesised text is a comment; a list
    /// ending in a comma goes on at the next line; `nothing` is none). Modules without `->` import nothing of ours.
    static func allowed() throws -> [String: Set<String>] {
        let page = try String(contentsOf: architecture, encoding: .utf8)
        let parts = page.components(separatedBy: "```")
        guard parts.count >= 3 else { throw LayerError("docs/architecture.md has no diagram (a ``` block)") }
        var blocks: [(String, [String])] = []
        for line in parts[1].split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if let first = line.first, first != " " {
                blocks.append((String(line.split(separator: " ")[0]), [line]))
            } else if !blocks.isEmpty {
                blocks[blocks.count - 1].1.append(line)
            }
        }
        var out: [String: Set<String>] = [:]
        for (module, lines) in blocks {
            // Comments out first (they may span lines and hold arrows of their own), line structure kept.
            var depth = 0
            let text = String(
                lines.joined(separator: "\n").filter { ch in
                    if ch == "(" { depth += 1 }
                    defer { if ch == ")" { depth -= 1 } }
                    return depth == 0 && ch != ")" || ch == "\n"
                })
            guard let arrow = text.range(of: "->") else {
                out[module] = []
                continue
            }
            var rest = text[arrow.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            var list = rest.removeFirst()
            while list.hasSuffix(","), !rest.isEmpty { list += " " + rest.removeFirst() }
            let names = list.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            out[module] = Set(names.filter { $0 != "nothing" })
        }
        return out
    }

    struct LayerError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// An import declaration's module, whatever precedes or qualifies it (`  @preconcurrency import Foo`,
    /// `@_exported import Foo`, `import struct Foo.Bar`, `import Foo.Sub`); nil for a line that is not one.
    static func importedModule(_ line: Substring) -> (module: String, exported: Bool)? {
        var words = line.split(separator: " ").map(String.init)
        var exported = false
        while let w = words.first, w.hasPrefix("@") {
            if w == "@_exported" { exported = true }
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        words.removeFirst()
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var", "actor"]
        if let k = words.first, kinds.contains(k), words.count >= 2 { words.removeFirst() }
        return (String(words[0].split(separator: ".")[0]), exported)
    }

    static func imports() throws -> [(module: String, file: String, imported: String, exported: Bool)] {
        var out: [(String, String, String, Bool)] = []
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources.path)
        for module in modules {
            guard let walker = FileManager.default.enumerator(atPath: sources.appendingPathComponent(module).path)
            else { continue }
            while let file = walker.nextObject() as? String {
                guard file.hasSuffix(".swift") else { continue }
                let text = try String(
                    contentsOf: sources.appendingPathComponent(module).appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let trimmed = line.drop { $0 == " " || $0 == "\t" }
                    if let i = Self.importedModule(trimmed) {
                        out.append((module, "\(module)/\(file)", i.module, i.exported))
                    }
                }
            }
        }
        return out
    }

    @Test func importLinesAreRecognisedWhateverTheirForm() {
        #expect(Self.importedModule("import Foo")?.module == "Foo")
        #expect(Self.importedModule("@preconcurrency import Foo")?.module == "Foo")
        #expect(Self.importedModule("@_exported import Foo")?.exported == true)
        #expect(Self.importedModule("@testable import Foo")?.module == "Foo")
        #expect(Self.importedModule("import struct Foo.Bar")?.module == "Foo")
        #expect(Self.importedModule("import Foo.Sub")?.module == "Foo")
        #expect(Self.importedModule("importer = 1") == nil && Self.importedModule("// import Foo") == nil)
    }

    @Test func theDiagramIsRead() throws {
        let allowed = try Self.allowed()
        #expect(allowed["Lang"] == [] && allowed["Interpreter"] == ["Lang"])
        #expect(allowed["REPL"] == ["Interpreter", "Lang", "Infra", "CEditLine"])
        #expect(allowed["App"]?.isSuperset(of: ["Kernel", "Sweep", "Infra", "ArgumentParser"]) == true)
        #expect(allowed["Kernel"] == ["CZMQ", "Crypto"] && allowed["App"]?.contains("CZMQ") == false)
        #expect(allowed["Builtins"] == ["Interpreter", "Lang", "NASLib", "Infra", "Figures", "RunRecord"])
        #expect(allowed["Figures"] == [])
        #expect(allowed["Infra"] == ["CMemory"] && allowed["NASLib"]?.contains("Infra") == true)
    }

    @Test func modulesImportOnlyTheirLayers() throws {
        let all = try Self.imports()
        let allowed = try Self.allowed()
        #expect(!all.isEmpty)
        for (module, file, imported, exported) in all {
            #expect(!exported, "\(file) re-exports \(imported) (@_exported), which hides it from the layer check")
            guard !Self.system.contains(imported) else { continue }
            let mine = try #require(
                allowed[module], "module \(module) is not in the layer diagram of docs/architecture.md")
            #expect(
                mine.contains(imported),
                "\(file) imports \(imported), which the layer diagram does not allow for \(module)")
        }
    }

    @Test func eachCLibraryHasOneImporter() throws {
        let all = try Self.imports()
        for lib in Self.cLibraries {
            let files = all.filter { $0.imported == lib }.map(\.file)
            #expect(files.count <= 1, "\(lib) is imported by \(files)")
        }
    }

    /// Foundation's `NSString.deletingLastPathComponent` traps on a one-character relative path (`brpsh check b`
    /// crashed with SIGILL): parent directories come from `URL.deletingLastPathComponent()`.
    @Test func noNSStringParentPaths() throws {
        guard let walker = FileManager.default.enumerator(atPath: Self.sources.path) else { return }
        while let file = walker.nextObject() as? String {
            guard file.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(".deletingLastPathComponent") && !line.contains("deletingLastPathComponent()") {
                Issue.record("Sources/\(file):\(n + 1) uses NSString's deletingLastPathComponent: \(line)")
            }
        }
    }
}
