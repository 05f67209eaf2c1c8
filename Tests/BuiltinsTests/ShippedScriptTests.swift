import Builtins
import Foundation
import Interpreter
import Lang
import Testing

/// The scripts the repository ships (scripts/, examples/) parse cleanly and pass the static
/// argument check: a mistake in a long reproduction should fail here, not an hour into a run.
@Suite struct ShippedScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var scripts: [String] {
        var found: [String] = []
        for dir in ["scripts", "examples"] {
            let base = root.appendingPathComponent(dir)
            guard let e = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let path as String in e where path.hasSuffix(".brp") { found.append("\(dir)/\(path)") }
        }
        return found.sorted()
    }

    @Test func thereAreScripts() { #expect(Self.scripts.count >= 10) }

    @Test(arguments: scripts) func parses(_ path: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
        let interpreter = Builtins.makeInterpreter(
            output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        let result = interpreter.parse(SourceFile(name: path, text: text))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map { "\($0)" }.joined(separator: "\n"))")
        let problems = StaticCheck.check(result.program, interpreter)
        #expect(problems.isEmpty, "\(problems.map { "\($0)" }.joined(separator: "\n"))")
    }
}
