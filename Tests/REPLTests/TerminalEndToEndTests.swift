import Foundation
import Testing

/// The built `brpsh` binary in a real pseudo-terminal (tmux): prompts, history across two
/// sessions, completion, carets and Ctrl-C. CI installs tmux; without it the test is skipped.
@Suite(.serialized) struct TerminalEndToEndTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("brpsh").path
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    final class Pane {
        let name = "brpsh-e2e-\(UInt32.random(in: 0...UInt32.max))"
        let tmux: String

        init(tmux: String, history: String) throws {
            self.tmux = tmux
            try run(["new-session", "-d", "-s", name, "-x", "150", "-y", "50",
                     "env BRPSH_HISTORY=\(history) \(TerminalEndToEndTests.binary); sleep 30"])
            try wait(for: "In [1]:")
        }

        /// Runs a tmux command. Only `capture-pane` output is read: `new-session` starts the
        /// server, which would hold a pipe open forever.
        @discardableResult
        func run(_ args: [String]) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tmux)
            p.arguments = args
            let capture = args.first == "capture-pane"
            let pipe = Pipe()
            p.standardOutput = capture ? pipe : FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = capture ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }
        func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }
        func screen() throws -> String { try run(["capture-pane", "-t", name, "-p"]) }

        func wait(for text: String, timeout: Double = 10) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if try screen().contains(text) { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("timed out waiting for \(text.debugDescription); screen:\n\(try screen())")
        }

        func close() { _ = try? run(["kill-session", "-t", name]) }
    }

    @Test func promptsHistoryCompletionCaretsAndInterrupt() throws {
        guard let tmux = Self.tmux else { return }
        let history = NSTemporaryDirectory() + "brpsh-history-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: history) }

        let first = try Pane(tmux: tmux, history: history)
        defer { first.close() }
        try first.type("histmark = 41\r")
        try first.wait(for: "In [2]:")
        try first.type("1 + 1\r")
        try first.wait(for: "Out[2]: 2")
        // Completion of a variable, then of a builtin's named parameter.
        try first.type("histm")
        try first.keys("Tab")
        try first.wait(for: "In [3]: histmark")
        try first.type(" + round(1.5, dig")
        try first.keys("Tab")
        try first.wait(for: "round(1.5, digits:")
        try first.type("0)\r")
        try first.wait(for: "Out[3]: 43")
        // The issue's example: the parameter, not the builtin `devices` that shares the prefix.
        try first.type("gcn(dev")
        try first.keys("Tab")
        try first.wait(for: "gcn(device:")
        try first.keys("C-u")
        // An error shows its caret and keeps the session.
        try first.type("histmark + \"s\"\r")
        try first.wait(for: "^~~~~~~~~~~~~~")
        // Ctrl-C drops a half-typed continuation and gives a fresh prompt.
        try first.type("xs = [1,\r")
        try first.wait(for: "...:")
        try first.keys("C-c")
        try first.wait(for: "In [5]:")
        try first.type("while true { }\r")
        Thread.sleep(forTimeInterval: 0.5)
        try first.keys("C-c")
        try first.wait(for: "interrupted")
        try first.type("histmark\r")
        try first.wait(for: "Out[6]: 41")
        try first.type(":quit\r")
        Thread.sleep(forTimeInterval: 0.3)

        // A second session recalls the first one's lines with the Up arrow.
        let second = try Pane(tmux: tmux, history: history)
        defer { second.close() }
        for _ in 0..<2 { try second.keys("Up") }
        try second.wait(for: "In [1]: histmark")
        try second.keys("C-u")
        try second.type("histmark = 1\r")
        try second.type("histmark\r")
        try second.wait(for: "Out[2]: 1")
    }
}
