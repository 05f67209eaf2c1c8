import Builtins
import Foundation
import Interpreter
import Lang
import Testing

/// `nb101(file)`: a user's NAS-Bench-101 JSON-lines file as records (cells pruned as NAS-Bench-101 does), and a
/// clear error with file and line for a bad cell.
@Suite struct NB101BuiltinTests {
    static func run(_ code: String) -> (StringSink, Pipeline.Failure?) {
        let out = StringSink()
        let interpreter = Builtins.makeInterpreter(
            output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        return (out, Pipeline(interpreter: interpreter).run(SourceFile(name: "t", text: code)))
    }

    @Test func readsAndPrunesCells() throws {
        let path = NSTemporaryDirectory() + "nb101-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        {"adjacency": [[0,1,1],[0,0,1],[0,0,0]], "ops": ["input", "conv3x3-bn-relu", "output"], "metrics": {"accuracy": 91.2}}
        # a comment
        {"adjacency": [[0,1,0,0],[0,0,0,1],[0,0,0,1],[0,0,0,0]], "ops": ["input","conv1x1","maxpool","output"], "metrics": {"accuracy": 90.1}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (out, failure) = Self.run(
            "m = nb101(\"\(path)\")\nprint(len(m), m[1].line, m[1].nodes, m[1].edges, m[1].ops[1], mean(map(m) { x -> x.accuracy }))"
        )
        #expect(failure == nil, "\(failure?.description ?? "")")
        // The maxpool node of line 3 reaches the output but not from the input: pruned.
        #expect(out.text == "2 3 3 2 conv1x1-bn-relu 90.65\n")
        try "{\"adjacency\": [[0,1],[1,0]], \"ops\": [\"input\",\"output\"]}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let (_, bad) = Self.run("nb101(\"\(path)\")")
        #expect(bad?.description.contains("\(path):1: the NB101 adjacency must be strictly upper-triangular") == true)
    }
}
