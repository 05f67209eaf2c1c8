import App
import Builtins
import Foundation
import Interpreter
import Lang
import REPL
import Testing

/// Drives a session with lines, without a terminal.
final class SessionHarness {
    let out = StringSink()
    let err = StringSink()
    let session: Session

    init() {
        session = Session(
            interpreter: Builtins.makeInterpreter(
                output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment)), output: out,
            errors: err)
    }

    @discardableResult
    func push(_ lines: String...) -> [Session.PushResult] { lines.map(session.push) }
}

@Suite struct SessionTests {
    @Test func numberedResults() {
        let h = SessionHarness()
        #expect(h.push("1 + 1") == [.ran])
        #expect(h.out.text == "Out[1]: 2\n")
        h.push("x = 10", "_ * x", "Out[1] + _3")
        #expect(h.out.text.contains("Out[3]: 20"))
        #expect(h.out.text.contains("Out[4]: 22"))
        #expect(h.session.prompt == "In [5]: ")
    }

    @Test func continuationLines() {
        let h = SessionHarness()
        #expect(
            h.push("xs = [1,", "2]", "fn f(a) {", "a * 2", "}", "f(len(xs))") == [
                .needMore, .ran, .needMore, .needMore, .ran, .ran,
            ])
        #expect(h.out.text == "Out[3]: 4\n")
    }

    @Test func errorsKeepTheSession() {
        let h = SessionHarness()
        h.push("best = 5")
        #expect(h.push("best = best + \"x\"") == [.failed])
        #expect(h.push("y = )") == [.failed])
        h.push("best")
        #expect(h.out.text.hasSuffix("Out[4]: 5\n"))
        #expect(h.err.text.contains("In[2]:1:8: error: cannot add integer 5 and string \"x\""))
    }

    @Test func staticCheckStopsAnInputBeforeItRuns() {
        let h = SessionHarness()
        #expect(h.push("z = 1; round(2.5, places: 1)") == [.failed])
        #expect(h.err.text.contains("In[1]:1:19: error: unknown argument 'places' to 'round' (accepted: x, digits)"))
        #expect(h.push("z") == [.failed])  // nothing of the input ran
        #expect(h.err.text.contains("unknown name 'z'"))
    }

    @Test func replCommands() throws {
        let h = SessionHarness()
        h.push("a = 1", "b = [1, 2]")
        h.push(":vars")
        #expect(h.out.text.contains("a     int   1"))
        #expect(h.push(":time 1 + 1") == [.ran])
        #expect(h.out.text.contains("time: "))
        let path = NSTemporaryDirectory() + "brpsh-session-\(UInt32.random(in: 0...UInt32.max)).brp"
        h.push(":save \(path)")
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("a = 1\nb = [1, 2]"))
        h.push(":reset")
        #expect(h.push("a") == [.failed])
        h.push(":run \(path)")
        h.push("a + 1")
        #expect(h.out.text.hasSuffix("2\n"))
        #expect(h.push(":bogus") == [.failed])
        #expect(h.err.text.contains("unknown command ':bogus'"))
        #expect(h.push(":quit") == [.quit])
    }

    @Test func completion() {
        let h = SessionHarness()
        h.push("fn myfunction(alpha, beta: 2) { alpha }", "rec = {within5: 1, within10: 2}")
        let c = Completer(session: h.session)
        #expect(c.complete(line: "myfu", cursor: 4).candidates == ["myfunction"])
        #expect(c.complete(line: "myfunction(al", cursor: 13).candidates.first == "alpha:")
        #expect(c.complete(line: "round(x, dig", cursor: 12).candidates.first == "digits:")
        #expect(c.complete(line: "rec.within", cursor: 10).candidates == ["within10", "within5"])
        // Labels win at an argument's start; a complete name stays; values elsewhere complete as names.
        #expect(c.complete(line: "gcn(dev", cursor: 7).candidates == ["device:"])
        #expect(c.complete(line: "myfunction(rec", cursor: 14).candidates == ["rec"])
        let value = c.complete(line: "myfunction(alpha: re", cursor: 20).candidates
        #expect(value.first == "rec" && value.contains("reduce") && !value.contains { $0.hasSuffix(":") })
        #expect(c.complete(line: "myfunction(b", cursor: 12).candidates == ["beta:"])
        let cmd = c.complete(line: ":he", cursor: 3)
        #expect(cmd.candidates == [":help"] && cmd.start == 0)
    }

    @Test func plainLoopReportsErrorsInExitStatus() {
        let out = StringSink()
        let err = StringSink()
        let s = Session(
            interpreter: Builtins.makeInterpreter(
                output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment)), output: out,
            errors: err, numbered: false)
        let status = App.loop(s, reader: ScriptedLineReader(["print(1 + 1)", "x = ", "1", "x"]), showPrompts: false)
        #expect(out.text == "2\n1\n")
        #expect(status == .ok)
        let status2 = App.loop(s, reader: ScriptedLineReader(["nope"]), showPrompts: false)
        #expect(status2 == .runtime)
    }
}

/// What an IPython user types first, and `:save` files that run as scripts with the same outputs.
@Suite struct SessionHabitsTests {
    /// The values a session showed (its `Out[n]:` lines, labels stripped).
    static func shown(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("Out["), let colon = line.range(of: "]: ") else { return nil }
            return String(line[colon.upperBound...])
        }
    }

    @Test func ipythonHabits() {
        let h = SessionHarness()
        App.attachCommands(h.session)
        #expect(h.push("gcn?") == [.ran])
        #expect(h.out.text.contains("gcn(device, n: 900"))
        #expect(h.push("?len") == [.ran] && h.out.text.contains("len(x)"))
        #expect(h.push("help") == [.ran] && h.out.text.contains("brpsh builtins"))
        #expect(h.push("%time 1 + 1") == [.ran] && h.out.text.contains("time: "))
        #expect(h.push("!ls") == [.failed] && h.err.text.contains("does not run shell commands"))
        #expect(h.push("%who") == [.failed] && h.err.text.contains("IPython magic"))
        #expect(h.push("exit = 3", "exit") == [.ran, .ran])  // a bound name keeps its meaning
        #expect(h.push("quit()") == [.quit])
        let h2 = SessionHarness()
        #expect(h2.push("exit") == [.quit])
    }

    /// Every `:save`d session runs as a script and shows the same values; failed inputs are left out and `_`,
    /// `_n` and `Out[n]` are rewritten to names.
    @Test(arguments: [
        ["x = 3", "x * 2", "_ + 1", "Out[2] * 10", "1 / 0", "y = \"v\\(_)\"", "y"],
        ["xs = [1, 2, 3]", "sum(xs)", "_2 * 2", "fn f(a) { a + _3 }", "f(1)", "nope + 1", "[_, _2]"],
        ["r = {a: 1}", "r.a", "r", "Out[3].a + _2"],
    ])
    func savedSessionsRunAsScripts(_ lines: [String]) throws {
        let h = SessionHarness()
        for line in lines { _ = h.session.push(line) }
        let path = NSTemporaryDirectory() + "brpsh-saved-\(UInt32.random(in: 0...UInt32.max)).brp"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(h.push(":save \(path)") == [.ran])
        let script = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!script.contains("1 / 0") && !script.contains("nope"))
        let out = StringSink()
        let failure = Pipeline(
            interpreter: Builtins.makeInterpreter(
                output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        ).run(SourceFile(name: path, text: script))
        #expect(failure == nil, "\(failure?.description ?? "")\n\(script)")
        let scriptShown = out.text.split(separator: "\n").map(String.init)
        #expect(scriptShown == Self.shown(h.out.text), "script:\n\(script)")
    }
}
