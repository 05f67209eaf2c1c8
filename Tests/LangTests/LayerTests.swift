import Foundation
import Testing

/// The architecture (docs/architecture.md): two leaves, one adapter. Each module imports only the modules the
/// layer diagram allows, and each C library is imported by exactly one Swift file.
@Suite struct LayerTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Our modules and system modules each module may import.
    static let system: Set<String> = ["Foundation", "Glibc", "Darwin", "Dispatch", "Synchronization"]
    static let allowed: [String: Set<String>] = [
        "Lang": [],
        "Interpreter": ["Lang"],
        "NASLib": ["CBLAS", "Crypto"],
        "Builtins": ["Interpreter", "Lang", "NASLib"],
        "REPL": ["Interpreter", "Lang", "CEditLine"],
        "Kernel": ["Crypto"],
        "App": ["REPL", "Builtins", "Interpreter", "Lang", "NASLib", "Kernel", "ArgumentParser", "Crypto", "CZMQ"],
        "brpsh": ["App"],
        "Bench": ["NASLib"],
    ]
    static let cLibraries = ["CBLAS", "CEditLine", "CZMQ"]

    static func imports() throws -> [(module: String, file: String, imported: String)] {
        var out: [(String, String, String)] = []
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources.path)
        for module in modules {
            guard let walker = FileManager.default.enumerator(atPath: sources.appendingPathComponent(module).path)
            else { continue }
            while let file = walker.nextObject() as? String {
                guard file.hasSuffix(".swift") else { continue }
                let text = try String(
                    contentsOf: sources.appendingPathComponent(module).appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                    out.append(
                        (module, "\(module)/\(file)", String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces)))
                }
            }
        }
        return out
    }

    @Test func modulesImportOnlyTheirLayers() throws {
        let all = try Self.imports()
        #expect(!all.isEmpty)
        for (module, file, imported) in all where !Self.system.contains(imported) {
            let allowed = try #require(Self.allowed[module], "module \(module) is not in the layer diagram")
            #expect(
                allowed.contains(imported),
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
