import Foundation
import Interpreter
import Lang
import Testing

@testable import Builtins

/// A session is made from its settings, once, and reads the environment it was given, not the process's.
@Suite struct SessionSettingsTests {
    @Test func theSessionHoldsItsSettingsAndReadsItsOwnEnvironment() throws {
        let dir = NSTemporaryDirectory() + "brpsh-settings-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var settings = SessionSettings(environment: ["BRPSH_DATA": dir + "/no-data", "BRPSH_CACHE": dir + "/cache"])
        settings.seed = 7
        settings.outDir = dir + "/out"
        settings.quiet = true
        settings.overrides = [("runs", "3")]
        let out = StringSink()
        let interpreter = Builtins.makeInterpreter(output: out, settings: settings)
        let run = RunContext.of(interpreter)
        #expect(interpreter.seed == 7 && run.initialSeed == 7)
        #expect(run.outDir == dir + "/out" && run.quiet && run.useCache && run.overrides.map(\.0) == ["runs"])
        #expect(ResultCache(environment: run.environment).directory == dir + "/cache")
        // The benchmark data is looked for where the session's BRPSH_DATA says, whatever the process has.
        let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "t", text: "arch(5).accuracy()"))
        let message = failure?.description ?? ""
        #expect(message.contains(dir + "/no-data"), "\(message)")
        // Another session in the same process, with another environment, is not affected.
        let other = Builtins.makeInterpreter(output: StringSink(), settings: SessionSettings(environment: [:]))
        #expect(RunContext.of(other).environment.isEmpty && RunContext.of(other).initialSeed == 1 && other.seed == 1)
    }
}
