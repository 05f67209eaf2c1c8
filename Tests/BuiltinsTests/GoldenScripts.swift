import Builtins
import Foundation
import Interpreter
import Lang
import REPL
import TestSupport
import Testing

/// Golden scripts: `Tests/Scripts/<group>/*.brp`. Each script states what it must print:
///
///     print(1 + 1)        # expect: 2
///     # expect: a line of output (in order; all output lines must be listed)
///     # error 3:5: message      (an error this script must report, at line 3 column 5)
///     # exit: 70                (the expected exit status; default 0)
///     # needs: data             (reported as skipped when no benchmark data is found)
struct GoldenScript: CustomTestStringConvertible, Sendable {
    let group: String
    let path: String
    var testDescription: String { "\(group)/\((path as NSString).lastPathComponent)" }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts")

    static func all(_ group: String) -> [GoldenScript] {
        let dir = root.appendingPathComponent(group)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".brp") }.sorted().map {
            GoldenScript(group: group, path: dir.appendingPathComponent($0).path)
        }
    }

    /// A group's scripts that do (or do not) declare `# needs: data`.
    static func all(_ group: String, needsData: Bool) -> [GoldenScript] {
        all(group).filter { script in
            let text = (try? String(contentsOfFile: script.path, encoding: .utf8)) ?? ""
            return expectations(text).needsData == needsData
        }
    }

    /// Every group's scripts that need the benchmark data.
    static let groups = ["language", "errors", "builtins", "regression", "naslib"]
    static var needingData: [GoldenScript] { groups.flatMap { all($0, needsData: true) } }

    struct Expectations {
        var output: [String] = []
        var errors: [(line: Int, column: Int, message: String)] = []
        var exit: Int32 = 0
        var needsData = false
    }

    static func expectations(_ text: String) -> Expectations {
        var e = Expectations()
        for line in text.components(separatedBy: "\n") {
            if let r = line.range(of: "# expect:") {
                var s = String(line[r.upperBound...])
                if s.hasPrefix(" ") { s.removeFirst() }
                e.output.append(s)
            } else if let r = line.range(of: "# error ") {
                let parts = line[r.upperBound...].split(separator: ":", maxSplits: 2)
                if parts.count == 3, let l = Int(parts[0]), let c = Int(parts[1]) {
                    e.errors.append((l, c, parts[2].trimmingCharacters(in: .whitespaces)))
                }
            } else if let r = line.range(of: "# exit:") {
                e.exit = Int32(line[r.upperBound...].trimmingCharacters(in: .whitespaces)) ?? -1
            } else if line.contains("# needs: data") {
                e.needsData = true
            }
        }
        return e
    }

    /// Runs the script in-process; returns (stdout, stderr, exit status).
    func run() throws -> (String, String, Int32) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let out = StringSink()
        let interpreter = Builtins.makeInterpreter(
            output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        RunContext.of(interpreter).useCache = false  // golden runs never read or fill the user's cache
        let pipeline = Pipeline(interpreter: interpreter)
        let name = testDescription
        // Deep recursion needs the stack the command-line tool gives the interpreter.
        let failure = Terminal.withLargeStack { pipeline.run(SourceFile(name: name, text: text)) }
        return (out.text, failure.map { $0.description + "\n" } ?? "", failure.exitCode.rawValue)
    }
}

func check(_ script: GoldenScript) throws {
    let text = try String(contentsOfFile: script.path, encoding: .utf8)
    let expected = GoldenScript.expectations(text)
    let (out, err, code) = try script.run()
    var lines = out.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    #expect(lines == expected.output, "output of \(script.testDescription); stderr:\n\(err)")
    #expect(code == expected.exit, "exit status of \(script.testDescription); stderr:\n\(err)")
    let headers = err.components(separatedBy: "\n").filter { $0.hasPrefix(script.testDescription + ":") }
    #expect(headers.count == expected.errors.count, "errors of \(script.testDescription):\n\(err)")
    for e in expected.errors {
        let want = "\(script.testDescription):\(e.line):\(e.column): error: \(e.message)"
        #expect(headers.contains(want), "missing error '\(want)' in:\n\(err)")
    }
}

@Suite struct GoldenLanguage {
    @Test(arguments: GoldenScript.all("language", needsData: false)) func language(_ s: GoldenScript) throws {
        try check(s)
    }
    @Test(arguments: GoldenScript.all("errors", needsData: false)) func errors(_ s: GoldenScript) throws {
        try check(s)
    }
    @Test(arguments: GoldenScript.all("builtins", needsData: false)) func builtins(_ s: GoldenScript) throws {
        try check(s)
    }
    @Test(arguments: GoldenScript.all("regression", needsData: false)) func regression(_ s: GoldenScript) throws {
        try check(s)
    }
    @Test(arguments: GoldenScript.all("naslib", needsData: false)) func naslib(_ s: GoldenScript) throws {
        try check(s)
    }
    @Test(.needsData, arguments: GoldenScript.needingData) func withData(_ s: GoldenScript) throws { try check(s) }

    @Test func everyGroupHasScripts() {
        for g in ["language", "errors", "builtins"] { #expect(!GoldenScript.all(g).isEmpty, "\(g) has no scripts") }
    }
}
